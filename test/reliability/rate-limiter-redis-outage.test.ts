import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startEarshot, type Running } from '../../src/runtime.js';
import { ADMIN_TOKEN, dropRedisPrefix, testConfig } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';
import { cleanupList, startPrivateRedis } from './support.js';

// RELIABILITY 13 and 24 with the API role as `earshot api` runs it, over HTTP: while Redis is down
// it still answers reads that need only Postgres, its rate limits not enforced (README), and it
// says so as every Redis error is said, once, then at most a line per 10 s, not once a request.

const cleanup = cleanupList();
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let running: Running;
let base: string;
let key: string;
const lines: Array<Record<string, unknown> & { msg: string }> = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  cleanup.add(() => redis.ensureRunning());
  const database = await createTestDatabase();
  cleanup.add(() => database.drop());
  const config = testConfig({ DATABASE_URL: database.url, REDIS_URL: redis.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
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
  const ws = await fetch(`${base}/v1/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Outage' }),
  });
  expect(ws.status).toBe(201);
  key = ((await ws.json()) as { apiKey: string }).apiKey;
  const source = await fetch(`${base}/v1/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'rss', url: 'https://feeds.example.com/outage.xml', intervalSeconds: 3600 }),
  });
  expect(source.status).toBe(201);
  sourceId = ((await source.json()) as { id: string }).id;
}, 60_000);
afterAll(() => cleanup.run());

let sourceId: string;

const get = async (token: string) => (await fetch(`${base}/v1/brands`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) })).status;

/** The lines of `msg`, and whether each distinct error among them came once. */
function linesOf(pattern: RegExp) {
  const found = lines.filter((l) => pattern.test(l.msg));
  const kinds = new Set(found.map((l) => `${l.msg}: ${(l.err as { message?: string } | undefined)?.message}`));
  return { found, kinds };
}

describe('the rate limiters while Redis is down', () => {
  it('let requests through and say so once, not once a request, for the per-key limit and the failed-authentication guard', async () => {
    await redis.stop();
    const wrongKey = `${key.slice(0, 12)}${'x'.repeat(key.length - 12)}`;
    const right: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 25; i++) {
      right.push(await get(key));
      // With Redis up, this address would get 429 past a burst of 10.
      wrong.push(await get(wrongKey));
    }
    expect(new Set(right)).toEqual(new Set([200]));
    expect(new Set(wrong)).toEqual(new Set([401]));

    // Before: one warn line per request, 25 of each.
    const limiter = linesOf(/^rate limiter unavailable/);
    expect(limiter.found.length, JSON.stringify(limiter.found)).toBe(limiter.kinds.size);
    expect(limiter.found.length).toBeGreaterThan(0);
    expect(limiter.found.length).toBeLessThanOrEqual(2);
    expect(limiter.found[0]).toMatchObject({ level: 40, msg: 'rate limiter unavailable; requests allowed' });
    const guard = linesOf(/^authentication failure guard unavailable/);
    expect(guard.found.length, JSON.stringify(guard.found)).toBe(guard.kinds.size);
    expect(guard.found.length).toBeGreaterThan(0);
    expect(guard.found.length).toBeLessThanOrEqual(2);
  }, 30_000);

  it('answer a write that needs Redis with 503 each time, and log that once, not once a request', async () => {
    await redis.stop();
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${base}/v1/sources/${sourceId}/fetch`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(503);
    }
    // Before: 15 lines, one a request.
    const unavailable = linesOf(/^dependency unavailable/);
    expect(unavailable.found.length, JSON.stringify(unavailable.found)).toBeGreaterThan(0);
    expect(unavailable.found.length, JSON.stringify(unavailable.found)).toBeLessThanOrEqual(2);
  }, 30_000);
});
