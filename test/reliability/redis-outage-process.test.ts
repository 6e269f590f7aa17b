import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJobId } from '../../src/workers/catalogue.js';
import { ADMIN_TOKEN } from '../support/app.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import { freePort, run, type Child } from '../support/process.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, startPrivateRedis, startUpstream, storedItems, waitUntil, type Upstream } from './support.js';

// RELIABILITY 13 with a real process. outages.test.ts stops Redis under the test's own in-process
// stack, with no job running, and calls the app in memory. Here one real `earshot start` (API,
// workers and scheduler in one process, reached over HTTP on 127.0.0.1) loses its Redis while a
// fetch job is in flight: the process must not die, the API must answer over the socket (503
// quickly for writes that need Redis, 200 for reads), and when Redis returns the in-flight poll's
// items must be stored exactly once and the schedule must go on.

const cleanup = cleanupList();
let s: TestStack;
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let upstream: Upstream;
let child: Child;
let base: string;
let key: string;

const story = (guid: string): FeedItem => ({ guid, title: `Acme ${guid}`, description: `Acme ${guid} news`, link: `https://redis-outage.example.com/${guid}` });

async function http(method: string, path: string, body?: unknown) {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null, text, ms: performance.now() - started };
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack({ config: { REDIS_URL: redis.url } });
  cleanup.add(() => s.close());
  cleanup.add(() => redis.ensureRunning());
  // Only the child process takes jobs.
  await s.stopWorkers();
  const port = await freePort();
  // `earshot start`: every role in one process, as `npm start` runs it.
  child = run('node', ['bin/earshot.js', 'start'], {
    DATABASE_URL: s.config.DATABASE_URL,
    REDIS_URL: s.config.REDIS_URL,
    QUEUE_PREFIX: s.config.QUEUE_PREFIX,
    ALLOW_PRIVATE_NETWORKS: 'true',
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_TOKEN,
    SCHEDULER_TICK_MS: '1000',
    INGEST_THREADS: '1',
    INGEST_WARM_UP: 'false',
  });
  cleanup.add(() => {
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  });
  await child.waitFor(/earshot started/, 60_000);
  base = `http://127.0.0.1:${port}`;
  const ws = await fetch(`${base}/v1/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Redis outage' }),
  });
  expect(ws.status).toBe(201);
  key = ((await ws.json()) as { apiKey: string }).apiKey;
  expect((await http('POST', '/v1/brands', { name: 'Acme', role: 'own', query: 'acme' })).status).toBe(201);
}, 90_000);
afterAll(() => cleanup.run());

describe('Redis goes away under a running `earshot start` with a fetch in flight', () => {
  it('the process survives, the API answers 503 fast for writes and 200 for reads over HTTP, and the in-flight poll is stored once when Redis returns', async () => {
    upstream.routes.set('/inflight', { body: rss([story('in-1'), story('in-2'), story('in-3')]) });
    upstream.routes.set('/later', { body: rss([story('later-1')]) });
    const inflight = await http('POST', '/v1/sources', { type: 'rss', url: upstream.url('/inflight'), intervalSeconds: 3600 });
    const later = await http('POST', '/v1/sources', { type: 'rss', url: upstream.url('/later'), intervalSeconds: 3600 });
    expect([inflight.status, later.status]).toEqual([201, 201]);
    // The scheduler's first tick polls both; wait for /later's, then hold the next request to /inflight.
    await upstream.arrived('/later');
    await waitUntil('the first polls to be stored', async () => (await storedItems(s)).length === 4, 15_000);

    upstream.routes.set('/inflight', { body: rss([story('in-4'), story('in-5'), story('in-1')]) });
    upstream.hold();
    expect((await http('POST', `/v1/sources/${inflight.json.id}/fetch`)).status).toBe(202);
    await upstream.arrived('/inflight', 2);

    const down = Date.now();
    await redis.stop();
    let writes = 0;
    while (Date.now() - down < 5_000) {
      const write = await http('POST', `/v1/sources/${later.json.id}/fetch`);
      expect(write.status, write.text).toBe(503);
      expect(write.json.error).toMatchObject({ code: 'service.unavailable', requestId: expect.any(String) });
      expect(write.headers.get('retry-after')).toBe('5');
      expect(write.ms).toBeLessThan(3_500);
      const read = await http('GET', '/v1/mentions?since=2000-01-01T00:00:00Z');
      expect(read.status, read.text).toBe(200);
      expect(read.ms).toBeLessThan(3_500);
      writes++;
      // The fetch in flight gets its answer in the middle of the outage.
      if (writes === 2) upstream.release();
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(writes).toBeGreaterThanOrEqual(2);
    expect((await http('GET', '/readyz')).status).toBe(503);
    expect(child.proc.exitCode, child.output()).toBeNull();

    await redis.start();
    await waitUntil('the API to see Redis again', async () => (await http('GET', '/readyz')).status === 200, 30_000, 200);
    // Whatever the job's fate during the outage (completed late, or failed and retried), its items arrive once.
    await waitUntil(
      'the in-flight poll to be stored and its job to be gone',
      async () => (await storedItems(s, inflight.json.id)).length === 5 && (await s.services.queues.queues.get('fetch')!.getJob(fetchJobId(inflight.json.id))) === undefined,
      30_000,
      200,
    );
    const rows = await storedItems(s, inflight.json.id);
    expect(new Set(rows.map((r) => r.item_key)).size).toBe(5);
    const source = (await http('GET', `/v1/sources/${inflight.json.id}`)).json;
    expect(source).toMatchObject({ lastStatus: 200, consecutiveFailures: 0, lastError: null });
    const links = await s.db.selectFrom('mention_brands').select('mention_id').where('mention_id', 'in', s.db.selectFrom('mentions').select('id').where('source_id', '=', inflight.json.id)).execute();
    expect(links).toHaveLength(5);
    const events = await s.db.selectFrom('mention_events').select('seq').execute();
    expect(events).toHaveLength(6);

    // Work goes on: writes are accepted again and the scheduler's ticks poll what is due.
    upstream.routes.set('/later', { body: rss([story('later-2'), story('later-1')]) });
    expect((await http('POST', `/v1/sources/${later.json.id}/fetch`)).status).toBe(202);
    await waitUntil('the later source to be polled again', async () => (await storedItems(s, later.json.id)).length === 2, 15_000);
    expect(child.proc.exitCode, child.output()).toBeNull();
    // The poll in flight stored what it had fetched although its host slot could not be released
    // during the outage: the first poll and that one, no fetch again.
    expect(upstream.requests.filter((r) => r.path === '/inflight')).toHaveLength(2);

    child.proc.kill('SIGTERM');
    expect((await child.exited).code, child.output()).toBe(0);
  }, 90_000);
});
