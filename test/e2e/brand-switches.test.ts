import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { mention, seed } from '../support/seed.js';
import { rescoreRange } from '../../src/domain/mentions/rescore.usecases.js';

/*
 * A post saying its author moved from one brand to another is criticism of the brand left and
 * praise of the brand chosen (docs/sentiment.md, "Switches"), through the real poll: matched, scored
 * and read for each brand in the ingest thread, stored, and counted by the brand's own reading.
 */
let s: TestStack;
let feeds: FeedServer;
let key: string;
let lumen: string;
let kofi: string;

const WINDOW = 'since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z';
const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toUTCString();
const item = (guid: string, text: string, h: number) =>
  `<item><guid isPermaLink="false">${guid}</guid><title>${guid}</title><description>${text}</description><link>https://news.example.com/${guid}</link><pubDate>${at(h)}</pubDate></item>`;
const feedOf = (items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example.com/</link><description>t</description>${items.join('')}</channel></rss>`;

/** By title: the text, and what it should read as for Kofi and for Lumen. */
const POSTS: Record<string, { text: string; kofi: string; lumen: string }> = {
  s1: { text: 'Switched from Kofi to Lumen last week', kofi: 'negative', lumen: 'positive' },
  s2: { text: 'Finally moved from Kofi to Lumen, so much faster', kofi: 'negative', lumen: 'positive' },
  s3: { text: 'Went back to Kofi from Lumen', kofi: 'positive', lumen: 'negative' },
  // Czech names inflect: the queries' prefix terms find "Kofiho".
  s4: { text: 'Přešel jsem z Kofiho na Lumen', kofi: 'negative', lumen: 'positive' },
  s5: { text: 'Vyměnila jsem Lumen za Kofi', kofi: 'positive', lumen: 'negative' },
  s6: { text: 'از کوفی به لومن مهاجرت کردم', kofi: 'negative', lumen: 'positive' },
  s7: { text: 'मैंने कोफ़ी से लुमेन पर स्विच किया', kofi: 'negative', lumen: 'positive' },
  // The words say the move was a bad one: both read as the post.
  s8: { text: 'Switched from Kofi to Lumen and regret it', kofi: 'negative', lumen: 'negative' },
  // A question states no move.
  s9: { text: 'Anyone switched from Kofi to Lumen?', kofi: 'neutral', lumen: 'neutral' },
  // A move said without "from", after words naming the brand left (themes.moves.ts).
  s10: { text: 'Got a cold Kofi delivery again, so I switched to Lumen. Much happier now.', kofi: 'negative', lumen: 'positive' },
  s11: { text: 'Tired of the cold Kofi delivery I now go to Lumen. Very happy.', kofi: 'negative', lumen: 'positive' },
  s12: { text: 'Kofi mě zase zklamalo. Přešla jsem na Lumen.', kofi: 'negative', lumen: 'positive' },
};

beforeAll(async () => {
  s = await createTestStack();
  feeds = await startFeedServer();
  feeds.routes.set('/feed.xml', { body: feedOf(Object.entries(POSTS).map(([title, { text }], i) => item(title, text, 8 + i))) });
  ({ key } = await s.workspace('Brand switches'));
  lumen = (await s.request('POST', '/v1/brands', { key, body: { name: 'Lumen', role: 'own', query: 'lumen* OR لومن OR लुमेन' } })).json.id;
  kofi = (await s.request('POST', '/v1/brands', { key, body: { name: 'Kofi', role: 'competitor', query: 'kofi* OR کوفی OR कोफ़ी' } })).json.id;
  expect((await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: feeds.url('/feed.xml') } })).status).toBe(201);
  await s.tick();
});
afterAll(async () => {
  await s?.close();
  await feeds?.close();
});

type Reading = { brandId: string; label: string; score: number };
type ApiMention = { id: string; title: string; brandIds: string[]; sentiment: { label: string; score: number }; brandSentiments: Reading[] };

async function mentions(query = ''): Promise<ApiMention[]> {
  const res = await s.request('GET', `/v1/mentions?${WINDOW}&limit=100${query}`, { key });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.items;
}
const readingOf = (m: ApiMention, brandId: string) => m.brandSentiments.find((b) => b.brandId === brandId)!;

describe('a polled post saying its author moved from one brand to another', () => {
  it('is stored as criticism of the brand left and praise of the brand chosen, in every language', async () => {
    const found = await mentions(`&brand=${kofi}`);
    expect(found.map((m) => m.title).sort()).toEqual(Object.keys(POSTS).sort());
    for (const m of found) {
      const expected = POSTS[m.title]!;
      expect(m.brandIds.sort(), m.title).toEqual([kofi, lumen].sort());
      expect({ kofi: readingOf(m, kofi).label, lumen: readingOf(m, lumen).label }, `${m.title}: ${expected.text}`).toEqual({ kofi: expected.kofi, lumen: expected.lumen });
    }
    // The links carry the same readings, so rollups, trends and alerts count them.
    const links = await s.db
      .selectFrom('mention_brands')
      .innerJoin('mentions', 'mentions.id', 'mention_brands.mention_id')
      .select(['mentions.title', 'mention_brands.brand_id', 'mention_brands.sentiment_label'])
      .where('mention_brands.brand_id', 'in', [kofi, lumen] as never[])
      .execute();
    for (const link of links) {
      const expected = POSTS[link.title!]!;
      expect(link.sentiment_label, `${link.title} ${link.brand_id === kofi ? 'Kofi' : 'Lumen'}`).toBe(link.brand_id === kofi ? expected.kofi : expected.lumen);
    }
    expect(links).toHaveLength(2 * Object.keys(POSTS).length);
  });

  it('counts in share of voice by each brand’s reading', async () => {
    const sov = await s.request('GET', `/v1/share-of-voice?${WINDOW}`, { key });
    expect(sov.status).toBe(200);
    const net = Object.fromEntries(sov.json.brands.map((b: { brandId: string; netSentiment: number }) => [b.brandId, b.netSentiment]));
    const count = (brand: 'kofi' | 'lumen', label: string) => Object.values(POSTS).filter((p) => p[brand] === label).length;
    const n = Object.keys(POSTS).length;
    expect(net[kofi]).toBeCloseTo((count('kofi', 'positive') - count('kofi', 'negative')) / n, 3);
    expect(net[lumen]).toBeCloseTo((count('lumen', 'positive') - count('lumen', 'negative')) / n, 3);
    expect(net[kofi]).toBeLessThan(0);
    expect(net[lumen]).toBeGreaterThan(0);
  });

  it('a switch stored by the model before is read again by a rescore', async () => {
    const { id: ws, key: otherKey } = await s.workspace('Switches rescored');
    const a = (await s.request('POST', '/v1/brands', { key: otherKey, body: { name: 'Lumen', role: 'own', query: 'lumen' } })).json.id;
    const b = (await s.request('POST', '/v1/brands', { key: otherKey, body: { name: 'Kofi', role: 'competitor', query: 'kofi' } })).json.id;
    await s.tick();
    const source = (await s.request('POST', '/v1/sources', { key: otherKey, body: { type: 'rss', url: 'http://127.0.0.1:9/none.xml', enabled: false } })).json.id;
    const [stored] = await seed(s.deps, {
      workspaceId: ws,
      sourceId: source,
      mentions: [mention({ at: '2026-11-20T10:00:00Z', brands: [a, b], label: 'neutral', score: 0, text: 'Switched from Kofi to Lumen last week' })],
    });
    const result = await rescoreRange({ db: s.db, scorer: s.services.scorer, rollupRepository: s.deps.rollupRepository, fromId: stored!.id, toId: stored!.id });
    expect(result).toEqual({ rescored: 1, changed: 1 });
    const after = await s.request('GET', `/v1/mentions/${stored!.id}`, { key: otherKey });
    expect(readingOf(after.json, a).label).toBe('positive');
    expect(readingOf(after.json, b).label).toBe('negative');
  });
});
