import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, type FeedItem } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, getSource, startPrivateRedis, startUpstream, startEarshotProcess, storedItems, upstreamAndStack, waitUntil, type Upstream } from './support.js';

// RELIABILITY 13. The stack runs on a redis-server of this file's own, so stopping it leaves the
// shared one alone. The promise speaks of 30 s without Redis; the outage here lasts about 6 s,
// which goes through the same code paths (fail-fast producer, reconnecting workers) in less time.
// The Postgres outage has an Earshot of its own (database, queue prefix, upstream), so the two
// run at once: most of their time is waiting, for Redis clients to reconnect and a process to start.

const cleanup = cleanupList();
let s: TestStack;
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let upstream: Upstream;
let key: string;

const story = (guid: string): FeedItem => ({ guid, title: `Acme ${guid}`, description: `Acme ${guid} news`, link: `https://outage.example.com/${guid}` });

beforeAll(async () => {
  redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  // Without the ingest thread's warm-up (seconds of synthetic polls before the first real one):
  // the outages, not the thread's compiled code, are what is tested here.
  s = await createTestStack({ config: { REDIS_URL: redis.url, INGEST_WARM_UP: 'false' } });
  cleanup.add(() => s.close());
  cleanup.add(() => redis.ensureRunning());
  key = (await s.workspace('Outages')).key;
  await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
});
afterAll(() => cleanup.run());

/** Calls the API and times it. */
async function timed(method: string, path: string) {
  const started = performance.now();
  const res = await s.request(method, path, { key });
  return { ...res, ms: performance.now() - started };
}

describe.concurrent('Redis goes away for a while (about 6 s here, 30 s in the promise)', () => {
  it('nothing crashes, writes that need Redis answer 503 quickly, Postgres-only reads still answer, and polling resumes when it returns', async () => {
    upstream.routes.set('/feed', { body: rss([story('before')]) });
    const { id } = await addSource(s, key, { url: upstream.url('/feed'), intervalSeconds: 60 });
    await s.tick();
    expect(await storedItems(s, id)).toHaveLength(1);

    const stoppedAt = Date.now();
    await redis.stop();
    let writes = 0;
    while (Date.now() - stoppedAt < 6_000) {
      const write = await timed('POST', `/v1/sources/${id}/fetch`);
      expect(write.status, write.text).toBe(503);
      expect(write.json.error).toMatchObject({ code: 'service.unavailable', requestId: expect.any(String) });
      expect(write.headers.get('retry-after')).toBe('5');
      expect(write.ms).toBeLessThan(3_000);
      writes++;

      for (const path of [`/v1/sources/${id}`, '/v1/sources', '/v1/mentions?since=2000-01-01T00:00:00Z', '/v1/brands']) {
        const read = await timed('GET', path);
        expect(read.status, `${path}: ${read.text}`).toBe(200);
        expect(read.ms, path).toBeLessThan(3_000);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(writes).toBeGreaterThan(2);
    expect((await s.request('GET', '/readyz')).status).toBe(503);
    // The live stream cannot subscribe: a 503 after a few seconds, not a request left hanging.
    const live = await timed('GET', '/v1/mentions/live');
    expect(live.status, live.text).toBe(503);
    expect(live.json.error.code).toBe('service.unavailable');
    expect(live.ms).toBeLessThan(8_000);

    await redis.start();
    upstream.routes.set('/feed', { body: rss([story('after'), story('before')]) });
    await waitUntil('the API to see Redis again', async () => (await s.request('GET', '/readyz')).status === 200, 30_000, 200);
    // The scheduler's path: the source is due, a tick enqueues it, a reconnected worker polls it.
    await s.db.updateTable('sources').set({ next_fetch_at: new Date(Date.now() - 1_000) }).where('id', '=', id).execute();
    await waitUntil('a tick to be accepted', () => s.services.queues.add('sources.tick', {}).then(() => true), 30_000, 200);
    await waitUntil('the tick to poll the source', async () => (await storedItems(s, id)).length === 2, 30_000, 100);
    expect(await getSource(s, key, id)).toMatchObject({ lastStatus: 200, consecutiveFailures: 0 });
    expect((await s.request('POST', `/v1/sources/${id}/fetch`, { key })).status).toBe(202);
    await s.drain();
  }, 90_000);
});

describe.concurrent('Postgres connections are terminated', () => {
  it('a worker process whose transaction loses its connection survives, its job retries and stores once; a request whose connection is cut answers 503 and the API recovers', async () => {
    // The poll runs in a real `earshot worker` process, so an unhandled connection error would
    // kill it; the stack's own workers are stopped.
    const { s, upstream, key } = await upstreamAndStack(cleanup, 'Postgres outage', { stopWorkers: true });
    await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
    const worker = await startEarshotProcess(s, { env: { INGEST_WARM_UP: 'false' } });
    cleanup.add(() => void worker.proc.kill('SIGKILL'));
    upstream.routes.set('/pg', { body: rss([story('pg-1'), story('pg-2'), story('pg-3')]) });
    const { id } = await addSource(s, key, { url: upstream.url('/pg') });
    const admin = new pg.Client({ connectionString: s.config.DATABASE_URL });
    await admin.connect();
    cleanup.add(() => admin.end());

    // Hold the source's row so the poll's transaction waits inside Postgres, mid-write...
    await admin.query('begin');
    await admin.query('select id from sources where id = $1 for update', [id]);
    await s.request('POST', `/v1/sources/${id}/fetch`, { key });
    // ...and an API write to the same row, so a request is in flight when its connection goes.
    const patch = s.request('PATCH', `/v1/sources/${id}`, { key, body: { intervalSeconds: 120 } });
    await waitUntil('the poll and the request to wait on the row', async () => {
      const { rows } = await admin.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      return rows[0].n >= 2;
    });
    // ...then cut every connection of the app, that one included.
    const { rows: killed } = await admin.query(
      'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    expect(killed.length).toBeGreaterThan(0);
    await admin.query('commit');

    const cut = await patch;
    expect(cut.status, cut.text).toBe(503);
    expect(cut.json.error).toMatchObject({ code: 'service.unavailable', requestId: expect.any(String) });

    const statuses: number[] = [];
    await waitUntil('the API to answer 200 again', async () => {
      const res = await s.request('GET', `/v1/sources/${id}`, { key });
      statuses.push(res.status);
      if (res.status !== 200) expect(res.json.error.code).toBe('service.unavailable');
      return res.status === 200;
    });
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);

    const died = worker.exited.then(({ code, signal }) => {
      throw new Error(`the worker process died (${code ?? signal}):\n${worker.output()}`);
    });
    await Promise.race([died, waitUntil('the retried poll to be stored', async () => (await getSource(s, key, id)).lastStatus === 200, 30_000, 100)]);
    const rows = await storedItems(s, id);
    expect(rows).toHaveLength(3);
    // Two requests: the attempt whose transaction was cut, and the job's retry.
    expect(upstream.requests.filter((r) => r.path === '/pg')).toHaveLength(2);
    expect(await getSource(s, key, id)).toMatchObject({ consecutiveFailures: 0, lastError: null });
    expect(worker.proc.exitCode, worker.output()).toBeNull();
    expect(worker.output()).toContain('job failed');

    worker.proc.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
  }, 60_000);
});
