import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyticsRepository, type AnalyticsRepository } from '../../src/domain/analytics/analytics.repository.js';
import { loadConfig } from '../../src/config.js';
import { messagesOf } from '../../src/domain/i18n/messages.js';
import type { SwotSummaryFacts } from '../../src/domain/i18n/swot.facts.js';
import { SWOT_SAMPLE } from '../../src/domain/swot/swot.usecases.js';
import { createRedis, waitForRedis, type Redis } from '../../src/infra/redis.js';
import type { Logger } from '../../src/logger.js';
import { REDIS_URL, createTestApp, type TestApp } from '../support/app.js';
import { silentLog } from '../support/db.js';
import { mention, seed } from '../support/seed.js';
import { BRANDS, PERIOD, currentWindow, previousWindow } from '../domain/swot/scenario.js';

// GET /v1/swot answered again from the Redis cache within SWOT_CACHE_SECONDS. A computation reads
// each window's mentions once (themeMentions, twice per SWOT): counting those reads says whether
// an answer was computed or served from the cache.

/** The client, whose commands on keys holding `part` fail as a Redis refusing them would; `refused` counts them. */
function failingOn(redis: Redis, part: string, refused: { count: number }): Redis {
  return new Proxy(redis, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        args.some((a) => typeof a === 'string' && a.includes(part))
          ? (refused.count++, Promise.reject(new Error('ERR injected failure')))
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
}

const opened: Array<{ t: TestApp; redis?: Redis }> = [];
afterAll(async () => {
  for (const { t, redis } of opened) {
    await t.close();
    redis?.disconnect();
  }
});

/** An app over the seeded week of issue 7, its reads of mentions counted. */
async function seededApp(options: { config?: Record<string, string>; failingSwotKeys?: boolean } = {}) {
  const counter = { reads: 0 };
  let real: AnalyticsRepository | undefined;
  const analyticsRepository = new Proxy({} as AnalyticsRepository, {
    get: (_, prop: keyof AnalyticsRepository) =>
      prop === 'themeMentions'
        ? async (...args: Parameters<AnalyticsRepository['themeMentions']>) => {
            counter.reads++;
            return real!.themeMentions(...args);
          }
        : real![prop],
  });
  let redis: Redis | undefined;
  const refused = { count: 0 };
  if (options.failingSwotKeys) {
    redis = createRedis(REDIS_URL, { role: 'producer', log: silentLog });
    await waitForRedis(redis);
  }
  const warnings: string[] = [];
  const log: Logger = Object.assign(Object.create(silentLog) as Logger, { child: () => log, warn: (_: unknown, msg: string) => void warnings.push(msg) });
  const t = await createTestApp({ log, config: options.config ?? {}, deps: { analyticsRepository, ...(redis ? { redis: failingOn(redis, ':swot:', refused) } : {}) } });
  opened.push({ t, ...(redis ? { redis } : {}) });
  real = createAnalyticsRepository({ db: t.db });

  const ws = await t.workspace('SWOT');
  const ids: Record<string, string> = {};
  for (const b of BRANDS) ids[b.id] = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: b.name, role: b.role, query: b.query } })).json.id;
  const sourceId = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/swot.xml' } })).json.id;
  await seed(t.deps, {
    workspaceId: ws.id,
    sourceId,
    mentions: [...currentWindow(), ...previousWindow()].map((m) =>
      mention({ at: m.occurredAt, brands: m.brandIds.map((b) => ids[b]!), label: m.label as 'positive' | 'neutral' | 'negative', score: m.sentimentScore ?? 0, text: m.text ?? '', key: m.id }),
    ),
  });
  const get = (window = PERIOD, lang?: string) =>
    t.request('GET', `/v1/swot?brand=${ids.acme}&since=${window.since}&until=${window.until}${lang ? `&lang=${lang}` : ''}`, { key: ws.key });
  return { t, counter, get, refused, warnings, workspaceId: ws.id, brandId: ids.acme! };
}

