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
const NOW_MS = `local t = redis.call('TIME')
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

export function createHostSlots({ redis, prefix, perHost, leaseMs, log }: { redis: Redis; prefix: string; perHost: number; leaseMs: number; log?: Logger }) {
  const renewEveryMs = Math.max(1, Math.floor(leaseMs / 3));
  return {
    /** A release function when a slot was free, null when the host is busy. The slot is renewed until released. */
    async acquire(host: string, holder: string): Promise<(() => Promise<void>) | null> {
      const key = `${prefix}:host:${host}`;
      const ok = (await acquire(redis, [key], [perHost, leaseMs, holder])) as number;
      if (!ok) return null;

      let released = false;
      let timer: NodeJS.Timeout | undefined;
      // One renewal at a time, the next scheduled when the last has answered: a slow or absent
      // Redis gets no pile of queued renewals.
      const schedule = () => {
        timer = setTimeout(() => void renewOnce(), renewEveryMs);
        // A held slot is no reason to keep the process alive.
        timer.unref();
      };
      const renewOnce = async () => {
        try {
          const kept = (await renew(redis, [key], [leaseMs, holder])) as number;
          if (!kept && !released) {
            log?.warn({ host, holder, leaseMs }, 'host slot lease ran out before it was renewed; the host may see more concurrent requests than the cap');
            return;
          }
        } catch (err) {
          // Not fatal: a later renewal may get through before the lease runs out.
          log?.warn({ err: { message: (err as Error).message }, host }, 'host slot renewal failed');
        }
        if (!released) schedule();
      };
      schedule();

      return async () => {
        // Before the ZREM, so that its failure cannot leave the slot renewed forever.
        released = true;
        clearTimeout(timer);
        await redis.zrem(key, holder);
      };
    },
  };
}

export type HostSlots = ReturnType<typeof createHostSlots>;
