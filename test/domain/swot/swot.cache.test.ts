import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsRepository } from '../../../src/domain/analytics/analytics.repository.js';
import { createSwotCache } from '../../../src/domain/swot/swot.cache.js';
import { SWOT_SAMPLE, competitorSwot } from '../../../src/domain/swot/swot.usecases.js';
import type { Logger } from '../../../src/logger.js';
import { REDIS_URL, createTestApp, type TestApp } from '../../support/app.js';
import { silentLog } from '../../support/db.js';
import { mention, seed } from '../../support/seed.js';
import { BRANDS, PERIOD, currentWindow, previousWindow } from './scenario.js';

// The SWOT's answers cached in Redis (real Redis, real Postgres): a computation reads each window's
// mentions once (analyticsRepository.themeMentions, twice per SWOT), so counting those reads says
// whether an answer was computed or served from the cache.

// The seeded week of issue 7 (scenario.ts): enough mentions for an `ok` SWOT.
const since = new Date(PERIOD.since);
const until = new Date(PERIOD.until);

let t: TestApp;
let workspaceId: string;
let key: string;
let own: string;
const clients: Redis[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Cached');
  workspaceId = ws.id;
  key = ws.key;
  const ids: Record<string, string> = {};
  for (const b of BRANDS) ids[b.id] = (await t.request('POST', '/v1/brands', { key, body: { name: b.name, role: b.role, query: b.query } })).json.id;
  own = ids.acme!;
  const sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/cached.xml' } })).json.id;
  await seed(t.deps, {
    workspaceId,
    sourceId,
    mentions: [...currentWindow(), ...previousWindow()].map((m) =>
      mention({ at: m.occurredAt, brands: m.brandIds.map((b) => ids[b]!), label: m.label as 'positive' | 'neutral' | 'negative', score: m.sentimentScore ?? 0, text: m.text ?? '', key: m.id }),
    ),
  });
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await t.close();
});

/** The real repository, counting its reads of mentions; `gate` holds them until it resolves. */
function countingRepository(gate?: Promise<void>) {
  const counter = { reads: 0 };
  const real = t.deps.analyticsRepository;
  const analyticsRepository: AnalyticsRepository = {
    ...real,
    themeMentions: async (...args: Parameters<AnalyticsRepository['themeMentions']>) => {
      counter.reads++;
      await gate;
      return real.themeMentions(...args);
    },
  };
  return { counter, analyticsRepository };
}

/** Another API process's connection to the same Redis. */
function otherConnection(): Redis {
  const c = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  clients.push(c);
  return c;
}

const cacheOf = (options: { ttlSeconds?: number; redis?: Redis; log?: Logger; waitMs?: number; prefix?: string } = {}) =>
  createSwotCache({ redis: options.redis ?? t.deps.redis, prefix: options.prefix ?? t.config.QUEUE_PREFIX, ttlSeconds: options.ttlSeconds ?? 300, log: options.log ?? silentLog, ...(options.waitMs ? { waitMs: options.waitMs } : {}) });

const swot = (p: { cache?: ReturnType<typeof cacheOf>; analyticsRepository: AnalyticsRepository; until?: Date }) =>
  competitorSwot({ workspaceId, brandId: own, since, until: p.until ?? until, brandRepository: t.deps.brandRepository, analyticsRepository: p.analyticsRepository, ...(p.cache ? { cache: p.cache } : {}) });

/** Each test its own prefix, so no test is served another's answer. */
let n = 0;
const freshPrefix = () => `${t.config.QUEUE_PREFIX}:c${++n}`;

