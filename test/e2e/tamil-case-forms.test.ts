import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

/*
 * The audit: a strongly negative post about Aavin's price rise (ஆவினின் விலை உயர்வு) matched no
 * brand, since `ஆவின்*` missed `ஆவினின்`: in Tamil a suffix's vowel sign takes the place of the
 * pulli. End to end: a real feed, a poll, the stored mentions and the keyword stream; and a brand
 * added after the poll, whose history is matched anew, finds the same forms in the raw store.
 */
let s: TestStack;
let feeds: FeedServer;
let key: string;
let aavinId: string;

const day = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toUTCString();
const item = (guid: string, title: string, description: string, h: number) =>
  `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><description>${description}</description><link>https://news.example.in/${guid}</link><pubDate>${day(h)}</pubDate></item>`;
const feed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>செய்திகள்</title><link>https://news.example.in/</link><description>t</description>
${item('ta1', 'ஆவினின் பால் விலை உயர்வு', 'ஆவினின் விலை உயர்வு மிகவும் மோசம், மக்கள் கோபம்', 10)}
${item('ta2', 'ஆவினுக்கு புதிய தலைவர்', 'ஆவினை நம்பும் விவசாயிகள்', 11)}
${item('ta3', 'சூடான காபி', 'காலையில் ஆவி பறக்கும் காபி', 12)}
${item('ta4', 'கூகுளின் புதிய தொலைபேசி', 'கூகுளை பற்றி பேசுகிறார்கள்', 13)}
</channel></rss>`;

beforeAll(async () => {
  s = await createTestStack();
  feeds = await startFeedServer();
  feeds.routes.set('/feed.xml', { body: feed });
  key = (await s.workspace('Tamil')).key;
  aavinId = (await s.request('POST', '/v1/brands', { key, body: { name: 'ஆவின்', role: 'own', query: 'ஆவின்*' } })).json.id;
  const source = await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: feeds.url('/feed.xml') } });
  expect(source.status).toBe(201);
  await s.tick();
});
afterAll(async () => {
  await s?.close();
  await feeds?.close();
});

const mentions = async (query: string) => {
  const res = await s.request('GET', `/v1/mentions?since=2026-01-01T00:00:00Z&until=2026-12-01T00:00:00Z${query}`, { key });
  expect(res.status).toBe(200);
  return res.json.items as Array<{ title: string; brandIds: string[]; keywords: string[] }>;
};
const titles = (items: Array<{ title: string }>) => items.map((m) => m.title).sort();

describe('a brand query ending in a pulli', () => {
  it('finds the case forms of the name in a polled feed, and not ஆவி (steam)', async () => {
    const found = await mentions(`&brand=${aavinId}`);
    expect(titles(found)).toEqual(['ஆவினின் பால் விலை உயர்வு', 'ஆவினுக்கு புதிய தலைவர்']);
    expect(found.every((m) => m.keywords.join() === 'ஆவின்*')).toBe(true);
  });

  it('the keyword stream and q= find the same mentions', async () => {
    expect(titles(await mentions(`&keyword=${encodeURIComponent('ஆவின்*')}`))).toEqual(['ஆவினின் பால் விலை உயர்வு', 'ஆவினுக்கு புதிய தலைவர்']);
    expect(titles(await mentions(`&q=${encodeURIComponent('ஆவின்* NEAR/1 விலை')}`))).toEqual(['ஆவினின் பால் விலை உயர்வு']);
  });

  it('a brand added after the poll finds the case forms in the stored history', async () => {
    const google = await s.request('POST', '/v1/brands', { key, body: { name: 'கூகுள்', role: 'competitor', query: 'கூகுள்*' } });
    expect(google.status).toBe(201);
    await s.tick();
    const found = await mentions(`&brand=${google.json.id}`);
    expect(titles(found)).toEqual(['கூகுளின் புதிய தொலைபேசி']);
    expect(found[0]!.keywords).toEqual(['கூகுள்*']);
  });
});
