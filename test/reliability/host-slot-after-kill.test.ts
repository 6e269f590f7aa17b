import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchShares } from '../../src/infra/fetch-shares.js';
import { createHostSlots, HOST_SLOT_LEASE_MS } from '../../src/infra/host-slots.js';
import { rss } from '../support/feed-server.js';
import type { Child } from '../support/process.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, startEarshotProcess, upstreamAndStack, type Upstream } from './support.js';

// A worker process killed with SIGKILL mid-fetch cannot release its host's politeness slot: the
// slot's lease frees it, HOST_SLOT_LEASE_MS after the worker's last renewal (it was 60 s, a minute
// in which that host had one slot fewer). While the worker lived, its renewals kept the slot
// through more than one lease, so no second fetch of the host could start beside its own.
// Its fetch's turn in its workspace's share of fetch slots is a lease of the same length: held for
// ever, the workspace would count one fetch more than it runs, and give way to others sooner.

const cleanup = cleanupList();
let upstream: Upstream;
let s: TestStack;
let key: string;
afterAll(() => cleanup.run());

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Host slot after kill', { stopWorkers: true }));
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a worker killed with SIGKILL while it holds a host slot and a turn in its workspace's share", () => {
  it('keeps both while alive (renewed past their lease) and frees each one lease after the kill', async () => {
    // One slot per host: the worker's fetch holds the host's only one.
    const worker: Child = await startEarshotProcess(s, { env: { HOST_CONCURRENCY: '1', INGEST_THREADS: '0' } });
    cleanup.add(() => void (worker.proc.exitCode === null && worker.proc.signalCode === null && worker.proc.kill('SIGKILL')));
    upstream.routes.set('/held', { body: rss([{ guid: 'held-1', title: 'Held', description: 'A held story', link: 'https://held.example.com/1' }]) });
    upstream.hold();
    const source = await addSource(s, key, { url: upstream.url('/held') });
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key });
    await upstream.arrived('/held');
    const { host, workspace_id: workspaceId } = await s.db.selectFrom('sources').select(['host', 'workspace_id']).where('id', '=', source.id).executeTakeFirstOrThrow();
    // What any worker reads of the workspace's share (only its `running` is used here).
    const shares = createFetchShares({ redis: s.services.redis, prefix: s.config.QUEUE_PREFIX, slots: 1, leaseMs: HOST_SLOT_LEASE_MS, demandMs: 1_000, hostSlots: s.services.hostSlots });
    expect(await shares.running(workspaceId), 'turns the workspace holds while its fetch is in flight').toBe(1);

    // Another worker's view of the same host: it gets a slot only when none is held.
    const other = createHostSlots({ redis: s.services.redis, prefix: s.config.QUEUE_PREFIX, perHost: 1, leaseMs: 1_000 });
    const tryTake = async (): Promise<boolean> => {
      const release = await other.acquire(host, 'other-worker');
      await release?.();
      return release !== null;
    };

    // Alive, past one whole lease (and well before the fetch's own 20 s timeout would release it).
    const aliveUntil = Date.now() + HOST_SLOT_LEASE_MS + 1_000;
    let takenWhileAlive = 0;
    while (Date.now() < aliveUntil) {
      if (await tryTake()) takenWhileAlive++;
      await sleep(200);
    }
    expect(takenWhileAlive, 'slots another worker got while the holder was alive and fetching').toBe(0);
    expect(await shares.running(workspaceId), "the workspace's turn, renewed past its lease while the holder was alive").toBe(1);

    worker.proc.kill('SIGKILL');
    expect(await worker.exited).toMatchObject({ signal: 'SIGKILL' });
    const killedAt = Date.now();
    expect(await tryTake(), 'the slot was free at once: it was not held').toBe(false);
    expect(await shares.running(workspaceId), 'the turn was free at once: it was not held').toBe(1);
    let slotFreedAfterMs: number | null = null;
    let turnFreedAfterMs: number | null = null;
    while ((slotFreedAfterMs === null || turnFreedAfterMs === null) && Date.now() - killedAt < HOST_SLOT_LEASE_MS + 5_000) {
      if (slotFreedAfterMs === null && (await tryTake())) slotFreedAfterMs = Date.now() - killedAt;
      if (turnFreedAfterMs === null && (await shares.running(workspaceId)) === 0) turnFreedAfterMs = Date.now() - killedAt;
      await sleep(200);
    }
    // Their last renewal came at most a third of a lease before the kill.
    expect(slotFreedAfterMs, `the host's slot was still held ${HOST_SLOT_LEASE_MS + 5_000} ms after its holder was killed`).not.toBeNull();
    expect(slotFreedAfterMs!).toBeLessThanOrEqual(HOST_SLOT_LEASE_MS + 1_000);
    expect(turnFreedAfterMs, `the workspace's turn was still held ${HOST_SLOT_LEASE_MS + 5_000} ms after its holder was killed`).not.toBeNull();
    expect(turnFreedAfterMs!).toBeLessThanOrEqual(HOST_SLOT_LEASE_MS + 1_000);
    upstream.release();
  }, 120_000);
});
