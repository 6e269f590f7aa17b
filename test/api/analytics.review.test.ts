import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceHandlers } from '../../src/workers/maintenance.worker.js';
import { planRescore } from '../../src/domain/mentions/rescore.usecases.js';
import type { Counts } from '../../src/domain/analytics/analytics.repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';
import { createRandom } from '../../src/infra/seeded-random.js';

// Analytics against the mentions they are made of: for random mentions, what trends, share of
// voice, trending hashtags and the mention list answer must agree with plain SQL over
// mentions / mention_brands, before and after a rematch, a rescore and a brand deletion.

let t: TestApp;

const ctx = () => ({ log: t.deps.log, job: {} as never, token: undefined });
const handlers = () => maintenanceHandlers(t.deps);

beforeAll(async () => {
  // Hundreds of reads a test: the per-key rate limit is not what is under test here.
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => t.close());

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function getOk(key: string, path: string): Promise<Json> {
  const res = await t.request('GET', path, { key });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json;
}

/** What a bucket holds, recounted here from the mentions rather than read from the rollups. */
type Expected = Counts;

/** Per brand and bucket start (epoch seconds), counted from the mentions themselves. */
async function countsFromMentions(p: { workspaceId: string; interval: string; tz: string; since: string; until: string; source?: string; lang?: string }) {
  const rows = await sql<{ brand_id: string; start: string; mentions: number; positive: number; neutral: number; negative: number; unscored: number; score_sum: number }>`
    select mb.brand_id, extract(epoch from date_trunc(${p.interval}, mb.occurred_at, ${p.tz}))::int8::text as start,
      count(*)::int as mentions,
      count(*) filter (where m.sentiment_label = 'positive')::int as positive,
      count(*) filter (where m.sentiment_label = 'neutral')::int as neutral,
      count(*) filter (where m.sentiment_label = 'negative')::int as negative,
      count(*) filter (where m.sentiment_label = 'unscored')::int as unscored,
      coalesce(sum(m.sentiment_score) filter (where m.sentiment_label <> 'unscored'), 0)::float8 as score_sum
    from mention_brands mb join mentions m on m.id = mb.mention_id
    where mb.workspace_id = ${p.workspaceId} and mb.occurred_at >= ${p.since}::timestamptz and mb.occurred_at < ${p.until}::timestamptz
      ${p.source ? sql`and m.source_type = ${p.source}` : sql``}
      ${p.lang ? sql`and m.lang = ${p.lang}` : sql``}
    group by 1, 2`.execute(t.db);
  const out = new Map<string, Expected>();
  for (const r of rows.rows) {
    out.set(`${r.brand_id}|${r.start}`, { mentions: r.mentions, positive: r.positive, neutral: r.neutral, negative: r.negative, unscored: r.unscored, scoreSum: r.score_sum });
  }
  return out;
}

const ZONES = ['UTC', 'Europe/Prague', 'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Tehran', 'America/St_Johns', 'Australia/Lord_Howe'];
const WINDOWS = [
  { since: '2026-03-19T00:00:00Z', until: '2026-04-08T00:00:00Z' },
  { since: '2026-03-22T07:20:00Z', until: '2026-04-02T16:40:00Z' },
];

/** Every trend bucket equals the mentions whose local time falls in it; nothing falls outside the buckets. */
async function checkTrends(key: string, workspaceId: string, step: string) {
  const configs: Array<{ interval: string; tz: string; source?: string; lang?: string }> = [{ interval: 'hour', tz: 'UTC' }];
  for (const tz of ZONES) for (const interval of ['day', 'week']) configs.push({ interval, tz });
  configs.push({ interval: 'day', tz: 'Asia/Kolkata', source: 'hackernews', lang: 'cs' });
  configs.push({ interval: 'day', tz: 'UTC', lang: 'en' });
  for (const w of WINDOWS) {
    for (const c of configs) {
      const label = `${step}: ${c.interval} in ${c.tz}${c.source ? ` source=${c.source}` : ''}${c.lang ? ` lang=${c.lang}` : ''} over ${w.since}…${w.until}`;
      const filters = `${c.source ? `&source=${c.source}` : ''}${c.lang ? `&lang=${c.lang}` : ''}`;
      const trend = await getOk(key, `/v1/trends/sentiment?interval=${c.interval}&tz=${c.tz}&since=${w.since}&until=${w.until}${filters}`);
      const expected = await countsFromMentions({ workspaceId, interval: c.interval, tz: c.tz, since: trend.since, until: trend.until, source: c.source, lang: c.lang });
      const seen = new Set<string>();
      for (const series of trend.series) {
        for (const b of series.buckets) {
          const k = `${series.brandId}|${Date.parse(b.start) / 1000}`;
          seen.add(k);
          const e = expected.get(k) ?? { mentions: 0, positive: 0, neutral: 0, negative: 0, unscored: 0, scoreSum: 0 };
          const scored = e.positive + e.neutral + e.negative;
          expect({ mentions: b.mentions, positive: b.positive, neutral: b.neutral, negative: b.negative, unscored: b.unscored }, `${label}, bucket ${b.start}`).toEqual({
            mentions: e.mentions,
            positive: e.positive,
            neutral: e.neutral,
            negative: e.negative,
            unscored: e.unscored,
          });
          if (scored) expect(Math.abs(b.avgScore - e.scoreSum / scored), `${label}, avgScore at ${b.start}`).toBeLessThan(1e-3);
          else expect(b.avgScore, `${label}, avgScore at ${b.start}`).toBeNull();
        }
      }
      const lost = [...expected.keys()].filter((k) => !seen.has(k));
      expect(lost, `${label}: buckets of mentions the trend has no bucket for`).toEqual([]);
    }
  }
}

async function countMentionList(key: string, query: string) {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: Json = await getOk(key, `/v1/mentions?${query}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

/** Share of voice per brand equals the brand's mentions in the window, which is what the mention list pages through. */
async function checkShareOfVoice(key: string, workspaceId: string, brandIds: string[], step: string) {
  for (const w of WINDOWS) {
    const sov = await getOk(key, `/v1/share-of-voice?since=${w.since}&until=${w.until}`);
    const rows = await sql<{ brand_id: string; n: number }>`
      select mb.brand_id, count(*)::int as n from mention_brands mb
      where mb.workspace_id = ${workspaceId} and mb.occurred_at >= ${sov.since}::timestamptz and mb.occurred_at < ${sov.until}::timestamptz
      group by 1`.execute(t.db);
    const byBrand = new Map(rows.rows.map((r) => [r.brand_id, r.n]));
    expect(sov.brands.map((b: Json) => b.brandId).sort(), step).toEqual([...brandIds].sort());
    for (const b of sov.brands) expect(b.mentions, `${step}: share of voice of ${b.brandId}`).toBe(byBrand.get(b.brandId) ?? 0);
    const total = sov.brands.reduce((n: number, b: Json) => n + b.mentions, 0);
    expect(sov.total).toBe(total);
    if (total) expect(Math.abs(sov.brands.reduce((s: number, b: Json) => s + b.share, 0) - 1), step).toBeLessThan(1e-12);
    // The mention list for the same brand and (whole-hour) window.
    for (const b of sov.brands) {
      expect(await countMentionList(key, `brand=${b.brandId}&since=${sov.since}&until=${sov.until}`), `${step}: mention list of ${b.brandId}`).toBe(b.mentions);
    }
  }
}

/** The rollup tables hold exactly what the stored links add up to (nothing has been purged in this workspace). */
async function checkRollupTables(workspaceId: string, step: string) {
  const diff = async (name: string, q: ReturnType<typeof sql<{ n: number }>>) => {
    const { rows } = await q.execute(t.db);
    expect(rows[0]!.n, `${step}: rows of ${name} that differ from the mentions`).toBe(0);
  };
  const linked = sql`select mb.brand_id, m.occurred_at, m.source_type, coalesce(m.lang, '') as lang, m.sentiment_label as label, m.sentiment_score as score, m.hashtags
    from mention_brands mb join mentions m on m.id = mb.mention_id where mb.workspace_id = ${workspaceId}`;
  await diff(
    'brand_hours',
    sql<{ n: number }>`
      with truth as (select brand_id, date_trunc('hour', occurred_at, 'UTC') as hour, count(*)::int as mentions,
          count(*) filter (where label = 'negative')::int as negative, count(*) filter (where label = 'unscored')::int as unscored from (${linked}) l group by 1, 2),
        stored as (select brand_id, hour, mentions, negative, unscored from brand_hours where workspace_id = ${workspaceId} and (mentions, negative, unscored) <> (0, 0, 0))
      select count(*)::int as n from ((table truth except table stored) union all (table stored except table truth)) d`,
  );
  await diff(
    'brand_days',
    sql<{ n: number }>`
      with truth as (select brand_id, (occurred_at at time zone 'UTC')::date as day, count(*)::int as mentions from (${linked}) l group by 1, 2),
        stored as (select brand_id, day, mentions from brand_days where workspace_id = ${workspaceId} and mentions <> 0)
      select count(*)::int as n from ((table truth except table stored) union all (table stored except table truth)) d`,
  );
  await diff(
    'mention_rollups',
    sql<{ n: number }>`
      with truth as (select brand_id, date_trunc('hour', occurred_at, 'UTC') as hour, source_type, lang, count(*)::int as mentions,
          count(*) filter (where label = 'positive')::int as positive from (${linked}) l group by 1, 2, 3, 4),
        stored as (select brand_id, hour, source_type, lang, mentions, positive from mention_rollups where workspace_id = ${workspaceId} and (mentions, positive) <> (0, 0))
      select count(*)::int as n from ((table truth except table stored) union all (table stored except table truth)) d`,
  );
  await diff(
    'hashtag_rollups',
    sql<{ n: number }>`
      with truth as (select brand_id, (occurred_at at time zone 'UTC')::date as day, tag, count(*)::int as mentions from (${linked}) l, unnest(l.hashtags) tag group by 1, 2, 3),
        stored as (select brand_id, day, tag, mentions from hashtag_rollups where workspace_id = ${workspaceId} and mentions <> 0)
      select count(*)::int as n from ((table truth except table stored) union all (table stored except table truth)) d`,
  );
  // The workspace's: each matched mention once, however many brands it has.
  await diff(
    'workspace_hashtags',
    sql<{ n: number }>`
      with truth as (select (m.occurred_at at time zone 'UTC')::date as day, t.tag, count(*)::int as mentions
          from mentions m cross join lateral (select distinct tag from unnest(m.hashtags) as tag) t
          where m.workspace_id = ${workspaceId} and m.matched group by 1, 2),
        stored as (select day, tag, mentions from workspace_hashtags where workspace_id = ${workspaceId} and mentions <> 0)
      select count(*)::int as n from ((table truth except table stored) union all (table stored except table truth)) d`,
  );
}

const TAGS = ['launch', 'ایران_خودرو', 'हिन्दी_दिवस', 'தமிழ்நாடு'];

/** Trending hashtags, workspace-wide and per brand, count what the mention list lists for each tag (nothing trended before the window). */
async function checkTrendingHashtags(key: string, brandIds: string[], step: string) {
  for (const brandId of [undefined, ...brandIds]) {
    const scope = brandId ? `&brand=${brandId}` : '';
    const trending = await getOk(key, `/v1/trending/hashtags?since=${WINDOWS[0]!.since}&until=${WINDOWS[0]!.until}&limit=100${scope}`);
    const byTag = new Map<string, number>(trending.items.map((i: Json) => [i.term, i.mentions]));
    for (const tag of TAGS) {
      const listed = await countMentionList(key, `hashtag=${encodeURIComponent(tag)}&since=${trending.since}&until=${trending.until}${scope}`);
      expect(listed, `${step}: ${tag} listed ${brandId ? `for ${brandId}` : 'workspace-wide'}`).toBeGreaterThanOrEqual(3);
      expect(byTag.get(tag), `${step}: trending ${tag} ${brandId ? `for ${brandId}` : 'workspace-wide'}`).toBe(listed);
    }
  }
}

describe('analytics agree with the mentions they count', () => {
  it('for random mentions, trends in every zone, share of voice, the mention list and the rollup tables agree with SQL over the mentions, through a rematch, a rescore and a brand deletion', async () => {
    const ws = await t.workspace('Property');
    const key = ws.key;
    const brand = async (name: string, query: string, role = 'competitor') => {
      const res = await t.request('POST', '/v1/brands', { key, body: { name, role, query } });
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };
    const alpha = await brand('Alpha', 'alpha', 'own');
    const beta = await brand('Beta', 'beta');
    const gamma = await brand('Gamma', 'gamma');
    const rss = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/property.xml' } })).json.id as string;
    const hn = (await t.request('POST', '/v1/sources', { key, body: { type: 'hackernews', query: 'alpha', baseUrl: 'http://127.0.0.1:9' } })).json.id as string;

    const next = createRandom(20260329).next;
    const from = Date.parse('2026-03-19T00:00:00Z');
    const span = 20 * 86_400_000;
    const batches: Record<string, ReturnType<typeof mention>[]> = { [rss]: [], [hn]: [] };
    // Local midnights of the zones with a 30 or 45 minute offset, in UTC: plant mentions around them.
    const nearMidnight = [18 * 60 + 15, 18 * 60 + 30, 20 * 60 + 30, 2 * 60 + 30, 3 * 60 + 30, 13 * 60 + 30, 13 * 60];
    for (let i = 0; i < 900; i++) {
      let at: number;
      if (i % 3 === 0) {
        const day = Math.floor(next() * 20);
        at = from + day * 86_400_000 + (nearMidnight[Math.floor(next() * nearMidnight.length)]! + Math.floor(next() * 60) - 30) * 60_000 + Math.floor(next() * 60_000);
      } else at = from + Math.floor(next() * span);
      const words = ['alpha', 'beta', 'gamma', 'delta'].filter(() => next() < 0.35);
      const brands = [words.includes('alpha') && alpha, words.includes('beta') && beta, words.includes('gamma') && gamma].filter((b): b is string => !!b);
      const l = next();
      const label = l < 0.3 ? 'positive' : l < 0.6 ? 'neutral' : l < 0.9 ? 'negative' : 'unscored';
      // Eighths: sums of them are exact in float4 and float8 alike.
      const score = label === 'unscored' ? 0 : label === 'positive' ? Math.ceil(next() * 8) / 8 : label === 'negative' ? -Math.ceil(next() * 8) / 8 : 0;
      const tags = TAGS.filter(() => next() < 0.3);
      const langs = ['en', 'cs', null] as const;
      const lang = langs[Math.floor(next() * 3)]!;
      const src = next() < 0.6 ? rss : hn;
      batches[src]!.push(mention({ at: new Date(at), brands, label, score, lang, hashtags: tags, text: `${words.join(' ')} talk number ${i}` }));
    }
    await seed(t.deps, { workspaceId: ws.id, sourceId: rss, sourceType: 'rss', mentions: batches[rss]! });
    await seed(t.deps, { workspaceId: ws.id, sourceId: hn, sourceType: 'hackernews', mentions: batches[hn]! });

    const check = async (step: string, brands: string[]) => {
      await checkRollupTables(ws.id, step);
      await checkTrendingHashtags(key, brands, step);
      await checkShareOfVoice(key, ws.id, brands, step);
      await checkTrends(key, ws.id, step);
    };
    await check('as stored', [alpha, beta, gamma]);
    const linksOf = async (brandId: string) =>
      Number((await t.db.selectFrom('mention_brands').select((eb) => eb.fn.countAll().as('n')).where('brand_id', '=', brandId).executeTakeFirstOrThrow()).n);
    const [alphaBefore, betaBefore] = [await linksOf(alpha), await linksOf(beta)];

    // Widened: Alpha gains every "delta" mention of its history.
    expect((await t.request('PATCH', `/v1/brands/${alpha}`, { key, body: { query: 'alpha OR delta' } })).status).toBe(200);
    await handlers()['brands.rematch']({ workspaceId: ws.id, brandId: alpha }, ctx());
    // Narrowed: Beta loses the mentions that also say gamma.
    expect((await t.request('PATCH', `/v1/brands/${beta}`, { key, body: { query: 'beta -gamma' } })).status).toBe(200);
    await handlers()['brands.rematch']({ workspaceId: ws.id, brandId: beta }, ctx());
    expect(await linksOf(alpha)).toBeGreaterThan(alphaBefore);
    expect(await linksOf(beta)).toBeLessThan(betaBefore);
    await check('after a rematch', [alpha, beta, gamma]);

    // Rescored with the real model: labels, scores and detected languages change.
    const plan = await planRescore({ db: t.db, model: t.deps.scorer.model });
    let changed = 0;
    for (const r of plan.ranges) changed += ((await handlers()['mentions.rescore']({ ...r }, ctx())) as { changed: number }).changed;
    expect(changed).toBeGreaterThan(100);
    await check('after a rescore', [alpha, beta, gamma]);

    expect((await t.request('DELETE', `/v1/brands/${gamma}`, { key })).status).toBe(204);
    await handlers()['brands.unlink']({ workspaceId: ws.id, brandId: gamma }, ctx());
    await check('after deleting a brand', [alpha, beta]);
  });
});

describe('time zones a marketer uses', () => {
  let key: string;
  let brand: string;
  beforeAll(async () => {
    const ws = await t.workspace('Zones');
    key = ws.key;
    brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Z', role: 'own', query: 'z' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/zones.xml' } })).json.id;
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [
        mention({ at: '2026-10-01T18:10:00Z', brands: [brand] }), // 23:40 on 1 Oct in Kolkata, 23:55 in Kathmandu, 21:40 in Tehran
        mention({ at: '2026-10-01T18:40:00Z', brands: [brand] }), // 00:10 on 2 Oct in Kolkata, 00:25 in Kathmandu, 22:10 in Tehran
        mention({ at: '2026-10-01T20:40:00Z', brands: [brand] }), // 02:10 on 2 Oct in Kolkata, 02:25 in Kathmandu, 00:10 on 2 Oct in Tehran
      ],
    });
  });

  it.each([
    ['Asia/Kolkata', ['2026-09-30T18:30:00.000Z', 1], ['2026-10-01T18:30:00.000Z', 2]],
    ['Asia/Kathmandu', ['2026-09-30T18:15:00.000Z', 1], ['2026-10-01T18:15:00.000Z', 2]],
    ['Asia/Tehran', ['2026-09-30T20:30:00.000Z', 2], ['2026-10-01T20:30:00.000Z', 1]],
  ] as const)('a mention just after local midnight in %s counts on the new local day, not the one before', async (tz, first, second) => {
    const res = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=day&tz=${tz}&since=2026-10-01T00:00:00Z&until=2026-10-03T00:00:00Z`, { key });
    expect(res.status, res.text).toBe(200);
    const buckets = res.json.series[0].buckets.map((b: { start: string; mentions: number }) => [b.start, b.mentions]);
    expect(buckets.slice(0, 2)).toEqual([first, second]);
  });

  it.each([
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['Asia/Kathmandu', 'Asia/Kathmandu'],
    ['europe/prague', 'Europe/Prague'],
    // One name per zone: an older name or a link is answered as the zone's current name.
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['US/Eastern', 'America/New_York'],
    ['CET', 'CET'],
  ])('answers with the zone as it was asked for (%s), not an older alias of it', async (tz, echoed) => {
    const res = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=day&tz=${tz}&since=2026-10-01T00:00:00Z&until=2026-10-03T00:00:00Z`, { key });
    expect(res.status, res.text).toBe(200);
    expect(res.json.tz).toBe(echoed);
  });
});

describe('windows trending cannot compare', () => {
  it.each(['/v1/trending/hashtags', '/v1/trending/keywords'])('%s: a window whose equal window before it leaves the calendar is a 400 naming since, not a 500', async (path) => {
    const ws = await t.workspace(`Window ${path}`);
    for (const window of ['since=0001-01-01T00:00:00Z&until=9999-12-31T00:00:00Z', 'since=0001-01-01T00:00:00Z&until=0001-01-08T00:00:00Z', 'since=1000-01-01T00:00:00Z&until=2026-01-01T00:00:00Z']) {
      const res = await t.request('GET', `${path}?${window}`, { key: ws.key });
      expect(res.status, `${window}: ${res.text}`).toBe(400);
      expect(res.json.error.code).toBe('validation.failed');
      expect(res.json.error.fields[0].field).toBe('since');
    }
  });
});

describe('the SWOT over a window it cannot compare', () => {
  it('a window within 1900–9000 whose equal window before it leaves the calendar is a 400 naming since, not a 500', async () => {
    const ws = await t.workspace('Window swot');
    const own = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Own', role: 'own', query: 'own' } })).json.id;
    const res = await t.request('GET', `/v1/swot?brand=${own}&since=1900-01-01T00:00:00Z&until=9000-01-01T00:00:00Z`, { key: ws.key });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.fields[0].field).toBe('since');
    // Refused first for its length: a SWOT covers at most 366 days.
    expect(res.json.error.message).toContain('a SWOT covers at most 366 days');
  });
});

describe('one word, one term, whatever language its mentions were detected in', () => {
  // Words of an English mention are keyed by their stems ("outage" → outag); a short post whose
  // language was not detected keeps them as written. Counted apart, "outage" was two rows.
  it('trending keywords and terms count a word once across detected and undetected languages, in both windows', async () => {
    const ws = await t.workspace('Outage words');
    const rival = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Globex', role: 'competitor', query: 'globex' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/outage.xml' } })).json.id;
    const at = (day: number, hour: number) => `2026-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    const mentions = [
      // This week: 8 short posts with no language and 4 English ones; the week before: 2 with no language.
      // Each ends in its own number (no term): copies of one text count once.
      ...Array.from({ length: 8 }, (_, i) => mention({ at: at(11, i), brands: [rival], lang: null, label: 'negative', text: `Globex cloud outage hits customers ${i}` })),
      ...Array.from({ length: 4 }, (_, i) => mention({ at: at(12, i), brands: [rival], lang: 'en', label: 'negative', text: `The Globex outage is the worst thing this year and we are unhappy ${i}` })),
      ...Array.from({ length: 2 }, (_, i) => mention({ at: at(5, i), brands: [rival], lang: null, label: 'negative', text: `Globex outage again ${i}` })),
    ];
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const window = 'since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z';

    const trending = ((await getOk(ws.key, `/v1/trending/keywords?brand=${rival}&${window}`)).items as Json[]).filter((i) => i.term === 'outage');
    expect(trending.map((i) => [i.mentions, i.previous])).toEqual([[12, 2]]);
    const terms = ((await getOk(ws.key, `/v1/terms?brand=${rival}&${window}`)).items as Json[]).filter((i) => i.term === 'outage');
    expect(terms.map((i) => [i.mentions, i.negative])).toEqual([[12, 12]]);
  });
});

