import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { collectEvents } from '../support/sse.js';

/*
 * The promise that nothing assumes English or ASCII, end to end: a real feed on 127.0.0.1, a poll,
 * the stored mentions, and the streams that read them. The feed is written as people write:
 * Czech headlines with soft hyphens (&shy;, which news sites put in long words), Persian typed on
 * Arabic keyboards (ي and ك for ی and ک), with and without the ZWNJ, with a tatweel.
 */
let s: TestStack;
let feeds: FeedServer;
let key: string;
let skodaId: string;
let digikalaId: string;

const day = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toUTCString();
const item = (guid: string, title: string, description: string, h: number) =>
  `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><description>${description}</description><link>https://news.example.com/${guid}</link><pubDate>${day(h)}</pubDate></item>`;
// Written as the XML a feed sends: &amp;shy; in a description is the HTML entity &shy; once the XML is read.
const feed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Zprávy</title><link>https://news.example.com/</link><description>t</description>
${item('cs1', 'Auto&#173;mobilka Ško&#173;da hlásí rekord', 'Ško&amp;shy;da prodala nejvíce aut v historii. #Ško&amp;shy;daAuto', 10)}
${item('fa1', 'ديجي‌كالا', 'من از ديجيكالا خريد كردم و خيلي راضي هستم #ديجيكالا', 11)}
${item('fa2', 'خبر', 'خرید از دیجـیکالا امسال بیشتر شد', 12)}
${item('fa3', 'هیچ', 'امروز هوا خوب است', 13)}
${item('fa4', '&#x200F;=HYPERLINK(&quot;http://evil.example/&quot;)', 'خرید از دیجی‌کالا در تهران', 14)}
</channel></rss>`;

beforeAll(async () => {
  s = await createTestStack();
  feeds = await startFeedServer();
  feeds.routes.set('/feed.xml', { body: feed });
  key = (await s.workspace('Multilingual')).key;
  skodaId = (await s.request('POST', '/v1/brands', { key, body: { name: 'Škoda', role: 'own', query: 'škoda OR #škodaauto' } })).json.id;
  // The brand is written the Persian way: ی and ک, with the ZWNJ.
  digikalaId = (await s.request('POST', '/v1/brands', { key, body: { name: 'دیجی‌کالا', role: 'competitor', query: 'دیجی‌کالا' } })).json.id;
  const source = await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: feeds.url('/feed.xml') } });
  expect(source.status).toBe(201);
  await s.tick();
});
afterAll(async () => {
  await s?.close();
  await feeds?.close();
});

const mentions = async (query = '') => {
  const res = await s.request('GET', `/v1/mentions?since=2026-01-01T00:00:00Z&until=2026-12-01T00:00:00Z${query}`, { key });
  expect(res.status).toBe(200);
  return res.json.items as Array<{ title: string; text: string; brandIds: string[]; hashtags: string[]; keywords: string[] }>;
};
const guidsOf = (items: Array<{ title: string }>) => items.map((m) => m.title).sort();

describe('Czech with soft hyphens', () => {
  it('a word a feed hyphenates with &shy; is still the word: the brand, the hashtag and q= find it', async () => {
    const found = await mentions(`&brand=${skodaId}`);
    expect(guidsOf(found)).toEqual(['Automobilka Škoda hlásí rekord']);
    // The invisible hyphen is not stored: what people copy out of the text is the word.
    expect(found[0]!.text).toBe('Škoda prodala nejvíce aut v historii. #ŠkodaAuto');
    expect(found[0]!.hashtags).toEqual(['škodaauto']);
    expect(await mentions('&hashtag=%C5%A0kodaAuto')).toHaveLength(1);
    expect(await mentions(`&q=${encodeURIComponent('automobilka')}`)).toHaveLength(1);
  });
});

describe('Persian written with Arabic letters, with and without the ZWNJ', () => {
  it('a brand written with ی and ک finds ي and ك, the word without its ZWNJ and with a tatweel', async () => {
    const found = await mentions(`&brand=${digikalaId}`);
    expect(guidsOf(found)).toEqual(['خبر', 'ديجي‌كالا', '\u200F=HYPERLINK("http://evil.example/")'].sort());
    // Stored as written: the folding is for comparing, not for rewriting what people wrote.
    expect(found.find((m) => m.title === 'ديجي‌كالا')!.hashtags).toEqual(['ديجيكالا']);
    // The keyword stream carries the query term as the brand wrote it.
    expect(await mentions(`&keyword=${encodeURIComponent('دیجی‌کالا')}`)).toHaveLength(3);
  });

  it('the keyword and hashtag streams take the other spellings too', async () => {
    // Arabic letters without the ZWNJ, for the term the brand wrote in Persian ones with it.
    expect(await mentions(`&keyword=${encodeURIComponent('ديجيكالا')}`)).toHaveLength(3);
    expect(await mentions(`&keyword=${encodeURIComponent('دیجـی‌کالا')}`)).toHaveLength(3);
    // Persian letters with the ZWNJ, for the tag stored as typed in Arabic ones without it.
    expect(guidsOf(await mentions(`&hashtag=${encodeURIComponent('#دیجی‌کالا')}`))).toEqual(['ديجي‌كالا']);
    expect(await mentions(`&hashtag=${encodeURIComponent('#دیجی')}`)).toEqual([]);
  });

  it('q= with either spelling finds both, and a hashtag query ignores the spelling too', async () => {
    expect(await mentions(`&q=${encodeURIComponent('دیجیکالا')}`)).toHaveLength(3);
    expect(await mentions(`&q=${encodeURIComponent('ديجي‌كالا')}`)).toHaveLength(3);
    expect(guidsOf(await mentions(`&q=${encodeURIComponent('#دیجیکالا')}`))).toEqual(['ديجي‌كالا']);
    expect(guidsOf(await mentions(`&q=${encodeURIComponent('"راضی هستم" NEAR/5 دیجیکالا')}`))).toEqual(['ديجي‌كالا']);
  });

  it("the trending keywords count a word however it is spelt, and leave out the brand's own name", async () => {
    const res = await s.request('GET', `/v1/trending/keywords?brand=${digikalaId}&since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z&limit=50`, { key });
    expect(res.status).toBe(200);
    const items = res.json.items as Array<{ term: string; mentions: number }>;
    // خريد (Arabic yeh) once and خرید twice: one word in three mentions.
    expect(items.find((t) => /^خر[یي]د$/.test(t.term))).toMatchObject({ mentions: 3 });
    expect(items.filter((t) => /دیجی|ديجي|دیجـی/.test(t.term))).toEqual([]);
  });
});

describe('the CSV export of right-to-left text', () => {
  it('is UTF-8 with a BOM, and a formula behind a right-to-left mark is neutralised too', async () => {
    const res = await s.app.request(`/v1/mentions/export.csv?since=2026-01-01T00:00:00Z&brand=${digikalaId}`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv).toContain('ديجي‌كالا');
    // A spreadsheet that drops the invisible mark would run what follows it.
    expect(csv).toContain(`"'\u200F=HYPERLINK(""http://evil.example/"")"`);
  });
});

describe('the live stream', () => {
  it('q= in Arabic letters passes a new mention written in Persian ones, and the hashtag filter its stored tag', async () => {
    const q = encodeURIComponent('ديجيكالا NEAR/2 شيراز');
    const res = await s.app.request(`/v1/mentions/live?q=${q}`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const { events, close } = collectEvents<{ title: string }>(res);
    // The tag in Arabic letters, for #شیراز stored in Persian ones.
    const tagged = await s.app.request(`/v1/mentions/live?hashtag=${encodeURIComponent('شيراز')}`, { headers: { authorization: `Bearer ${key}` } });
    expect(tagged.status).toBe(200);
    const byTag = collectEvents<{ title: string }>(tagged);
    await new Promise((r) => setTimeout(r, 200)); // subscribed
    feeds.routes.set('/feed.xml', {
      body: feed.replace('</channel>', `${item('fa5', 'شعبه جدید', 'دیجی‌کالا در شیراز باز شد #شیراز', 15)}${item('fa6', 'دیگر', 'دیجی‌کالا و تهران', 16)}</channel>`),
    });
    const [source] = (await s.request('GET', '/v1/sources', { key })).json.items;
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key });
    await s.drain();
    for (let i = 0; i < 50 && (events.length < 1 || byTag.events.length < 1); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    await close();
    await byTag.close();
    expect(events.map((e) => e.data.title)).toEqual(['شعبه جدید']);
    expect(byTag.events.map((e) => e.data.title)).toEqual(['شعبه جدید']);
    expect(guidsOf(await mentions(`&hashtag=${encodeURIComponent('#شیراز')}`))).toEqual(['شعبه جدید']);
  });
});
