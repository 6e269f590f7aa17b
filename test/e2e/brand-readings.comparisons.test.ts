import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

/*
 * Comparison posts ("Acme vs Globex: …", "Globex or Acme? …") polled from a feed: each brand's
 * reading, as GET /v1/mentions/{id} shows it, is the verdict on that brand, not the clause about the
 * other brand that the opening's names were handed on to (test/domain/themes/comparison-posts.test.ts).
 */
let s: TestStack;
let feeds: FeedServer;
let key: string;
let acme: string;
let globex: string;

const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toUTCString();
const item = (guid: string, text: string, h: number) =>
  `<item><guid isPermaLink="false">${guid}</guid><title>${guid}</title><description>${text}</description><link>https://news.example.com/${guid}</link><pubDate>${at(h)}</pubDate></item>`;

/** Posts praising Acme and criticising Globex, each as a whole positive, in several languages. */
const POSTS: Array<[guid: string, text: string]> = [
  ['en', 'Acme vs Globex: Acme is excellent, I love it, Globex is bad'],
  ['en-question', 'Globex or Acme? Acme wins, Globex keeps crashing'],
  ['hi', 'Acme vs Globex: Acme बहुत अच्छा है, Globex बहुत खराब है।'],
  ['es', '¿Globex o Acme? Acme es excelente, Globex es horrible'],
  ['gu', 'Acme vs Globex: Acme ખૂબ જ સરસ છે, મને ગમે છે, Globex ખરાબ છે.'],
];

beforeAll(async () => {
  s = await createTestStack();
  feeds = await startFeedServer();
  feeds.routes.set('/feed.xml', {
    body: `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example.com/</link><description>t</description>${POSTS.map(([guid, text], i) => item(guid, text, 8 + i)).join('')}</channel></rss>`,
  });
  ({ key } = await s.workspace('Comparison posts'));
  acme = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  globex = (await s.request('POST', '/v1/brands', { key, body: { name: 'Globex', role: 'competitor', query: 'globex' } })).json.id;
  await s.tick();
  expect((await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: feeds.url('/feed.xml') } })).status).toBe(201);
  await s.tick();
});
afterAll(async () => {
  await s?.close();
  await feeds?.close();
});

type Reading = { brandId: string; label: string; score: number };

describe('a comparison post stored at ingest', () => {
  it('reads as praise of Acme and criticism of Globex in GET /v1/mentions/{id}, in every language', async () => {
    const list = await s.request('GET', `/v1/mentions?since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z&limit=100&brand=${globex}`, { key });
    expect(list.status, JSON.stringify(list.json)).toBe(200);
    const items = list.json.items as Array<{ id: string; title: string }>;
    expect(items.map((m) => m.title).sort()).toEqual(POSTS.map(([guid]) => guid).sort());
    for (const { id, title } of items) {
      const one = await s.request('GET', `/v1/mentions/${id}`, { key });
      expect(one.status).toBe(200);
      const readings = Object.fromEntries((one.json.brandSentiments as Reading[]).map((r) => [r.brandId, r]));
      expect(one.json.sentiment.label, `${title}: the post`).not.toBe('negative');
      expect(readings[acme]?.label, `${title}: Acme`).toBe('positive');
      expect(readings[globex]?.label, `${title}: Globex`).toBe('negative');
      expect(readings[globex]!.score, `${title}: Globex`).toBeLessThan(0);
    }
  });
});
