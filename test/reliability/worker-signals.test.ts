import { afterAll, describe, expect, it } from 'vitest';
import { fetchJobId } from '../../src/workers/catalogue.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import type { Child } from '../support/process.js';
import { addSource, cleanupList, getSource, startEarshotProcess, storedItems, upstreamAndStack, waitUntil } from './support.js';

// RELIABILITY 11 and 12 with real `earshot worker` processes on the test's database and queue
// prefix; the test's own in-process workers are stopped so only the children take jobs. Each test
// has its own upstream, database and prefix, so they run at once: most of their time is waiting
// for processes to start and stop, and for locks to expire.

const cleanup = cleanupList();
afterAll(() => cleanup.run());

const items = (prefix: string): FeedItem[] =>
  Array.from({ length: 3 }, (_, i) => ({ guid: `${prefix}-${i}`, title: `Acme ${prefix} ${i}`, description: 'Acme news', link: `https://${prefix}.example.com/${i}` }));

/**
 * Every worker here holds a job's lock for 2 s (renewed every second) and looks for stalled jobs
 * as often, instead of 30 s each: a dead worker's job is found in seconds rather than a minute,
 * by the same expiry and stall check (job-locks.test.ts shows a worker keeps so short a lock under
 * load). All of them, since the stall check's interval is kept in the queue: a worker of 30 s
 * would leave the other workers on its queue unable to check for up to 30 s.
 * A worker that exits with its fetch handed back, or is killed mid-fetch, keeps its slot of the
 * upstream's host until the slot's lease runs out, and every feed here is on one host: with four
 * slots a host, slots are not what is tested or waited for.
 * And no warm-up: its seconds of compiling the ingest path before a thread's first task are not
 * what is tested here.
 */
const WORKER_ENV = { JOB_LOCK_MS: '2000', HOST_CONCURRENCY: '4', INGEST_WARM_UP: 'false' };

/** A test's own upstream and Earshot (its workers stopped), with a workspace, and what it does with them. */
async function world(name: string) {
  const { upstream, s, key } = await upstreamAndStack(cleanup, name, { stopWorkers: true });
  return {
    upstream,
    s,
    key,
    async worker(env: Record<string, string> = {}): Promise<Child> {
      const child = await startEarshotProcess(s, { env: { ...WORKER_ENV, ...env } });
      cleanup.add(() => {
        if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
      });
      return child;
    },
    async feedSource(feed: string): Promise<{ id: string; path: string }> {
      const path = `/${feed}`;
      upstream.routes.set(path, { body: rss(items(feed)) });
      return { path, ...(await addSource(s, key, { url: upstream.url(path) })) };
    },
    fetchJob: (id: string) => s.services.queues.queues.get('fetch')!.getJob(fetchJobId(id)),
  };
}

describe.concurrent('worker processes and signals', () => {
  it('on SIGTERM a worker with a fetch in flight takes no new work, finishes the active job and exits 0', async () => {
    const { upstream, s, key, worker, feedSource, fetchJob } = await world('Signals term');
    const child = await worker();
    const active = await feedSource('term-active');
    const later = await feedSource('term-later');
    upstream.hold();
    await s.request('POST', `/v1/sources/${active.id}/fetch`, { key });
    await upstream.arrived(active.path);

    child.proc.kill('SIGTERM');
    await child.waitFor(/shutting down/);
    // Work that arrives while it stops must stay queued for another worker.
    await s.request('POST', `/v1/sources/${later.id}/fetch`, { key });
    upstream.release();

    const { code } = await child.exited;
    expect(code, child.output()).toBe(0);
    expect(await storedItems(s, active.id)).toHaveLength(3);
    expect(await getSource(s, key, active.id)).toMatchObject({ lastStatus: 200, consecutiveFailures: 0 });
    expect(upstream.requests.filter((r) => r.path === later.path)).toEqual([]);
    expect(await (await fetchJob(later.id))?.getState()).toBe('waiting');
  }, 60_000);

  it('on SIGTERM a job that cannot finish within SHUTDOWN_TIMEOUT_MS is handed back to its queue before the worker exits, and another worker finishes it', async () => {
    const { upstream, s, key, worker, feedSource, fetchJob } = await world('Signals hand back');
    const first = await worker({ SHUTDOWN_TIMEOUT_MS: '3000' });
    const source = await feedSource('term-late');
    upstream.hold();
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key });
    await upstream.arrived(source.path);

    const signalled = Date.now();
    first.proc.kill('SIGTERM');
    const { code } = await first.exited;
    expect(Date.now() - signalled, first.output()).toBeLessThan(5_000);
    // Not a clean stop: a job did not finish.
    expect(code, first.output()).toBe(1);
    // Waiting for the next worker now, not left active under the dead process's lock until the
    // lock expires and a stall check moves it (each stall counts towards failing the job for good).
    const job = await fetchJob(source.id);
    expect(await job!.getState(), first.output()).toBe('waiting');
    expect(job!.attemptsMade).toBe(0);
    expect(first.output()).toMatch(/handed back/);
    // The abandoned poll recorded nothing on the source.
    expect(await getSource(s, key, source.id)).toMatchObject({ lastStatus: null, consecutiveFailures: 0 });

    upstream.release();
    const second = await worker();
    await waitUntil('the handed-back fetch to be stored', async () => (await getSource(s, key, source.id)).lastStatus === 200, 30_000, 100);
    expect(await storedItems(s, source.id)).toHaveLength(3);
    expect(upstream.requests.filter((r) => r.path === source.path)).toHaveLength(2);
    second.proc.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  }, 90_000);

  it('a worker killed with SIGKILL mid-fetch: its job is picked up again by another worker after the lock expires, and finishes without duplicates', async () => {
    const { upstream, s, key, worker, feedSource, fetchJob } = await world('Signals kill');
    const first = await worker();
    const source = await feedSource('kill');
    upstream.hold();
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key });
    await upstream.arrived(source.path);
    expect(await (await fetchJob(source.id))!.getState()).toBe('active');

    first.proc.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const second = await worker();
    upstream.release();

    // The lock expires within 2 s of the kill, and stalled jobs are found by the second worker's
    // check every 2 s (two checks needed: one marks, the next moves). At BullMQ's defaults (30 s
    // each) it takes a minute or more, so 25 s also shows JOB_LOCK_MS is what sets it.
    await waitUntil('the stalled fetch to be retried and stored', async () => (await getSource(s, key, source.id)).lastStatus === 200, 25_000, 100);
    expect(second.output()).toMatch(/job stalled/);
    expect(second.output()).toContain(fetchJobId(source.id));
    const rows = await storedItems(s, source.id);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.item_key)).size).toBe(3);
    expect(upstream.requests.filter((r) => r.path === source.path)).toHaveLength(2);
    // Completed, hence removed (a failed attempt would stay as delayed or failed).
    await waitUntil('the fetch job to complete', async () => (await fetchJob(source.id)) === undefined);

    second.proc.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  }, 150_000);
});
