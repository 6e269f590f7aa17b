import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

let t: TestApp;
let key: string;
let workspaceId: string;
let sourceId: string;
let own: string;
let rival: string;

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Analytics');
  key = ws.key;
  workspaceId = ws.id;
  own = (await t.request('POST', '/v1/brands', { key, body: { name: 'Own', role: 'own', query: 'own' } })).json.id;
  rival = (await t.request('POST', '/v1/brands', { key, body: { name: 'Rival', role: 'competitor', query: 'rival' } })).json.id;
  sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/feed.xml' } })).json.id;
});
afterAll(async () => t.close());

const get = async (path: string) => {
  const res = await t.request('GET', path, { key });
  expect(res.status, res.text).toBe(200);
  return res.json;
};

describe('sentiment trends', () => {
  it('count each bucket, zero-fill the ones without mentions, and average only scored mentions', async () => {
    await seed(t.deps, {
      workspaceId,
      sourceId,
      mentions: [
        mention({ at: '2026-03-02T09:00:00Z', brands: [own], label: 'positive', score: 0.8 }),
        mention({ at: '2026-03-02T10:30:00Z', brands: [own], label: 'negative', score: -0.4 }),
        mention({ at: '2026-03-02T11:00:00Z', brands: [own, rival], label: 'unscored', score: 0, lang: 'gu' }),
        mention({ at: '2026-03-04T08:00:00Z', brands: [own], label: 'neutral', score: 0 }),
      ],
    });
    const trend = await get(`/v1/trends/sentiment?brand=${own}&interval=day&since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z`);
    expect(trend.series).toHaveLength(1);
    const buckets = trend.series[0].buckets;
    expect(buckets.map((b: { start: string }) => b.start)).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-03-04T00:00:00.000Z',
    ]);
    expect(buckets[0]).toMatchObject({ mentions: 0, avgScore: null, gap: false });
    expect(buckets[1]).toMatchObject({ mentions: 3, positive: 1, negative: 1, unscored: 1, neutral: 0, avgScore: 0.2 });
    expect(buckets[2].mentions).toBe(0);
    expect(buckets[3]).toMatchObject({ mentions: 1, neutral: 1, avgScore: 0 });

    // Windows that cut days: whole days come from the daily rollup, the edges from hours.
    const edges = await get(`/v1/trends/sentiment?brand=${own}&interval=day&since=2026-03-02T10:00:00Z&until=2026-03-04T09:00:00Z`);
    expect(edges.series[0].buckets.map((b: { mentions: number }) => b.mentions)).toEqual([2, 0, 1]);
    const hourly = await get(`/v1/trends/sentiment?brand=${own}&interval=hour&since=2026-03-02T09:00:00Z&until=2026-03-02T12:00:00Z`);
    expect(hourly.series[0].buckets.map((b: { mentions: number }) => b.mentions)).toEqual([1, 1, 1]);
    const filtered = await get(`/v1/trends/sentiment?brand=${own}&interval=day&lang=gu&since=2026-03-02T00:00:00Z&until=2026-03-03T00:00:00Z`);
    expect(filtered.series[0].buckets[0]).toMatchObject({ mentions: 1, unscored: 1 });
  });

  it('without brand= gives one series per brand', async () => {
    const trend = await get('/v1/trends/sentiment?interval=week&since=2026-03-02T00:00:00Z&until=2026-03-09T00:00:00Z');
    const byBrand = Object.fromEntries(trend.series.map((s: { brandId: string; buckets: Array<{ mentions: number }> }) => [s.brandId, s.buckets]));
    expect(byBrand[own].map((b: { mentions: number }) => b.mentions)).toEqual([4]);
    expect(byBrand[rival].map((b: { mentions: number }) => b.mentions)).toEqual([1]);
  });

  it('cuts days in the requested time zone, across a DST change', async () => {
    // Europe/Prague leaves summer time on 2026-10-25: that local day has 25 hours.
    const ws = await t.workspace('DST');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'B', role: 'own', query: 'b' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/dst.xml' } })).json.id;
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [
        mention({ at: '2026-10-24T22:30:00Z', brands: [brand] }), // 00:30 CEST on the 25th
        mention({ at: '2026-10-25T22:30:00Z', brands: [brand] }), // 23:30 CET on the 25th
        mention({ at: '2026-10-25T23:30:00Z', brands: [brand] }), // 00:30 CET on the 26th
      ],
    });
    const res = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=day&tz=Europe/Prague&since=2026-10-24T22:00:00Z&until=2026-10-26T23:00:00Z`, { key: ws.key });
    expect(res.json.series[0].buckets).toEqual([
      expect.objectContaining({ start: '2026-10-24T22:00:00.000Z', mentions: 2 }),
      expect.objectContaining({ start: '2026-10-25T23:00:00.000Z', mentions: 1 }),
    ]);
    const utc = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=day&since=2026-10-24T00:00:00Z&until=2026-10-26T00:00:00Z`, { key: ws.key });
    expect(utc.json.series[0].buckets.map((b: { mentions: number }) => b.mentions)).toEqual([1, 2]);
  });

  it('UTC buckets made in code match the ones Postgres makes for a zone at UTC+0 (Europe/London in March)', async () => {
    for (const interval of ['day', 'week']) {
      const window = `interval=${interval}&since=2026-03-04T10:00:00Z&until=2026-03-17T05:00:00Z&brand=${own}`;
      const utc = await get(`/v1/trends/sentiment?${window}`);
      const london = await get(`/v1/trends/sentiment?${window}&tz=Europe/London`);
      expect(utc.series[0].buckets, interval).toEqual(london.series[0].buckets);
    }
    const weeks = await get(`/v1/trends/sentiment?interval=week&since=2026-03-04T10:00:00Z&until=2026-03-17T05:00:00Z&brand=${own}`);
    expect(weeks.series[0].buckets.map((b: { start: string }) => b.start)).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z']);
  });

  it('refuses unknown time zones and absurd bucket counts, naming the field', async () => {
    const tz = await t.request('GET', `/v1/trends/sentiment?tz=Mars/Olympus`, { key });
    expect(tz.status).toBe(400);
    expect(tz.json.error.fields[0].field).toBe('tz');
    const many = await t.request('GET', `/v1/trends/sentiment?interval=hour&since=2020-01-01T00:00:00Z&until=2026-01-01T00:00:00Z`, { key });
    expect(many.status).toBe(400);
    expect(many.json.error.fields[0].field).toBe('interval');
  });

  it("answers 404 for another workspace's brand and an unknown id, 400 naming brand for what is not an id; an empty brand= is a 400, not every brand", async () => {
    const other = await t.workspace('Other trends');
    const theirs = (await t.request('POST', '/v1/brands', { key: other.key, body: { name: 'Theirs', role: 'own', query: 'theirs' } })).json.id;
    for (const brand of [theirs, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z`, { key });
      expect(res.status, brand).toBe(404);
      expect(res.json.error.code).toBe('brands.not_found');
    }
    const notAnId = await t.request('GET', '/v1/trends/sentiment?brand=not-an-id&since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z', { key });
    expect(notAnId.status).toBe(400);
    expect(notAnId.json.error.fields.map((f: { field: string }) => f.field)).toEqual(['brand']);
    // A dashboard whose brand selector is unset must not get the workspace's figures as if they were a brand's.
    for (const path of ['/v1/trends/sentiment', '/v1/trending/hashtags', '/v1/trending/keywords', '/v1/terms', '/v1/swot']) {
      const empty = await t.request('GET', `${path}?brand=&since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z`, { key });
      expect(empty.status, path).toBe(400);
      expect(empty.json.error.fields, path).toEqual([{ field: 'brand', message: 'must not be empty' }]);
    }
    const all = await get('/v1/trends/sentiment?since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z');
    expect(all.series.map((s: { brandId: string }) => s.brandId)).toEqual([own, rival]);
  });

  it('finds a brand by its id in capitals on every analytics route, as the mention stream does', async () => {
    const window = 'since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z';
    for (const path of ['/v1/trends/sentiment', '/v1/trending/hashtags', '/v1/trending/keywords', '/v1/terms', '/v1/swot', '/v1/mentions']) {
      const res = await t.request('GET', `${path}?brand=${own.toUpperCase()}&${window}`, { key });
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
    const trend = await get(`/v1/trends/sentiment?brand=${own.toUpperCase()}&${window}`);
    expect(trend.series.map((s: { brandId: string }) => s.brandId)).toEqual([own]);
  });

  it('takes outage bounds to the millisecond, as a Date holds them: one ending 0.4 ms after an hour leaves that hour whole', async () => {
    const ws = await t.workspace('Gap bounds');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'M', role: 'own', query: 'm' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/m.xml' } })).json.id;
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions: [mention({ at: '2026-10-20T03:00:00Z', brands: [brand] })] });
    await sql`insert into source_outages (source_id, workspace_id, started_at, ended_at)
      values (${src}, ${ws.id}, '2026-10-20T05:59:59.9996Z', '2026-10-20T09:00:00.0004Z')`.execute(t.db);
    const trend = (await t.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=hour&since=2026-10-20T04:00:00Z&until=2026-10-20T11:00:00Z`, { key: ws.key })).json;
    expect(trend.series[0].buckets.map((b: { gap: boolean }) => b.gap)).toEqual([false, true, true, true, true, false, false]);
  });

  it('marks buckets in which a source feeding the brand was failing as gaps', async () => {
    const ws = await t.workspace('Gaps');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'G', role: 'own', query: 'g' } })).json.id;
    const other = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'H', role: 'own', query: 'h' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/g.xml' } })).json.id;
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions: [mention({ at: new Date(Date.now() - 3 * 86_400_000), brands: [brand] })] });
    const failedAt = new Date(Date.now() - 30 * 3600_000);
    await t.deps.sourceRepository.recordFailure(src, { now: failedAt, status: 500, error: 'HTTP 500', nextFetchAt: new Date(), disable: false });
    const until = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000).toISOString();
    const trend = (await t.request('GET', `/v1/trends/sentiment?interval=day&until=${until}`, { key: ws.key })).json;
    const gaps = (id: string) => trend.series.find((s: { brandId: string }) => s.brandId === id).buckets.map((b: { gap: boolean }) => b.gap);
    const expected = trend.series[0].buckets.map((b: { start: string }, i: number, all: Array<{ start: string }>) => {
      const end = all[i + 1] ? new Date(all[i + 1]!.start) : new Date(until);
      return end > failedAt;
    });
    expect(gaps(brand)).toEqual(expected);
    expect(expected.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(gaps(other).every((g: boolean) => !g)).toBe(true); // the source never fed H

    // The next success closes the outage: later buckets are not gaps.
    const recovered = new Date(Date.now() - 20 * 3600_000);
    await t.db.transaction().execute((trx) => t.deps.sourceRepository.recordSuccess(trx, src, { now: recovered, status: 200, state: null, nextFetchAt: new Date(), counts: { read: 0, new: 0, matched: 0 } }));
    const after = (await t.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=hour&since=${new Date(Date.now() - 12 * 3600_000).toISOString()}`, { key: ws.key })).json;
    expect(after.series[0].buckets.every((b: { gap: boolean }) => !b.gap)).toBe(true);
  });
});

describe('share of voice', () => {
  it('gives each brand its share of brand mentions, summing to 1, with net sentiment', async () => {
    const sov = await get('/v1/share-of-voice?since=2026-03-01T00:00:00Z&until=2026-03-10T00:00:00Z');
    const byBrand = Object.fromEntries(sov.brands.map((b: { brandId: string }) => [b.brandId, b]));
    expect(byBrand[own]).toMatchObject({ role: 'own', mentions: 4, share: 0.8, netSentiment: 0 });
    expect(byBrand[rival]).toMatchObject({ role: 'competitor', mentions: 1, share: 0.2, netSentiment: null });
    expect(sov.brands.reduce((s: number, b: { share: number }) => s + b.share, 0)).toBeCloseTo(1, 10);
  });
});

describe('brand names beside brand ids', () => {
  // Czech with háčky, Persian with a zero-width non-joiner (U+200C) inside the word, Tamil with vowel signs.
  const NAMES = { cs: 'Kavárna Šťastný Čaj', fa: 'قهوه\u200Cخانه نادری', ta: 'காபி கடை' };

  it('share of voice and each trend series name their brand, in any script, as it is named now; a deleted brand is gone', async () => {
    const ws = await t.workspace('Names');
    const brand = async (name: string, role: string, query: string) => (await t.request('POST', '/v1/brands', { key: ws.key, body: { name, role, query } })).json.id as string;
    const cs = await brand(NAMES.cs, 'own', 'stastny');
    const fa = await brand(NAMES.fa, 'competitor', 'naderi');
    const ta = await brand(NAMES.ta, 'competitor', 'kadai');
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/names.xml' } })).json.id;
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [
        mention({ at: '2026-03-02T09:00:00Z', brands: [cs], label: 'positive', score: 0.6 }),
        mention({ at: '2026-03-02T10:00:00Z', brands: [fa, ta], label: 'negative', score: -0.5 }),
        mention({ at: '2026-03-03T10:00:00Z', brands: [ta] }),
      ],
    });
    const window = 'since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z';
    const read = async (path: string) => {
      const res = await t.request('GET', path, { key: ws.key });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    const named = (rows: Array<{ brandId: string; name: string }>) => rows.map(({ brandId, name }) => ({ brandId, name }));
    const everyName = [{ brandId: cs, name: NAMES.cs }, { brandId: fa, name: NAMES.fa }, { brandId: ta, name: NAMES.ta }];

    const sov = await read(`/v1/share-of-voice?${window}`);
    expect(named(sov.brands)).toEqual(everyName);
    expect(sov.brands.map((b: { mentions: number }) => b.mentions)).toEqual([1, 1, 2]);
    expect(named((await read(`/v1/trends/sentiment?${window}`)).series)).toEqual(everyName);
    expect(named((await read(`/v1/trends/sentiment?brand=${fa}&${window}`)).series)).toEqual([{ brandId: fa, name: NAMES.fa }]);
    // The text is the name as stored, code unit for code unit: the ZWNJ is kept.
    expect(sov.brands[1].name).toHaveLength(NAMES.fa.length);

    expect((await t.request('PATCH', `/v1/brands/${ta}`, { key: ws.key, body: { name: 'தேநீர் கடை' } })).status).toBe(200);
    expect((await read(`/v1/trends/sentiment?brand=${ta}&${window}`)).series[0].name).toBe('தேநீர் கடை');
    expect((await t.request('DELETE', `/v1/brands/${fa}`, { key: ws.key })).status).toBe(204);
    const after = await read(`/v1/share-of-voice?${window}`);
    expect(named(after.brands)).toEqual([{ brandId: cs, name: NAMES.cs }, { brandId: ta, name: 'தேநீர் கடை' }]);
    expect(after.total).toBe(3);
    expect(named((await read(`/v1/trends/sentiment?${window}`)).series)).toEqual([{ brandId: cs, name: NAMES.cs }, { brandId: ta, name: 'தேநீர் கடை' }]);
  });

  it('/openapi.json declares the names as required fields of share of voice and of each trend series', async () => {
    const schemas = (await t.request('GET', '/openapi.json')).json.components.schemas;
    expect(schemas.ShareOfVoice.properties.brands.items.required).toEqual(expect.arrayContaining(['brandId', 'name']));
    expect(schemas.SentimentTrend.properties.series.items.required).toEqual(expect.arrayContaining(['brandId', 'name']));
  });
});

describe('idempotent rollups', () => {
  it('a retried batch is not counted twice', async () => {
    const batch = [
      mention({ at: '2026-04-01T10:00:00Z', brands: [rival], label: 'negative', key: 'retry-1' }),
      mention({ at: '2026-04-01T11:00:00Z', brands: [rival], label: 'positive', key: 'retry-2' }),
    ];
    await seed(t.deps, { workspaceId, sourceId, mentions: batch });
    await seed(t.deps, { workspaceId, sourceId, mentions: batch });
    await Promise.all([seed(t.deps, { workspaceId, sourceId, mentions: batch }), seed(t.deps, { workspaceId, sourceId, mentions: batch })]);
    const trend = await get(`/v1/trends/sentiment?brand=${rival}&interval=day&since=2026-04-01T00:00:00Z&until=2026-04-02T00:00:00Z`);
    expect(trend.series[0].buckets[0]).toMatchObject({ mentions: 2, negative: 1, positive: 1 });
  });
});

describe('trending hashtags', () => {
  it('finds the planted rising hashtag among steady noise, ignoring tiny counts', async () => {
    const ws = await t.workspace('Trending');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'T', role: 'own', query: 't' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/t.xml' } })).json.id;
    const mentions = [];
    for (let day = 1; day <= 14; day++) {
      const at = `2026-05-${String(day).padStart(2, '0')}T12:00:00Z`;
      for (let i = 0; i < 5; i++) mentions.push(mention({ at, brands: [brand], hashtags: ['steady', `noise${(day * 7 + i) % 11}`] }));
      if (day > 7) for (let i = 0; i < day; i++) mentions.push(mention({ at, brands: [brand], hashtags: ['launch'] }));
    }
    mentions.push(mention({ at: '2026-05-10T12:00:00Z', brands: [brand], hashtags: ['tiny'] }));
    mentions.push(mention({ at: '2026-05-11T12:00:00Z', brands: [brand], hashtags: ['tiny'] }));
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const res = await t.request('GET', `/v1/trending/hashtags?brand=${brand}&since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z`, { key: ws.key });
    expect(res.status).toBe(200);
    expect(res.json.items[0]).toMatchObject({ term: 'launch', mentions: 8 + 9 + 10 + 11 + 12 + 13 + 14, previous: 0 });
    const terms = res.json.items.map((i: { term: string }) => i.term);
    expect(terms).not.toContain('steady'); // no growth
    expect(terms).not.toContain('tiny'); // under the minimum count
  });
});

describe('retention', () => {
  it('deletes exactly the mentions older than retentionDays, and the rollups survive', async () => {
    const ws = await t.workspace('Retention');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'R', role: 'own', query: 'r' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/r.xml' } })).json.id;
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [mention({ at: days(40), brands: [brand] }), mention({ at: days(31), brands: [brand] }), mention({ at: days(29), brands: [brand] }), mention({ at: days(1), brands: [brand] })],
    });
    // Another workspace without retention keeps its old mentions.
    await seed(t.deps, { workspaceId, sourceId, mentions: [mention({ at: days(400), brands: [own] })] });

    const patched = await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { retentionDays: 30 } });
    expect(patched.status).toBe(200);
    expect(patched.json.retentionDays).toBe(30);
    expect((await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { retentionDays: 0 } })).status).toBe(400);

    const { maintenanceHandlers } = await import('../../src/workers/maintenance.worker.js');
    const result = await maintenanceHandlers(t.deps)['mentions.retention']({}, { log: t.deps.log, job: {} as never, token: undefined });
    expect(result).toEqual({ deleted: 2 });

    const left = await t.db.selectFrom('mentions').select('occurred_at').where('workspace_id', '=', ws.id).execute();
    expect(left.map((r) => Math.round((Date.now() - r.occurred_at.getTime()) / 86_400_000)).sort((a, b) => a - b)).toEqual([1, 29]);
    const kept = await t.db.selectFrom('mentions').select('id').where('workspace_id', '=', workspaceId).where('occurred_at', '<', days(300)).execute();
    expect(kept).toHaveLength(1);

    const sov = (await t.request('GET', `/v1/share-of-voice?since=${days(45).toISOString()}`, { key: ws.key })).json;
    expect(sov.brands[0].mentions).toBe(4); // rollups outlive raw mentions
  });
});

describe('the raw window (RAW_RETENTION_DAYS)', () => {
  it('purges items that matched nothing and live events older than the window; matched mentions and newer items stay', async () => {
    const ws = await t.workspace('Raw window');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'W', role: 'own', query: 'w' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/w.xml' } })).json.id;
    const at = new Date(Date.now() - 3_600_000);
    const stored = [
      mention({ at, brands: [], text: 'raw old' }),
      mention({ at, brands: [], text: 'raw new' }),
      mention({ at, brands: [brand], text: 'matched old' }),
      mention({ at, brands: [brand], text: 'matched new' }),
    ];
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions: stored });
    // Stored 31 days ago (the raw window is kept by storage time, not by the item's date).
    const aged = await t.db.updateTable('mentions').set({ created_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('workspace_id', '=', ws.id).where('text', 'in', ['raw old', 'matched old']).returning('id').execute();
    await t.db.updateTable('mention_events').set({ created_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('mention_id', 'in', aged.map((r) => r.id)).execute();

    const { maintenanceHandlers } = await import('../../src/workers/maintenance.worker.js');
    const result = await maintenanceHandlers(t.deps)['mentions.purge-raw']({}, { log: t.deps.log, job: {} as never, token: undefined });
    expect(result).toMatchObject({ deleted: 1, events: 1 });
    const left = await t.db.selectFrom('mentions').select('text').where('workspace_id', '=', ws.id).orderBy('text').execute();
    expect(left.map((r) => r.text)).toEqual(['matched new', 'matched old', 'raw new']);
    const events = await t.db.selectFrom('mention_events').select('mention_id').where('workspace_id', '=', ws.id).execute();
    expect(events).toHaveLength(1);
  });
});

describe('keywords and terms', () => {
  it("a brand's trending keywords and terms leave out its competitors' names too", async () => {
    const ws = await t.workspace('Competitor names');
    const lumen = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Lumen', role: 'own', query: 'lumen' } })).json.id;
    await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Kofi Roasters', role: 'competitor', query: '"kofi roasters" OR kofi' } });
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/c.xml' } })).json.id;
    const mentions = [];
    for (let day = 8; day <= 14; day++) {
      const at = `2026-07-${String(day).padStart(2, '0')}T12:00:00Z`;
      for (let i = 0; i < 3; i++) mentions.push(mention({ at, brands: [lumen], text: `Lumen refill station beats Kofi ${i}`, lang: 'en' }));
    }
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const window = 'since=2026-07-08T00:00:00Z&until=2026-07-15T00:00:00Z';
    const trending = (await t.request('GET', `/v1/trending/keywords?brand=${lumen}&${window}`, { key: ws.key })).json.items.map((i: { term: string }) => i.term);
    expect(trending).toContain('refill station beats');
    const cloud = (await t.request('GET', `/v1/terms?brand=${lumen}&${window}`, { key: ws.key })).json.items.map((i: { term: string }) => i.term);
    for (const terms of [trending, cloud]) expect(terms.filter((term: string) => /kofi/u.test(term))).toEqual([]);
  });

  it("a brand's keywords and terms take from a post about two brands only the clauses about it", async () => {
    const ws = await t.workspace('Clauses in keywords');
    const lumen = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Lumen', role: 'own', query: 'lumen' } })).json.id;
    const kofi = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Kofi', role: 'competitor', query: 'kofi' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/clauses.xml' } })).json.id;
    const texts = ['Lumen refill station is lovely, but the Kofi app keeps crashing', 'Lumen refill station rocks but Kofi app keeps crashing again'];
    const mentions = [];
    for (let day = 8; day <= 14; day++) {
      // A number per day (no term) keeps the posts apart: copies of one text count once.
      for (const text of texts) mentions.push(mention({ at: `2026-07-${String(day).padStart(2, '0')}T12:00:00Z`, brands: [lumen, kofi], text: `${text} ${day}`, lang: 'en' }));
    }
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const window = 'since=2026-07-08T00:00:00Z&until=2026-07-15T00:00:00Z';
    const terms = async (path: string, brand: string) => (await t.request('GET', `${path}?brand=${brand}&${window}`, { key: ws.key })).json.items.map((i: { term: string }) => i.term).join(' | ');
    for (const path of ['/v1/trending/keywords', '/v1/terms']) {
      expect(await terms(path, lumen), path).toMatch(/refill station/u);
      expect(await terms(path, lumen), path).not.toMatch(/crashing/u);
      expect(await terms(path, kofi), path).toMatch(/app keeps crashing/u);
      expect(await terms(path, kofi), path).not.toMatch(/refill/u);
    }
  });

  it('trending keywords find a rising phrase in any script, leaving out stopwords and the brand’s own terms', async () => {
    const ws = await t.workspace('Keywords');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Kavárna Aroma', role: 'own', query: 'aroma OR "kavárna aroma"' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/k.xml' } })).json.id;
    const mentions = [];
    for (let day = 1; day <= 14; day++) {
      const at = `2026-07-${String(day).padStart(2, '0')}T12:00:00Z`;
      // Numbers (no terms) keep the posts apart: copies of one text count once.
      for (let i = 0; i < 4; i++) mentions.push(mention({ at, brands: [brand], text: `Aroma coffee is the usual morning drink number ${day * 10 + i}`, lang: 'en' }));
      const complaints = ['Aroma: zpožděné doručení again', 'Aroma: doručení trvalo hodiny', 'Aroma: doručení zase pozdě, věrnostní karta nefunguje'];
      if (day > 7) for (const text of complaints) mentions.push(mention({ at, brands: [brand], text: `${text} ${day}`, lang: 'cs', label: 'negative' }));
    }
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });
    const res = await t.request('GET', `/v1/trending/keywords?brand=${brand}&since=2026-07-08T00:00:00Z&until=2026-07-15T00:00:00Z`, { key: ws.key });
    expect(res.status).toBe(200);
    const terms = res.json.items.map((i: { term: string }) => i.term);
    expect(terms).toContain('doručení');
    expect(res.json.items.find((i: { term: string }) => i.term === 'doručení')).toMatchObject({ mentions: 21, previous: 0 });
    expect(terms).not.toContain('aroma'); // the brand's own query term
    expect(terms).not.toContain('the'); // a stopword
    expect(terms).not.toContain('usual morning drink'); // steady, not rising
    // One topic, not three: the phrase holds every mention of its words, so they are left out.
    expect(terms).toContain('věrnostní karta nefunguje');
    expect(terms).not.toContain('karta');
    expect(terms).not.toContain('věrnostní karta');

    const cloud = await t.request('GET', `/v1/terms?brand=${brand}&sentiment=negative&since=2026-07-01T00:00:00Z&until=2026-07-15T00:00:00Z`, { key: ws.key });
    expect(cloud.status).toBe(200);
    expect(cloud.json.mentions).toBe(21);
    expect(cloud.json.items[0]).toMatchObject({ term: 'doručení', mentions: 21, negative: 21, positive: 0 });
    const all = await t.request('GET', `/v1/terms?brand=${brand}&since=2026-07-01T00:00:00Z&until=2026-07-15T00:00:00Z&limit=5`, { key: ws.key });
    // The longest phrase of the steady sentence holds all its mentions, and stands for its words.
    expect(all.json.items.find((i: { term: string }) => i.term === 'usual morning drink')).toMatchObject({ mentions: 56, neutral: 56 });
    expect(all.json.items.map((i: { term: string }) => i.term)).not.toContain('morning drink');
  });
});