describe('trending over a window that reaches into the future', () => {
  it('compares what has happened of the window with an equal stretch before it, not a full window of history with a part of one', async () => {
    const ws = await t.workspace('Future window');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Zeta', role: 'own', query: 'zeta' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/future.xml' } })).json.id;
    const DAY = 86_400_000;
    const today = Math.floor(Date.now() / DAY) * DAY;
    const at = (daysAgo: number, i: number) => new Date(today - daysAgo * DAY + 12 * 3_600_000 + i * 60_000);
    const rising = (daysAgo: number, i: number) => mention({ at: at(daysAgo, i), brands: [brand], hashtags: ['quokka'], text: `zeta quokka sighting ${i}` });
    const mentions = [];
    // Yesterday 8, after at most 3 in the equal stretch before (2, and 1 more for hashtags' whole
    // days or after noon): a rise above noise (5 ≥ 2·√4). A full week before would hold 8: no rise.
    for (let i = 0; i < 8; i++) mentions.push(rising(1, i)); // yesterday: 8
    for (let i = 0; i < 2; i++) mentions.push(rising(2, i)); // the day before: 2
    for (let d = 3; d <= 8; d++) mentions.push(rising(d, 0)); // one a day before that
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });

    // "This week", asked on its second day: since yesterday, until six days from now.
    const window = `since=${new Date(today - DAY).toISOString()}&until=${new Date(today + 6 * DAY).toISOString()}`;
    for (const path of ['/v1/trending/hashtags', '/v1/trending/keywords']) {
      const res = await t.request('GET', `${path}?brand=${brand}&${window}`, { key: ws.key });
      expect(res.status, res.text).toBe(200);
      // The keyword is the phrase that holds every "quokka" of these mentions.
      const term = path.endsWith('hashtags') ? 'quokka' : 'quokka sighting';
      const item = res.json.items.find((i: { term: string }) => i.term === term);
      expect(item, `${path}: ${res.text}`).toMatchObject({ mentions: 8 });
      expect(item.previous, path).toBeLessThanOrEqual(3);
      expect(Date.parse(res.json.until), path).toBeLessThanOrEqual(today + DAY);
    }
    // Nothing of a window wholly in the future has happened: nothing is trending in it.
    const later = await t.request('GET', `/v1/trending/hashtags?brand=${brand}&since=${new Date(today + 2 * DAY).toISOString()}&until=${new Date(today + 9 * DAY).toISOString()}`, { key: ws.key });
    expect(later.status).toBe(200);
    expect(later.json.items).toEqual([]);
  });
});

