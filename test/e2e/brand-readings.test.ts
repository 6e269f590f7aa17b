import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStack, type TestStack } from '../support/stack.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { mention, seed } from '../support/seed.js';
import { collectEvents } from '../support/sse.js';
import { rescoreRange } from '../../src/domain/mentions/rescore.usecases.js';

/*
 * A post naming two brands is read for each of them (src/domain/themes/brand-readings.ts): its
 * links, rollups, filters and share of voice take the brand's reading, whichever way the post came
 * to name both (at ingest, by a rematch of a brand created later, by a rescore), and it reads as the
 * post again when one of the brands is deleted. The rollups always equal a recount of the links.
 */
let s: TestStack;
let feeds: FeedServer;
let key: string;
let workspaceId: string;
let lumen: string;
let sourceId: string;

const WINDOW = 'since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z';
const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toUTCString();
const item = (guid: string, text: string, h: number) =>
  `<item><guid isPermaLink="false">${guid}</guid><title>${guid}</title><description>${text}</description><link>https://news.example.com/${guid}</link><pubDate>${at(h)}</pubDate></item>`;
const feedOf = (items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example.com/</link><description>t</description>${items.join('')}</channel></rss>`;

/** Posts that praise Lumen and criticise Kofi, in five languages, and one of Lumen alone. */
const FIRST = [
  item('en', 'The Lumen app is excellent but the Kofi app is terrible', 8),
  item('cs', 'Aplikace Lumen je skvělá, ale Kofi je hrozná', 9),
  item('hi', 'लुमेन बहुत अच्छा है लेकिन कोफ़ी बहुत खराब है', 10),
  item('ta', 'லுமென் அருமை ஆனால் கோஃபி மோசம்', 11),
  item('fa', 'لومن عالی است اما کوفی افتضاح است', 12),
  item('alone', 'Lumen is excellent', 13),
];
const TWO_BRAND = ['en', 'cs', 'hi', 'ta', 'fa'];

beforeAll(async () => {
  s = await createTestStack();
  feeds = await startFeedServer();
  feeds.routes.set('/feed.xml', { body: feedOf(FIRST) });
  ({ key, id: workspaceId } = await s.workspace('Brand readings'));
  lumen = (await s.request('POST', '/v1/brands', { key, body: { name: 'Lumen', role: 'own', query: 'lumen OR لومن OR लुमेन OR லுமென்' } })).json.id;
  const source = await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: feeds.url('/feed.xml') } });
  expect(source.status).toBe(201);
  sourceId = source.json.id;
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
const titles = (items: ApiMention[]) => items.map((m) => m.title).sort();
const readingOf = (m: ApiMention, brandId: string) => m.brandSentiments.find((b) => b.brandId === brandId)!;

/** Each brand's hourly and daily rollups equal a recount of its links, by the links' own readings. */
async function assertRollupsMatchLinks() {
  const { rows } = await sql<{ brand_id: string; kind: string; rolled: string; counted: string }>`
    with links as (
      select mb.brand_id, count(*)::int n, count(*) filter (where mb.sentiment_label = 'positive')::int p,
        count(*) filter (where mb.sentiment_label = 'neutral')::int z, count(*) filter (where mb.sentiment_label = 'negative')::int g,
        count(*) filter (where mb.sentiment_label = 'unscored')::int u,
        round(coalesce(sum(coalesce(mb.sentiment_score, m.sentiment_score)) filter (where mb.sentiment_label <> 'unscored'), 0)::numeric, 3) s
      from mention_brands mb join mentions m on m.id = mb.mention_id where mb.workspace_id = ${workspaceId} group by mb.brand_id),
    hours as (
      select brand_id, sum(mentions)::int n, sum(positive)::int p, sum(neutral)::int z, sum(negative)::int g, sum(unscored)::int u, round(sum(score_sum)::numeric, 3) s
      from brand_hours where workspace_id = ${workspaceId} group by brand_id),
    days as (
      select brand_id, sum(mentions)::int n, sum(positive)::int p, sum(neutral)::int z, sum(negative)::int g, sum(unscored)::int u, round(sum(score_sum)::numeric, 3) s
      from brand_days where workspace_id = ${workspaceId} group by brand_id)
    select b.id as brand_id, k.kind,
      concat_ws(' ', r.n, r.p, r.z, r.g, r.u, r.s) as rolled,
      concat_ws(' ', coalesce(l.n, 0), coalesce(l.p, 0), coalesce(l.z, 0), coalesce(l.g, 0), coalesce(l.u, 0), coalesce(l.s, 0.000)) as counted
    from brands b
    cross join (values ('hours'), ('days')) k(kind)
    left join links l on l.brand_id = b.id
    left join lateral (select * from hours h where h.brand_id = b.id and k.kind = 'hours' union all select * from days d where d.brand_id = b.id and k.kind = 'days') r on true
    where b.workspace_id = ${workspaceId}`.execute(s.db);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.rolled || '0 0 0 0 0 0.000', `${row.brand_id} ${row.kind}`).toBe(row.counted);
}

describe('a post naming two brands', () => {
  let kofi: string;

  it('with one brand known, every post reads as itself for it', async () => {
    const found = await mentions(`&brand=${lumen}`);
    expect(titles(found)).toEqual([...TWO_BRAND, 'alone'].sort());
    for (const m of found) expect(m.brandSentiments).toEqual([{ brandId: lumen, label: m.sentiment.label, score: m.sentiment.score }]);
    // As a whole, the two-brand posts are negative: the criticism weighs more than the praise.
    for (const m of found.filter((m) => TWO_BRAND.includes(m.title))) expect(m.sentiment.label, m.title).toBe('negative');
    await assertRollupsMatchLinks();
  });

  it('a competitor created later is matched against history, and both brands get their own reading, in every language', async () => {
    kofi = (await s.request('POST', '/v1/brands', { key, body: { name: 'Kofi', role: 'competitor', query: 'kofi OR کوفی OR कोफ़ी OR கோஃபி' } })).json.id;
    await s.tick();
    const found = await mentions(`&brand=${kofi}`);
    expect(titles(found)).toEqual([...TWO_BRAND].sort());
    for (const m of found) {
      expect(m.sentiment.label, m.title).toBe('negative');
      expect(readingOf(m, lumen).label, `${m.title}: Lumen`).toBe('positive');
      expect(readingOf(m, lumen).score).toBeGreaterThan(0);
      expect(readingOf(m, kofi).label, `${m.title}: Kofi`).toBe('negative');
      expect(m.brandSentiments.map((b) => b.brandId)).toEqual(m.brandIds);
    }
    await assertRollupsMatchLinks();
  });

  it('the sentiment filter with a brand, share of voice and the trends take the brand’s reading', async () => {
    expect(titles(await mentions(`&brand=${lumen}&sentiment=positive`))).toEqual([...TWO_BRAND, 'alone'].sort());
    expect(await mentions(`&brand=${lumen}&sentiment=negative`)).toEqual([]);
    expect(titles(await mentions(`&brand=${kofi}&sentiment=negative`))).toEqual([...TWO_BRAND].sort());
    // Without a brand, the post as a whole.
    expect(titles(await mentions('&sentiment=negative'))).toEqual([...TWO_BRAND].sort());

    const sov = await s.request('GET', `/v1/share-of-voice?${WINDOW}`, { key });
    expect(sov.status).toBe(200);
    const net = Object.fromEntries(sov.json.brands.map((b: { brandId: string; netSentiment: number }) => [b.brandId, b.netSentiment]));
    expect(net[lumen]).toBe(1);
    expect(net[kofi]).toBe(-1);

    const trend = await s.request('GET', `/v1/trends/sentiment?${WINDOW}&interval=day&brand=${lumen}`, { key });
    expect(trend.status).toBe(200);
    const day = trend.json.series[0].buckets.find((b: { start: string }) => b.start.startsWith('2026-11-20'));
    expect(day).toMatchObject({ mentions: 6, positive: 6, negative: 0 });
    expect(day.avgScore).toBeGreaterThan(0);
  });

  it('a post stored when both brands exist is read for each at ingest, and the live reading equals the stored one', async () => {
    // Live: Kofi's praise and Lumen's criticism, each by its brand's reading; Lumen's praise not.
    const live = async (query: string) => {
      const res = await s.app.request(`/v1/mentions/live?${query}`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      return collectEvents<ApiMention>(res);
    };
    const [kofiPraise, lumenCriticism, lumenPraise] = [await live(`brand=${kofi}&sentiment=positive`), await live(`brand=${lumen}&sentiment=negative`), await live(`brand=${lumen}&sentiment=positive`)];
    await new Promise((r) => setTimeout(r, 200)); // subscribed
    feeds.routes.set('/feed.xml', { body: feedOf([...FIRST, item('later', 'Kofi is great, but Lumen was awful and slow', 14)]) });
    expect((await s.request('POST', `/v1/sources/${sourceId}/fetch`, { key })).status).toBe(202);
    await s.drain();
    for (let i = 0; i < 50 && (kofiPraise.events.length < 1 || lumenCriticism.events.length < 1); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all([kofiPraise, lumenCriticism, lumenPraise].map((stream) => stream.close()));
    expect(kofiPraise.events.map((e) => e.data.title)).toEqual(['later']);
    expect(lumenCriticism.events.map((e) => e.data.title)).toEqual(['later']);
    expect(lumenPraise.events).toEqual([]);
    const [later] = (await mentions(`&brand=${kofi}`)).filter((m) => m.title === 'later');
    expect(later).toBeDefined();
    expect(readingOf(later!, kofi).label).toBe('positive');
    expect(readingOf(later!, lumen).label).toBe('negative');
    const one = await s.request('GET', `/v1/mentions/${later!.id}`, { key });
    expect(one.json.brandSentiments).toEqual(later!.brandSentiments);
    expect(kofiPraise.events[0]!.data.brandSentiments).toEqual(later!.brandSentiments);
    const links = await s.db.selectFrom('mention_brands').select(['brand_id', 'sentiment_label', 'sentiment_score']).where('mention_id', '=', later!.id as never).orderBy('brand_id').execute();
    expect(links.every((l) => l.sentiment_score !== null)).toBe(true);
    await assertRollupsMatchLinks();
  });

  it('deleting one brand reads the posts as themselves again for the other', async () => {
    expect((await s.request('DELETE', `/v1/brands/${kofi}`, { key })).status).toBe(204);
    await s.tick();
    const found = await mentions(`&brand=${lumen}`);
    expect(found).toHaveLength(7);
    for (const m of found) expect(m.brandSentiments, m.title).toEqual([{ brandId: lumen, label: m.sentiment.label, score: m.sentiment.score }]);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int n from mention_brands mb join mentions m on m.id = mb.mention_id
      where mb.workspace_id = ${workspaceId} and (mb.sentiment_score is not null or mb.sentiment_label <> m.sentiment_label or m.brand_sentiments is not null)`.execute(s.db);
    expect(rows[0]!.n).toBe(0);
    await assertRollupsMatchLinks();
  });
});

