import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { luaScript } from './redis.js';

/**
 * A deployment-wide cap on concurrent requests per upstream host (politeness). Slots are
 * members of a sorted set scored by their expiry. The lease is short so that a worker that dies
 * mid-fetch frees its slot soon; a live holder renews it, because one poll of an API connector
 * (several pages, each up to the HTTP client's timeout) can outlast any lease short enough for that.
 *
 * Times are Redis's own (TIME, to the millisecond), so workers' clocks never disagree about expiry.
 */
export const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const acquire = luaScript(`
${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`);

// Only a member still present is renewed: once gone (released, or expired and swept by an
// acquire that may have handed the slot on), bringing it back would exceed the cap. A member
// past its expiry but still present is safe to keep: no acquire has run since, so nobody took it.
// The key's own expiry moves with it, or the whole set would vanish under a live holder.
const renew = luaScript(`
${NOW_MS}
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
`);

/**
 * A host slot's lease: how long a worker that died mid-fetch (SIGKILL, out of memory, a lost
 * machine) keeps one of its host's HOST_CONCURRENCY slots. A live holder renews it every third of
 * this, so it lapses under a live fetch only when no renewal gets through for two thirds of it (an
 * event loop stalled, or Redis away, that long); a fetch then still in flight may overlap the
 * next holder's. 15 s outlasts the producer connection's 3 s command timeout twice over.
 */
export const HOST_SLOT_LEASE_MS = 15_000;

/**
 * Renews a held lease every third of `leaseMs` until `stop()`: one renewal at a time, the next
 * scheduled when the last has answered, so a slow or absent Redis gets no pile of queued renewals.
 * `renew` says whether the lease was still there to renew; once it was not (it lapsed, and may have
 * been handed on), renewal stops and `onLost` says so. A renewal that fails is not fatal: a later
 * one may get through before the lease runs out.
 */
export function keepRenewed({
  renew,
  leaseMs,
  onLost,
  onError,
}: {
  renew: () => Promise<boolean>;
  leaseMs: number;
  onLost: () => void;
  onError: (err: Error) => void;
}): { stop: () => void } {
  const renewEveryMs = Math.max(1, Math.floor(leaseMs / 3));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => void renewOnce(), renewEveryMs);
    // A held lease is no reason to keep the process alive.
    timer.unref();
  };
  const renewOnce = async () => {
    try {
      const kept = await renew();
      if (!kept && !stopped) return onLost();
    } catch (err) {
      onError(err as Error);
    }
    if (!stopped) schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export function createHostSlots({ redis, prefix, perHost, leaseMs, log }: { redis: Redis; prefix: string; perHost: number; leaseMs: number; log?: Logger }) {
  const keyOf = (host: string) => `${prefix}:host:${host}`;
  return {
    /** A release function when a slot was free, null when the host is busy. The slot is renewed until released. */
    async acquire(host: string, holder: string): Promise<(() => Promise<void>) | null> {
      const key = keyOf(host);
      const ok = (await acquire(redis, [key], [perHost, leaseMs, holder])) as number;
      if (!ok) return null;
      const renewal = keepRenewed({
        renew: async () => ((await renew(redis, [key], [leaseMs, holder])) as number) === 1,
        leaseMs,
        onLost: () => log?.warn({ host, holder, leaseMs }, 'host slot lease ran out before it was renewed; the host may see more concurrent requests than the cap'),
        onError: (err) => log?.warn({ err: { message: err.message }, host }, 'host slot renewal failed'),
      });
      return async () => {
        // Before the ZREM, so that its failure cannot leave the slot renewed forever.
        renewal.stop();
        await redis.zrem(key, holder);
      };
    },
    /**
     * Where a host's slots are kept, and how many it has: what the fetch shares read to leave out
     * of a workspace's waiting work the fetches that could not start anyway (fetch-shares.ts).
     */
    keyOf,
    perHost,
  };
}

export type HostSlots = ReturnType<typeof createHostSlots>;