describe('share of voice at its edges', () => {
  it('with no mentions every share is 0, with one brand its share is 1, and a deleted brand leaves the rest summing to 1', async () => {
    const ws = await t.workspace('Voice edges');
    const window = 'since=2026-06-01T00:00:00Z&until=2026-06-08T00:00:00Z';
    expect(await getOk(ws.key, `/v1/share-of-voice?${window}`)).toMatchObject({ total: 0, brands: [] });
    const solo = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Solo', role: 'own', query: 'solo' } })).json.id;
    expect((await getOk(ws.key, `/v1/share-of-voice?${window}`)).brands).toEqual([{ brandId: solo, name: 'Solo', role: 'own', mentions: 0, share: 0, netSentiment: null }]);
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/voice.xml' } })).json.id;
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions: [mention({ at: '2026-06-02T10:00:00Z', brands: [solo], label: 'positive' })] });
    expect((await getOk(ws.key, `/v1/share-of-voice?${window}`)).brands).toEqual([{ brandId: solo, name: 'Solo', role: 'own', mentions: 1, share: 1, netSentiment: 1 }]);
    const others = [];
    for (const name of ['One', 'Two', 'Three']) others.push((await t.request('POST', '/v1/brands', { key: ws.key, body: { name, role: 'competitor', query: name.toLowerCase() } })).json.id);
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions: others.map((id) => mention({ at: '2026-06-03T10:00:00Z', brands: [id] })) });
    const thirds = await getOk(ws.key, `/v1/share-of-voice?${window}`);
    expect(thirds.brands.map((b: Json) => b.share)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect((await t.request('DELETE', `/v1/brands/${others[0]}`, { key: ws.key })).status).toBe(204);
    const after = await getOk(ws.key, `/v1/share-of-voice?${window}`);
    expect(after.brands.map((b: Json) => b.brandId)).toEqual([solo, others[1], others[2]]);
    expect(after.total).toBe(3);
    expect(Math.abs(after.brands.reduce((n: number, b: Json) => n + b.share, 0) - 1)).toBeLessThan(1e-12);
  });
});