describe('rescoring', () => {
  it('reads the stored posts of several brands for each brand, and their rollups follow', async () => {
    const { id: ws, key: otherKey } = await s.workspace('Readings rescored');
    const a = (await s.request('POST', '/v1/brands', { key: otherKey, body: { name: 'Lumen', role: 'own', query: 'lumen' } })).json.id;
    const b = (await s.request('POST', '/v1/brands', { key: otherKey, body: { name: 'Kofi', role: 'competitor', query: 'kofi' } })).json.id;
    await s.tick();
    const source = (await s.request('POST', '/v1/sources', { key: otherKey, body: { type: 'rss', url: 'http://127.0.0.1:9/none.xml', enabled: false } })).json.id;
    // Stored by an older model: one label for both brands.
    const [stored] = await seed(s.deps, {
      workspaceId: ws,
      sourceId: source,
      mentions: [mention({ at: '2026-11-20T10:00:00Z', brands: [a, b], label: 'negative', score: -0.4, text: 'The Lumen app is excellent but the Kofi app is terrible' })],
    });
    const before = await s.request('GET', `/v1/mentions/${stored!.id}`, { key: otherKey });
    expect(before.json.brandSentiments.map((r: Reading) => r.label)).toEqual(['negative', 'negative']);

    const result = await rescoreRange({ db: s.db, scorer: s.services.scorer, rollupRepository: s.deps.rollupRepository, fromId: stored!.id, toId: stored!.id });
    expect(result).toEqual({ rescored: 1, changed: 1 });
    const after = await s.request('GET', `/v1/mentions/${stored!.id}`, { key: otherKey });
    expect(readingOf(after.json, a).label).toBe('positive');
    expect(readingOf(after.json, b).label).toBe('negative');
    const { rows } = await sql<{ brand_id: string; positive: number; negative: number }>`
      select brand_id, sum(positive)::int positive, sum(negative)::int negative from brand_hours where workspace_id = ${ws} group by brand_id`.execute(s.db);
    expect(Object.fromEntries(rows.map((r) => [r.brand_id, [r.positive, r.negative]]))).toEqual({ [a]: [1, 0], [b]: [0, 1] });
    // Again: nothing left to change.
    expect(await rescoreRange({ db: s.db, scorer: s.services.scorer, rollupRepository: s.deps.rollupRepository, fromId: stored!.id, toId: stored!.id })).toEqual({ rescored: 0, changed: 0 });
  });
});
