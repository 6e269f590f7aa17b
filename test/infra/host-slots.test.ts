import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostSlots } from '../../src/infra/host-slots.js';
import { REDIS_URL, dropRedisPrefix } from '../support/app.js';

// A slot is leased, not held: these run with a lease of a few hundred milliseconds so that
// "several lease periods" fits in a test.

const LEASE_MS = 300;
const HOST = 'api.example.com';
const prefix = `t${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS_URL);
const slots = createHostSlots({ redis, prefix, perHost: 1, leaseMs: LEASE_MS });
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  redis.disconnect();
  await dropRedisPrefix(prefix);
});

/** Tries to take a slot every few milliseconds for `ms`; any success is given back and reported. */
async function probeFor(ms: number, host = HOST): Promise<number> {
  let taken = 0;
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const release = await slots.acquire(host, `probe-${randomBytes(4).toString('hex')}`);
    if (release) {
      taken++;
      await release();
    }
    await sleep(25);
  }
  return taken;
}

describe('host slots', () => {
  it('a holder that keeps its slot for several lease periods blocks the host throughout, and frees it on release', async () => {
    const release = await slots.acquire(HOST, 'long-poll');
    expect(release).not.toBeNull();
    cleanups.push(() => release!().catch(() => {}));
    expect(await probeFor(LEASE_MS * 4), 'acquires that got a slot the live holder still holds').toBe(0);
    await release!();
    const next = await slots.acquire(HOST, 'next');
    expect(next).not.toBeNull();
    await next!();
  });

  it('a holder whose worker died (it stops renewing without releasing) frees the slot one lease after its last renewal', async () => {
    const dying = new Redis(REDIS_URL);
    const theirs = createHostSlots({ redis: dying, prefix, perHost: 1, leaseMs: LEASE_MS });
    const release = await theirs.acquire(HOST, 'dies-mid-poll');
    expect(release).not.toBeNull();
    // Alive for a while: renewed, so still held.
    expect(await probeFor(LEASE_MS * 2)).toBe(0);
    // The worker dies: its connection goes, so no renewal reaches Redis (and none may crash the process).
    dying.disconnect();
    const diedAt = Date.now();
    expect(await slots.acquire(HOST, 'too-soon')).toBeNull();
    let next = null;
    while (!next && Date.now() - diedAt < LEASE_MS * 4) {
      next = await slots.acquire(HOST, 'after-lease');
      if (!next) await sleep(20);
    }
    expect(next, 'the dead holder still held the slot long after its lease').not.toBeNull();
    expect(Date.now() - diedAt).toBeLessThanOrEqual(LEASE_MS + 200);
    await next!();
    // Its release cannot reach Redis either; it fails, but stops the renewal timer.
    await expect(release!()).rejects.toThrow();
  });

  it('a release whose ZREM fails still stops renewal, so the lease runs out', async () => {
    const failingZrem = new Proxy(redis, {
      get: (target, name, receiver) =>
        name === 'zrem' ? () => Promise.reject(new Error('zrem failed')) : (Reflect.get(target, name, receiver) as unknown),
    });
    const theirs = createHostSlots({ redis: failingZrem, prefix, perHost: 1, leaseMs: LEASE_MS });
    const release = await theirs.acquire(HOST, 'zrem-fails');
    expect(release).not.toBeNull();
    await expect(release!()).rejects.toThrow('zrem failed');
    await sleep(LEASE_MS * 2);
    const next = await slots.acquire(HOST, 'after-failed-release');
    expect(next).not.toBeNull();
    await next!();
  });

  it('a busy host does not hold up another host', async () => {
    const release = await slots.acquire('busy.example.com', 'busy');
    expect(release).not.toBeNull();
    cleanups.push(() => release!().catch(() => {}));
    expect(await slots.acquire('busy.example.com', 'same-host')).toBeNull();
    const other = await slots.acquire('other.example.com', 'other-host');
    expect(other).not.toBeNull();
    await other!();
    await release!();
  });
});