describe('trending hashtags across brands', () => {
  // hashtag_rollups counts (brand, mention) links: summed over brands, a mention of two brands
  // would count twice, where the mention list (hashtag=) and trending keywords count it once.
  it('workspace-wide trending hashtags count a mention of two brands once, as the mention list does', async () => {
    const ws = await t.workspace('Shared tags');
    const a = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'A', role: 'own', query: 'a' } })).json.id;
    const b = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'B', role: 'competitor', query: 'b' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/shared.xml' } })).json.id;
    const mentions = [0, 1, 2, 3].map((i) => mention({ at: `2026-05-10T1${i}:00:00Z`, brands: [a, b], hashtags: ['सम्मेलन'] }));
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const window = 'since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z';
    const listed = await getOk(ws.key, `/v1/mentions?hashtag=${encodeURIComponent('सम्मेलन')}&${window}`);
    expect(listed.items).toHaveLength(4);
    const trending = await getOk(ws.key, `/v1/trending/hashtags?${window}`);
    expect(trending.items[0]).toMatchObject({ term: 'सम्मेलन', mentions: 4 });
    // Each brand's own trending still counts its own mentions.
    for (const brand of [a, b]) expect((await getOk(ws.key, `/v1/trending/hashtags?brand=${brand}&${window}`)).items[0]).toMatchObject({ term: 'सम्मेलन', mentions: 4 });
  });

  it('lists 50 trending items unless told, as every list does', async () => {
    const ws = await t.workspace('Many tags');
    const a = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'A', role: 'own', query: 'a' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/many.xml' } })).json.id;
    const mentions = Array.from({ length: 60 }, (_, tag) => [0, 1, 2].map((k) => mention({ at: `2026-05-1${k}T10:00:00Z`, brands: [a], hashtags: [`tag${tag}`] }))).flat();
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const window = 'since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z';
    expect((await getOk(ws.key, `/v1/trending/hashtags?${window}`)).items).toHaveLength(50);
    expect((await getOk(ws.key, `/v1/trending/hashtags?limit=60&${window}`)).items).toHaveLength(60);
  });

  it('spellings of one tag are one trending tag, named as most people wrote it, as the hashtag stream finds them', async () => {
    const ws = await t.workspace('Spelt tags');
    const a = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'A', role: 'own', query: 'a' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/spelt.xml' } })).json.id;
    // Persian letters with the ZWNJ three times, Arabic letters without it once; Hindi with and without the nukta.
    const tags = ['دیجی‌کالا', 'دیجی‌کالا', 'دیجی‌کالا', 'ديجيكالا', 'कॉफ़ी', 'कॉफी', 'कॉफी'];
    const mentions = tags.map((tag, i) => mention({ at: `2026-05-10T1${i}:00:00Z`, brands: [a], hashtags: [tag] }));
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const window = 'since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z';
    for (const path of [`/v1/trending/hashtags?${window}`, `/v1/trending/hashtags?brand=${a}&${window}`]) {
      const items = (await getOk(ws.key, path)).items as Json[];
      expect(items.map((i) => [i.term, i.mentions]).sort(), path).toEqual([
        ['دیجی‌کالا', 4],
        ['कॉफी', 3],
      ]);
    }
    expect((await getOk(ws.key, `/v1/mentions?hashtag=${encodeURIComponent('ديجيكالا')}&${window}`)).items).toHaveLength(4);
  });
});
