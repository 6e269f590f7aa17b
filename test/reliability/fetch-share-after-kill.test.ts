import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchShares } from '../../src/infra/fetch-shares.js';
import { HOST_SLOT_LEASE_MS } from '../../src/infra/host-slots.js';
import { rss } from '../support/feed-server.js';
import type { Child } from '../support/process.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, startEarshotProcess, upstreamAndStack, type Upstream } from './support.js';

// A worker process killed with SIGKILL mid-fetch cannot give back its fetch's turn in its
// workspace's share of fetch slots. Held for ever, the workspace would count one fetch more than
// it runs, and give way to others sooner, for good: the turn is a lease, and lapses as a host
// slot does, HOST_SLOT_LEASE_MS after the worker's last renewal.

const cleanup = cleanupList();
let upstream: Upstream;
let s: TestStack;
let key: string;
afterAll(() => cleanup.run());

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Share after kill', { stopWorkers: true }));
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a worker killed with SIGKILL while its fetch holds a turn in its workspace's share", () => {
  it('holds the turn while alive and frees it one lease after the kill', async () => {
    const worker: Child = await startEarshotProcess(s, { env: { INGEST_THREADS: '0' } });
    cleanup.add(() => void (worker.proc.exitCode === null && worker.proc.signalCode === null && worker.proc.kill('SIGKILL')));
    upstream.routes.set('/held', { body: rss([{ guid: 'held-1', title: 'Held', description: 'A held story', link: 'https://held.example.com/1' }]) });
    upstream.hold();
    const source = await addSource(s, key, { url: upstream.url('/held') });
    const { workspace_id: workspaceId } = await s.db.selectFrom('sources').select('workspace_id').where('id', '=', source.id).executeTakeFirstOrThrow();
    // The worker's scheduler-queue worker runs the tick; its fetch of the source then waits on the upstream.
    await s.services.queues.add('sources.tick', {});
    await upstream.arrived('/held');

    // What any worker reads of the workspace's share (only its `running` is used here).
    const shares = createFetchShares({
      redis: s.services.redis,
      prefix: s.config.QUEUE_PREFIX,
      slots: 1,
      leaseMs: HOST_SLOT_LEASE_MS,
      demandMs: 1_000,
      hostSlots: s.services.hostSlots,
    });
    expect(await shares.running(workspaceId), 'turns the workspace holds while its fetch is in flight').toBe(1);

    worker.proc.kill('SIGKILL');
    expect(await worker.exited).toMatchObject({ signal: 'SIGKILL' });
    const killedAt = Date.now();
    expect(await shares.running(workspaceId), 'the turn was free at once: it was not held').toBe(1);
    let freedAfterMs: number | null = null;
    while (freedAfterMs === null && Date.now() - killedAt < HOST_SLOT_LEASE_MS + 5_000) {
      if ((await shares.running(workspaceId)) === 0) freedAfterMs = Date.now() - killedAt;
      else await sleep(200);
    }
    // Its last renewal came at most a third of a lease before the kill.
    expect(freedAfterMs, `the workspace's turn was still held ${HOST_SLOT_LEASE_MS + 5_000} ms after its holder was killed`).not.toBeNull();
    expect(freedAfterMs!).toBeLessThanOrEqual(HOST_SLOT_LEASE_MS + 1_000);
    upstream.release();
  }, 120_000);
});
