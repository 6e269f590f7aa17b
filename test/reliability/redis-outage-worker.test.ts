import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startEarshot } from '../../src/runtime.js';
import { createTestApp, testConfig } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';
import { cleanupList, startPrivateRedis, waitUntil } from './support.js';

// RELIABILITY 12 and 13 for a worker whose Redis is away: it stops at once when it has nothing to
// finish, its log says what is wrong without repeating it several times a second, and /readyz
// says why Redis cannot be used in the words of the connection.
// Each test stops a redis-server of its own, so they run at once: most of their time is waiting
// for clients to notice an outage and its end.

const cleanup = cleanupList();
let databaseUrl: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  cleanup.add(() => database.drop());
  databaseUrl = database.url;
}, 60_000);
afterAll(() => cleanup.run());

/** A redis-server of the test's own, and a worker's config on it (and on the file's database). */
async function privateRedis(): Promise<{ redis: Awaited<ReturnType<typeof startPrivateRedis>>; config: Config }> {
  const redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  cleanup.add(() => redis.ensureRunning());
  const config = testConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SHUTDOWN_TIMEOUT_MS: '20000', INGEST_THREADS: '0', LOG_LEVEL: 'info' });
  return { redis, config };
}

/** A logger whose lines the test reads, parsed. */
function capturedLog() {
  const lines: Array<Record<string, unknown> & { msg: string }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

describe.concurrent('a worker process whose Redis is down', () => {
  it('when idle, stops on SIGTERM at once and cleanly instead of waiting out SHUTDOWN_TIMEOUT_MS, and logs no hand-back of zero jobs', async () => {
    const { redis, config } = await privateRedis();
    const { log, lines } = capturedLog();
    const running = await startEarshot({ roles: ['worker'], config, log });
    await redis.stop();
    // Long enough for the workers' connections to have noticed.
    await new Promise((r) => setTimeout(r, 2_000));

    const started = Date.now();
    const clean = await running.shutdown.shutdown('SIGTERM');
    const took = Date.now() - started;
    expect(clean, JSON.stringify(lines.filter((l) => Number(l.level) >= 40))).toBe(true);
    expect(took).toBeLessThan(5_000);
    expect(lines.map((l) => l.msg).filter((m) => /handed back/.test(m))).toEqual([]);
    expect(lines.map((l) => l.msg)).not.toContain('shutdown timed out');
  }, 60_000);

  it('logs each kind of queue and worker error once, then at most one line per 10 s, and says once per connection when Redis is back', async () => {
    const { redis, config } = await privateRedis();
    const { log, lines } = capturedLog();
    const running = await startEarshot({ roles: ['worker'], config, log });
    try {
      await redis.stop();
      await new Promise((r) => setTimeout(r, 6_000));
      const errors = lines.filter((l) => ['queue error', 'worker error', 'redis connection error'].includes(l.msg));
      // Before: a line per reconnect attempt of every queue and worker, a few per second.
      // After: the first of each distinct error (per connection: the producer's and the workers'),
      // nothing more within 10 s.
      const kinds = new Set(errors.map((l) => `${l.msg} ${String(l.role ?? '')}: ${(l.err as { message?: string } | undefined)?.message}`));
      expect(errors.length, errors.map((l) => `${l.msg} ${JSON.stringify(l.err)}`).join('\n')).toBe(kinds.size);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.length).toBeLessThanOrEqual(8);

      await redis.start();
      await waitUntil('the log to say Redis is back', () => lines.some((l) => l.msg === 'redis connection back'), 20_000, 100);
      await new Promise((r) => setTimeout(r, 1_000));
      const back = lines.filter((l) => l.msg === 'redis connection back');
      // One per connection of this process (the producer and the workers'), not one per queue.
      expect(back.length).toBeLessThanOrEqual(2);
      expect(back[0]).toMatchObject({ errors: expect.any(Number) });
    } finally {
      // How it stops is the first test's concern; here it only must not outlive the test.
      await running.shutdown.shutdown('test');
    }
  }, 60_000);

  it('/readyz gives the connection’s own error (ECONNREFUSED host:port), not the client’s offline-queue wording', async () => {
    const { redis } = await privateRedis();
    const t = await createTestApp({ config: { REDIS_URL: redis.url } });
    try {
      expect((await t.request('GET', '/readyz')).status).toBe(200);
      await redis.stop();
      const port = new URL(redis.url).port;
      const body = await waitUntil(
        'a 503 from /readyz naming the refused connection',
        async () => {
          const res = await t.request('GET', '/readyz');
          return res.status === 503 && /ECONNREFUSED/.test(res.json.checks.redis.error) ? res.json : null;
        },
        10_000,
        100,
      );
      expect(body.checks.redis).toEqual({ ok: false, error: `connect ECONNREFUSED 127.0.0.1:${port}` });
      expect(body.checks.postgres).toEqual({ ok: true });
    } finally {
      await redis.start();
      await t.close();
    }
  }, 60_000);
});
