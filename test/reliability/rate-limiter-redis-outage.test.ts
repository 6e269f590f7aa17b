import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startEarshot, type Running } from '../../src/runtime.js';
import { ADMIN_TOKEN, dropRedisPrefix, testConfig } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';
import { cleanupList, startPrivateRedis } from './support.js';

// RELIABILITY 13 and 24 with the API role as `earshot api` runs it, over HTTP: while Redis is down
// it still answers reads that need only Postgres, keeps its rate limits in its own memory (README),
// and says so as every Redis error is said, once, then at most a line per 10 s, not once a request.

const cleanup = cleanupList();
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let running: Running;
let base: string;
let key: string;
let writerKey: string;
const lines: Array<Record<string, unknown> & { msg: string }> = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  cleanup.add(() => redis.ensureRunning());
  const database = await createTestDatabase();
  cleanup.add(() => database.drop());
  // 120 a minute: a burst of 20, then one each 0.5 s.
  const config = testConfig({ DATABASE_URL: database.url, REDIS_URL: redis.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '120' });
  cleanup.add(() => dropRedisPrefix(config.QUEUE_PREFIX).catch(() => {}));
  const log = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    }),
  });
  running = await startEarshot({ roles: ['api'], config, log });
  cleanup.add(async () => {
    if (!running.shutdown.stopping) await running.shutdown.shutdown('test');
  });
  base = `http://127.0.0.1:${running.port}`;
  const workspace = async (name: string) => {
    const ws = await fetch(`${base}/v1/workspaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(ws.status).toBe(201);
    return ((await ws.json()) as { apiKey: string }).apiKey;
  };
  key = await workspace('Outage');
  writerKey = await workspace('Outage writes');
  const source = await fetch(`${base}/v1/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${writerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'rss', url: 'https://feeds.example.com/outage.xml', intervalSeconds: 3600 }),
  });
  expect(source.status).toBe(201);
  sourceId = ((await source.json()) as { id: string }).id;
}, 60_000);
afterAll(() => cleanup.run());

let sourceId: string;

const get = async (token: string) => {
  const res = await fetch(`${base}/v1/brands`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
};

/** The lines of `msg`, and whether each distinct error among them came once. */
function linesOf(pattern: RegExp) {
  const found = lines.filter((l) => pattern.test(l.msg));
  const kinds = new Set(found.map((l) => `${l.msg}: ${(l.err as { message?: string } | undefined)?.message}`));
  return { found, kinds };
}

describe('the rate limiters while Redis is down', () => {
  it('answer a write that needs Redis with 503 each time, and log that once, not once a request', async () => {
    await redis.stop();
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${base}/v1/sources/${sourceId}/fetch`, { method: 'POST', headers: { authorization: `Bearer ${writerKey}` }, signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(503);
    }
    // Before: 15 lines, one a request.
    const unavailable = linesOf(/^dependency unavailable/);
    expect(unavailable.found.length, JSON.stringify(unavailable.found)).toBeGreaterThan(0);
    expect(unavailable.found.length, JSON.stringify(unavailable.found)).toBeLessThanOrEqual(2);
  }, 30_000);

  it('are kept in this process, and say so once, not once a request, for the per-key limit and the failed-authentication guard', async () => {
    await redis.stop();
    const wrongKey = `${key.slice(0, 12)}${'x'.repeat(key.length - 12)}`;
    const right: Array<Awaited<ReturnType<typeof get>>> = [];
    const wrong: number[] = [];
    for (let i = 0; i < 25; i++) right.push(await get(key));
    // After the right key's: once the guard blocks this address, it blocks every key from it.
    for (let i = 0; i < 25; i++) wrong.push((await get(wrongKey)).status);
    // Before: every request 200, and every wrong key 401 (the limits were not enforced).
    // The per-key limit: a burst of 20 at 120 a minute, then 429 saying when to come back.
    expect(right.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(200));
    const refused = right.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((JSON.parse(refused[0]!.body) as { error: { code: string } }).error.code).toBe('rate_limit.exceeded');
    // The failed-authentication guard: a burst of 10 at 60 a minute, then 429 without looking at the token.
    expect(wrong.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(wrong.slice(12)).toEqual(Array(13).fill(429));

    // Before the log lines were throttled: one warn line per request, 25 of each.
    const limiter = linesOf(/^rate limiter unavailable/);
    expect(limiter.found.length, JSON.stringify(limiter.found)).toBe(limiter.kinds.size);
    expect(limiter.found.length).toBeGreaterThan(0);
    expect(limiter.found.length).toBeLessThanOrEqual(2);
    expect(limiter.found[0]).toMatchObject({ level: 40, msg: 'rate limiter unavailable; limits kept in this process' });
    const guard = linesOf(/^authentication failure guard unavailable/);
    expect(guard.found.length, JSON.stringify(guard.found)).toBe(guard.kinds.size);
    expect(guard.found.length).toBeGreaterThan(0);
    expect(guard.found.length).toBeLessThanOrEqual(2);
  }, 30_000);
});