describe('the SWOT cache', () => {
  it('serves a second identical request within the TTL from Redis, the same answer without reading mentions again', async () => {
    const prefix = freshPrefix();
    const cache = cacheOf({ prefix });
    const { counter, analyticsRepository } = countingRepository();
    const first = await swot({ cache, analyticsRepository });
    expect(counter.reads).toBe(2); // the window and the one before
    const second = await swot({ cache, analyticsRepository });
    expect(counter.reads).toBe(2);
    expect(second).toEqual(first);
    expect(first.status).toBe('ok');
    // Another process (its own connection and in-process map) finds it too.
    const elsewhere = await swot({ cache: cacheOf({ prefix, redis: otherConnection() }), analyticsRepository });
    expect(counter.reads).toBe(2);
    expect(elsewhere).toEqual(first);
  });

  it('computes afresh for a different window, and after a brand is created or renamed (the brands’ version moved)', async () => {
    const cache = cacheOf({ prefix: freshPrefix() });
    const { counter, analyticsRepository } = countingRepository();
    await swot({ cache, analyticsRepository });
    await swot({ cache, analyticsRepository, until: new Date(until.getTime() - 3_600_000) });
    expect(counter.reads).toBe(4);
    const before = await swot({ cache, analyticsRepository });
    expect(counter.reads).toBe(4);
    expect(before.competitorIds).toHaveLength(BRANDS.length - 1);

    const added = (await t.request('POST', '/v1/brands', { key, body: { name: 'Initech', role: 'competitor', query: 'initech' } })).json.id;
    try {
      const after = await swot({ cache, analyticsRepository });
      expect(counter.reads).toBe(6);
      expect(after.competitorIds).toContain(added);
      expect((await t.request('PATCH', `/v1/brands/${added}`, { key, body: { name: 'Initrode' } })).status).toBe(200);
      await swot({ cache, analyticsRepository });
      expect(counter.reads).toBe(8);
    } finally {
      await t.request('DELETE', `/v1/brands/${added}`, { key });
    }
    // Deleted, the brands are those of the first answers again, and so is their version: never an answer naming it.
    const again = await swot({ cache, analyticsRepository });
    expect(again.competitorIds).not.toContain(added);
    expect(again).toEqual(before);
  });

  it('does not keep a "not enough data" answer: the next request sees mentions that arrived since', async () => {
    const cache = cacheOf({ prefix: freshPrefix() });
    const { counter, analyticsRepository } = countingRepository();
    const early = new Date(since.getTime() + 3_600_000);
    const thin = await swot({ cache, analyticsRepository, until: early });
    expect(thin.status).toBe('not_enough_data');
    await swot({ cache, analyticsRepository, until: early });
    expect(counter.reads).toBe(4);
  });

  it('never serves an answer an older release stored (format 1, before the answer named its brands)', async () => {
    const prefix = freshPrefix();
    const brandVersion = await t.deps.brandRepository.version(workspaceId);
    // Format 1's key and entry, as that release wrote them: the same tuple, the SWOT without `brands`.
    const id = createHash('sha256').update(JSON.stringify([1, own, since.toISOString(), until.toISOString(), brandVersion, SWOT_SAMPLE])).digest('base64url');
    const { brands: _brands, ...old } = await swot({ analyticsRepository: t.deps.analyticsRepository });
    await t.deps.redis.set(`${prefix}:swot:${workspaceId}:${id}`, JSON.stringify({ computedAt: Date.now(), value: old }), 'PX', 60_000);
    const { counter, analyticsRepository } = countingRepository();
    const answer = await swot({ cache: cacheOf({ prefix }), analyticsRepository });
    expect(counter.reads).toBe(2);
    expect(answer.brands.map((b) => b.id)).toEqual([own, ...answer.competitorIds]);
  });

  it('with SWOT_CACHE_SECONDS=0, computes every request', async () => {
    const cache = cacheOf({ prefix: freshPrefix(), ttlSeconds: 0 });
    const { counter, analyticsRepository } = countingRepository();
    await swot({ cache, analyticsRepository });
    await swot({ cache, analyticsRepository });
    expect(counter.reads).toBe(4);
  });

  it('does not serve an answer older than its own TTL, though Redis still holds it for a process with a longer one', async () => {
    const prefix = freshPrefix();
    const { counter, analyticsRepository } = countingRepository();
    await swot({ cache: cacheOf({ prefix, ttlSeconds: 300 }), analyticsRepository });
    await new Promise((r) => setTimeout(r, 1_100));
    await swot({ cache: cacheOf({ prefix, ttlSeconds: 1 }), analyticsRepository });
    expect(counter.reads).toBe(4);
  });

  it('computes once for concurrent identical requests, in one process and across processes', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const prefix = freshPrefix();
    const here = cacheOf({ prefix });
    const there = cacheOf({ prefix, redis: otherConnection() });
    const { counter, analyticsRepository } = countingRepository(gate);
    const answers = Promise.all([
      swot({ cache: here, analyticsRepository }),
      swot({ cache: here, analyticsRepository }),
      swot({ cache: there, analyticsRepository }),
      swot({ cache: there, analyticsRepository }),
    ]);
    await new Promise((r) => setTimeout(r, 300)); // all four have asked; the one computing waits on the gate
    open();
    const [a, b, c, d] = await answers;
    expect(counter.reads).toBe(2);
    expect([b, c, d]).toEqual([a, a, a]);
  });

  it('in one process, computes concurrent identical requests once even while Redis is unreachable', async () => {
    const closed = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    const inner = cacheOf({ prefix: freshPrefix(), redis: closed });
    // The first computation is held until all three requests have reached the cache: without Redis
    // it would otherwise finish at once, sometimes before the third request's brand lookup had
    // returned, and that request, no longer concurrent, would rightly compute again.
    let release!: () => void;
    const { counter, analyticsRepository } = countingRepository(new Promise<void>((resolve) => (release = resolve)));
    let arrived = 0;
    const cache: typeof inner = {
      ...inner,
      get: (...args: Parameters<typeof inner.get>) => {
        if (++arrived === 3) release();
        return inner.get(...args);
      },
    } as typeof inner;
    const [a, b, c] = await Promise.all([swot({ cache, analyticsRepository }), swot({ cache, analyticsRepository }), swot({ cache, analyticsRepository })]);
    expect(arrived).toBe(3);
    expect(counter.reads).toBe(2);
    expect([b, c]).toEqual([a, a]);
  });

  it('stops waiting for another process that holds the lock but never answers, and computes itself', async () => {
    const prefix = freshPrefix();
    const stuck = countingRepository(new Promise(() => {})); // its computation never ends
    void swot({ cache: cacheOf({ prefix }), analyticsRepository: stuck.analyticsRepository });
    await new Promise((r) => setTimeout(r, 200));
    expect(stuck.counter.reads).toBe(2);
    const { counter, analyticsRepository } = countingRepository();
    const started = Date.now();
    const answer = await swot({ cache: cacheOf({ prefix, redis: otherConnection(), waitMs: 500 }), analyticsRepository });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(counter.reads).toBe(2);
    expect(answer.status).toBeDefined();
  });

  it('answers without the cache when Redis fails, and says so at warn', async () => {
    const warnings: string[] = [];
    const log: Logger = Object.assign(Object.create(silentLog) as Logger, { warn: (_: unknown, msg: string) => void warnings.push(msg) });
    const closed = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    const cache = cacheOf({ prefix: freshPrefix(), redis: closed, log });
    const { counter, analyticsRepository } = countingRepository();
    const uncached = await swot({ analyticsRepository });
    const answer = await swot({ cache, analyticsRepository });
    expect(answer).toEqual(uncached);
    expect(counter.reads).toBe(4);
    expect(warnings).toContain('swot cache unavailable; computing without it');
  });
});