describe('GET /v1/swot with the cache', () => {
  it('SWOT_CACHE_SECONDS is 300 unless set, and 0 is allowed', () => {
    expect(loadConfig({}).SWOT_CACHE_SECONDS).toBe(300);
    expect(loadConfig({ SWOT_CACHE_SECONDS: '0' }).SWOT_CACHE_SECONDS).toBe(0);
    expect(() => loadConfig({ SWOT_CACHE_SECONDS: '-1' })).toThrow(/SWOT_CACHE_SECONDS: expected a whole number/);
  });

  it('answers a second identical request from the cache, the same JSON without reading mentions again', async () => {
    const { counter, get } = await seededApp();
    const first = await get();
    expect(first.status, first.text).toBe(200);
    expect(counter.reads).toBe(2);
    const second = await get();
    expect(second.status).toBe(200);
    expect(counter.reads).toBe(2);
    expect(second.text).toBe(first.text);
  });

  it('computes every request when SWOT_CACHE_SECONDS=0', async () => {
    const { t, counter, get } = await seededApp({ config: { SWOT_CACHE_SECONDS: '0' } });
    expect(t.config.SWOT_CACHE_SECONDS).toBe(0);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect(counter.reads).toBe(4);
  });

  it('computes concurrent identical requests once', async () => {
    const { counter, get } = await seededApp();
    const answers = await Promise.all([get(), get(), get()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(counter.reads).toBe(2);
  });

  it('answers 200 when every Redis command of the cache fails, computing each time', async () => {
    const { counter, get, refused, warnings } = await seededApp({ failingSwotKeys: true });
    const first = await get();
    expect(first.status, first.text).toBe(200);
    expect(first.json.status).toBe('ok');
    expect((await get()).status).toBe(200);
    expect(counter.reads).toBe(4);
    // The cache was asked, refused, and said so.
    expect(refused.count).toBeGreaterThanOrEqual(2);
    expect(warnings).toContain('swot cache unavailable; computing without it');
  });

  it('serves one cached answer in every language: ?lang=cs after English reads nothing again and answers Czech', async () => {
    const { counter, get } = await seededApp();
    const english = await get();
    expect(english.status, english.text).toBe(200);
    const czech = await get(PERIOD, 'cs');
    expect(czech.status, czech.text).toBe(200);
    expect(counter.reads).toBe(2);
    const items = (s: typeof english.json): Array<{ summary: string; summaryFacts: SwotSummaryFacts }> => [...s.strengths, ...s.weaknesses, ...s.opportunities, ...s.threats];
    const [en, cs] = [items(english.json), items(czech.json)];
    expect(cs.length).toBe(en.length);
    for (const [i, item] of cs.entries()) {
      expect(item.summary).not.toBe(en[i]!.summary);
      expect(item.summary).toBe(messagesOf('cs').swot[item.summaryFacts.sentence](item.summaryFacts as never));
    }
    // And the English answer again, from the same entry, unchanged by the Czech one.
    expect((await get()).text).toBe(english.text);
    expect(counter.reads).toBe(2);
  });

  it('does not serve an answer an earlier release cached without its facts', async () => {
    const { t, counter, get, workspaceId, brandId } = await seededApp();
    // The entry release 2 of the cache format wrote for this request (swot.cache.ts): English sentences, no facts.
    const brandVersion = await t.deps.brandRepository.version(workspaceId);
    const id = createHash('sha256').update(JSON.stringify([2, brandId, new Date(PERIOD.since).toISOString(), new Date(PERIOD.until).toISOString(), brandVersion, SWOT_SAMPLE])).digest('base64url');
    const item = { theme: 'pricing', summary: 'an English sentence cached by an earlier release', evidence: { mentions: 8, scored: 8, netSentiment: -1, brandIds: [brandId], sampleMentionIds: [] }, score: 1, rule: 'own_criticised' };
    const old = { brandId, competitorIds: [], brands: [], since: PERIOD.since, until: PERIOD.until, status: 'ok', strengths: [], weaknesses: [item], opportunities: [], threats: [], sample: {} };
    await t.deps.redis.set(`${t.config.QUEUE_PREFIX}:swot:${workspaceId}:${id}`, JSON.stringify({ computedAt: Date.now(), value: old }), 'PX', 60_000);

    const czech = await get(PERIOD, 'cs');
    expect(czech.status, czech.text).toBe(200);
    expect(counter.reads).toBe(2);
    expect(czech.text).not.toContain('an English sentence cached by an earlier release');
    const weaknesses: Array<{ summary: string; summaryFacts?: SwotSummaryFacts }> = czech.json.weaknesses;
    expect(weaknesses.length).toBeGreaterThan(0);
    for (const w of weaknesses) expect(w.summaryFacts).toBeDefined();
  });
});
