import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFetchShares } from '../../src/infra/fetch-shares.js';
import { createHostSlots } from '../../src/infra/host-slots.js';
import { REDIS_URL, dropRedisPrefix } from '../support/app.js';

// Each workspace's share of the fetch slots, straight on Redis. Turns are leased like host slots:
// a lease of a few hundred milliseconds here, so that "several leases" fits in a test.

const LEASE_MS = 300;
const DEMAND_MS = 1_000;
const SLOTS = 4;
const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
afterAll(async () => {
  redis.disconnect();
  for (const p of prefixes) await dropRedisPrefix(p);
});

/** Shares and host slots under a prefix of the test's own, on `connection` (another process's, say). */
function world(connection: Redis = redis, prefix = `t${randomBytes(4).toString('hex')}`) {
  prefixes.push(prefix);
  const hostSlots = createHostSlots({ redis: connection, prefix, perHost: 1, leaseMs: LEASE_MS });
  const shares = createFetchShares({ redis: connection, prefix, slots: SLOTS, leaseMs: LEASE_MS, demandMs: DEMAND_MS, hostSlots });
  return { prefix, hostSlots, shares };
}

let n = 0;
const source = () => `source-${++n}`;

/** Takes `count` turns for the workspace; their release functions (a refusal fails the test). */
async function take(shares: ReturnType<typeof world>['shares'], workspaceId: string, count: number) {
  const releases = [];
  for (let i = 0; i < count; i++) {
    const release = await shares.acquire(workspaceId, source());
    expect(release, `turn ${i + 1} of ${workspaceId}`).not.toBeNull();
    releases.push(release!);
  }
  return releases;
}

describe('fetch shares', () => {
  it('a workspace alone takes every turn it asks for, more than the slots', async () => {
    const { shares } = world();
    await take(shares, 'alone', SLOTS * 3);
    expect(await shares.running('alone')).toBe(SLOTS * 3);
  });

  it('a workspace beside others that run fetches but wait for none is not held to a share', async () => {
    const { shares } = world();
    await take(shares, 'other', 1);
    await take(shares, 'busy', SLOTS);
    expect(await shares.running('busy')).toBe(SLOTS);
  });

  it('a workspace at its share gives way to another that waits with fewer running, which then gets the turn', async () => {
    const { shares } = world();
    const busy = await take(shares, 'busy', SLOTS);
    await shares.queued([{ workspaceId: 'quiet', sourceId: 'quiet-1', host: 'quiet.example' }]);
    expect(await shares.waiting('quiet')).toBe(1);
    // One of busy's fetches ends: it still holds 3 of 4 slots, past its share of 2 beside a waiting workspace.
    await busy.pop()!();
    expect(await shares.acquire('busy', 'busy-next')).toBeNull();
    // The fetch that gave way waits too; the quiet workspace's no longer waits once it runs.
    expect(await shares.waiting('busy')).toBe(1);
    const quiet = await shares.acquire('quiet', 'quiet-1');
    expect(quiet).not.toBeNull();
    expect(await shares.waiting('quiet')).toBe(0);
    // Another of busy's ends: nobody else waits, so busy takes the slot although it is past its share.
    await busy.pop()!();
    expect(await shares.acquire('busy', 'busy-next')).not.toBeNull();
    expect(await shares.waiting('busy')).toBe(0);
  });

  it('two workspaces with fetches queued settle on equal shares as slots free', async () => {
    const { shares } = world();
    const held: Record<'a' | 'b', Array<() => Promise<void>>> = { a: await take(shares, 'a', SLOTS), b: [] };
    // The queue as the worker sees it: a's backlog first, then b's; a fetch that gives way goes to its end.
    const queue = (['a', 'b'] as const).flatMap((ws) => Array.from({ length: 6 }, (_, i) => ({ ws, id: `${ws}-${i}` })));
    await shares.queued(queue.map((job) => ({ workspaceId: job.ws, sourceId: job.id, host: `${job.id}.example` })));
    const fill = async () => {
      for (let tries = 0; held.a.length + held.b.length < SLOTS && tries < 50; tries++) {
        const job = queue.shift()!;
        const release = await shares.acquire(job.ws, job.id);
        if (release) held[job.ws].push(release);
        else queue.push(job);
      }
    };
    for (let i = 0; i < 2; i++) {
      await held.a.shift()!();
      await fill();
    }
    expect({ a: held.a.length, b: held.b.length }).toEqual({ a: 2, b: 2 });
  });

  it('marks leave out a source whose fetch is running and one whose host has no free slot', async () => {
    const { shares, hostSlots } = world();
    await take(shares, 'other', 1);
    const running = await shares.acquire('ws', 'running-source');
    expect(running).not.toBeNull();
    const hostRelease = await hostSlots.acquire('full.example', 'someone');
    expect(hostRelease).not.toBeNull();
    const marked = await shares.queued([
      { workspaceId: 'ws', sourceId: 'running-source', host: 'free.example' },
      { workspaceId: 'ws', sourceId: 'host-full', host: 'full.example' },
      { workspaceId: 'ws', sourceId: 'waits', host: 'free.example' },
    ]);
    expect(marked).toBe(1);
    expect(await shares.waiting('ws')).toBe(1);
    await hostRelease!();
    await running!();
  });

  it('a mark lapses when no tick renews it, and forget clears one at once', async () => {
    const { shares } = world();
    await shares.queued([
      { workspaceId: 'ws', sourceId: 'kept', host: 'a.example' },
      { workspaceId: 'ws', sourceId: 'forgotten', host: 'b.example' },
    ]);
    await shares.forget('ws', 'forgotten');
    expect(await shares.waiting('ws')).toBe(1);
    await sleep(DEMAND_MS + 100);
    expect(await shares.waiting('ws')).toBe(0);
  });

  it('a live fetch keeps its turn for several leases, and a released one is free at once', async () => {
    const { shares } = world();
    const release = await shares.acquire('ws', 'long-poll');
    expect(release).not.toBeNull();
    await sleep(LEASE_MS * 4);
    expect(await shares.running('ws')).toBe(1);
    await release!();
    expect(await shares.running('ws')).toBe(0);
  });

  it("a fetch whose worker died (it stops renewing without giving its turn back) frees its workspace's share one lease after its last renewal", async () => {
    const dying = new Redis(REDIS_URL);
    const { prefix } = world();
    const theirs = world(dying, prefix).shares;
    const ours = world(redis, prefix).shares;
    const release = await theirs.acquire('ws', 'dies-mid-poll');
    expect(release).not.toBeNull();
    await sleep(LEASE_MS * 2);
    expect(await ours.running('ws')).toBe(1);
    dying.disconnect();
    const diedAt = Date.now();
    while ((await ours.running('ws')) > 0 && Date.now() - diedAt < LEASE_MS * 4) await sleep(20);
    expect(await ours.running('ws'), 'the dead fetch still held a turn long after its lease').toBe(0);
    expect(Date.now() - diedAt).toBeLessThanOrEqual(LEASE_MS + 200);
    // Its give-back cannot reach Redis either: it fails, and the renewal has stopped.
    await expect(release!()).rejects.toThrow();
  });
});
