import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEarshot, type Running } from '../../src/runtime.js';
import { ADMIN_TOKEN, testConfig } from '../support/app.js';
import { createTestDatabase, silentLog } from '../support/db.js';
import { cleanupList, waitUntil } from './support.js';

// RELIABILITY 13 when Redis hangs rather than refuses (a paused process, a partition, a failover
// without RST): the connection stays open and nothing answers. Reads that need only Postgres must
// not wait on it request after request: one slow request at most, then the API remembers, and
// when Redis answers again the Redis-backed limits are used again.

const cleanup = cleanupList();
let server: ChildProcess;
let port: number;
let admin: Redis;
let running: Running;
let base: string;
let key: string;
let sourceId: string;
let prefix: string;

/** A port of 31460–31469 that is free now: this test's own Redis, never the shared one. */
async function portInRange(): Promise<number> {
  for (let p = 31460; p <= 31469; p++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(p, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return p;
  }
  throw new Error('no free port in 31460–31469');
}

const pause = () => server.kill('SIGSTOP');
const resume = () => server.kill('SIGCONT');

async function timed(path: string, init: RequestInit = {}) {
  const started = Date.now();
  const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers }, signal: AbortSignal.timeout(20_000) });
  await res.text();
  return { status: res.status, ms: Date.now() - started };
}

beforeAll(async () => {
  port = await portInRange();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  cleanup.add(async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGCONT');
    server.kill('SIGKILL');
    await exited;
  });
  admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  admin.on('error', () => {});
  cleanup.add(() => admin.disconnect());
  await waitUntil(`redis-server on ${port}`, async () => {
    if (admin.status !== 'ready') await admin.connect().catch(() => {});
    return admin.status === 'ready' && (await admin.ping()) === 'PONG';
  });

  const database = await createTestDatabase();
  cleanup.add(() => database.drop());
  const config = testConfig({ DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0', HOST: '127.0.0.1' });
  prefix = config.QUEUE_PREFIX;
  running = await startEarshot({ roles: ['api'], config, log: silentLog });
  cleanup.add(async () => {
    resume();
    if (!running.shutdown.stopping) await running.shutdown.shutdown('test');
  });
  base = `http://127.0.0.1:${running.port}`;
  const ws = await fetch(`${base}/v1/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Hung Redis' }),
  });
  expect(ws.status).toBe(201);
  key = ((await ws.json()) as { apiKey: string }).apiKey;
  const source = await fetch(`${base}/v1/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'rss', url: 'https://feeds.example.com/hung.xml', intervalSeconds: 3600 }),
  });
  expect(source.status).toBe(201);
  sourceId = ((await source.json()) as { id: string }).id;
}, 60_000);
afterAll(() => cleanup.run());

describe('a Redis that hangs (SIGSTOP) instead of refusing', () => {
  it('costs at most one slow request: reads that need only Postgres then answer in well under 1 s', async () => {
    expect((await timed('/v1/mentions?limit=1')).status).toBe(200);
    pause();
    // The first request finds out (its rate-limit check gives up after its own short wait).
    const first = await timed('/v1/mentions?limit=1');
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(2_000);
    // Then nothing waits on Redis again: before, each of these took 6 s.
    const after: Array<{ path: string; status: number; ms: number }> = [];
    for (const path of ['/v1/mentions?limit=1', '/v1/brands', '/v1/mentions?limit=1', '/v1/sources', '/v1/mentions?limit=1']) {
      after.push({ path, ...(await timed(path)) });
    }
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of after) expect(r.ms, JSON.stringify(after)).toBeLessThan(700);
  }, 60_000);

  it('answers a write that needs Redis with a 503, quickly once the hang is known', async () => {
    // The connection has seen a command time out by now (the rate limiter's, left to run out).
    await new Promise((r) => setTimeout(r, 3_500));
    const poll = await timed(`/v1/sources/${sourceId}/fetch`, { method: 'POST' });
    expect(poll.status).toBe(503);
    expect(poll.ms).toBeLessThan(1_500);
  }, 30_000);

  it('uses the Redis-backed limiter again once Redis answers', async () => {
    resume();
    await waitUntil('the paused Redis to answer', async () => (await admin.ping()) === 'PONG');
    const limiterKeys = async () => (await admin.keys(`${prefix}:rl:*`)).length;
    await admin.del(...(await admin.keys(`${prefix}:rl:*`)), 'nothing');
    expect(await limiterKeys()).toBe(0);
    // Within the cool-off the limits stay in this process; after it, the next request asks Redis.
    await waitUntil(
      'a rate-limit decision taken in Redis',
      async () => {
        const res = await timed('/v1/mentions?limit=1');
        expect(res.status).toBe(200);
        return (await limiterKeys()) > 0;
      },
      20_000,
      250,
    );
    const poll = await timed(`/v1/sources/${sourceId}/fetch`, { method: 'POST' });
    expect(poll.status).toBe(202);
  }, 60_000);
});
