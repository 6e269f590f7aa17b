import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';
import { createRandom } from '../../src/infra/seeded-random.js';

// The exact bytes of trend responses, pinned: the files under test/fixtures/analytics/trend-bodies/
// were written by the implementation before the trend read was reshaped for speed (objects per
// row from node-pg), so any later way of reading and shaping buckets must answer byte for byte
// the same. Brand ids are random per run and stand as <A>, <B>, <C> in the files. Each series'
// `name` (Alpha, Beta, Gamma) was added to the files later, beside `brandId`, and nothing else.

let t: TestApp;
let key: string;
const names = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Pinned trends');
  key = ws.key;
  const brand = async (name: string, role: string) => (await t.request('POST', '/v1/brands', { key, body: { name, role, query: name.toLowerCase() } })).json.id as string;
  const a = await brand('Alpha', 'own');
  const b = await brand('Beta', 'competitor');
  const c = await brand('Gamma', 'competitor'); // never mentioned: an all-zero series
  names.set(a, '<A>').set(b, '<B>').set(c, '<C>');
  const rss = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/pinned.xml' } })).json.id as string;
  const hn = (await t.request('POST', '/v1/sources', { key, body: { type: 'hackernews', query: 'alpha', baseUrl: 'http://127.0.0.1:9' } })).json.id as string;

  // 2026-09-20 … 2026-11-05 UTC, with quiet days left empty (zero-filled buckets) and scores of
  // six decimals, so averages round at the fourth in every direction.
  const next = createRandom(20261025).next;
  const batches: Record<string, ReturnType<typeof mention>[]> = { [rss]: [], [hn]: [] };
  const from = Date.parse('2026-09-20T00:00:00Z');
  for (let i = 0; i < 1500; i++) {
    const at = new Date(from + Math.floor(next() * 46 * 86_400_000));
    if (at.getUTCDate() % 9 === 4) continue;
    const pick = next();
    const brands = pick < 0.5 ? [a] : pick < 0.9 ? [b] : [a, b];
    const l = next();
    const label = l < 0.3 ? 'positive' : l < 0.6 ? 'neutral' : l < 0.9 ? 'negative' : 'unscored';
    const score = label === 'unscored' ? 0 : Math.round((label === 'positive' ? next() : label === 'negative' ? -next() : next() * 0.4 - 0.2) * 1e6) / 1e6;
    const src = next() < 0.7 ? rss : hn;
    batches[src]!.push(mention({ at, brands, label, score, lang: next() < 0.5 ? 'en' : 'cs' }));
  }
  await seed(t.deps, { workspaceId: ws.id, sourceId: rss, sourceType: 'rss', mentions: batches[rss]! });
  await seed(t.deps, { workspaceId: ws.id, sourceId: hn, sourceType: 'hackernews', mentions: batches[hn]! });
  // Closed outages only: an open one would end at the clock of the run.
  await sql`
    insert into source_outages (source_id, workspace_id, started_at, ended_at) values
      (${rss}, ${ws.id}, '2026-10-20T05:30:00Z', '2026-10-20T09:00:00Z'),
      (${hn}, ${ws.id}, '2026-10-24T23:00:00Z', '2026-10-26T01:00:00Z')`.execute(t.db);
});
afterAll(async () => t.close());

const cases: Record<string, string> = {
  'utc-days-whole': 'interval=day&since=2026-09-20T00:00:00Z&until=2026-11-05T00:00:00Z',
  'utc-days-edges': 'interval=day&since=2026-09-20T07:12:00Z&until=2026-11-04T15:00:00Z',
  'utc-weeks': 'interval=week&since=2026-09-23T05:00:00Z&until=2026-11-04T00:00:00Z',
  'utc-hours-gap': 'interval=hour&brand=<A>&since=2026-10-19T20:00:00Z&until=2026-10-21T02:00:00Z',
  'prague-days-dst': 'interval=day&tz=Europe/Prague&since=2026-10-20T00:00:00Z&until=2026-10-30T00:00:00Z',
  'prague-hours-dst': 'interval=hour&tz=Europe/Prague&brand=<B>&since=2026-10-24T20:00:00Z&until=2026-10-25T06:00:00Z',
  'new-york-weeks-dst': 'interval=week&tz=America/New_York&since=2026-10-01T00:00:00Z&until=2026-11-05T00:00:00Z',
  'kolkata-days': 'interval=day&tz=Asia/Kolkata&brand=<A>&since=2026-10-01T00:00:00Z&until=2026-10-12T00:00:00Z',
  'filtered-days': 'interval=day&source=hackernews&lang=cs&since=2026-10-10T00:00:00Z&until=2026-10-28T00:00:00Z',
  'empty-window': 'interval=day&since=2026-12-01T00:00:00Z&until=2026-12-04T00:00:00Z',
  'never-mentioned-brand': 'interval=week&brand=<C>&since=2026-09-20T00:00:00Z&until=2026-11-05T00:00:00Z',
};

describe('sentiment trend bodies', () => {
  it.each(Object.entries(cases))('%s answers exactly the bytes the earlier implementation did', async (name, query) => {
    const ids = new Map([...names].map(([id, placeholder]) => [placeholder, id]));
    const res = await t.request('GET', `/v1/trends/sentiment?${query.replace(/<[ABC]>/g, (p) => ids.get(p)!)}`, { key });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = res.text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => names.get(id) ?? id);
    await expect(body).toMatchFileSnapshot(`../fixtures/analytics/trend-bodies/${name}.json`);
  });
});
