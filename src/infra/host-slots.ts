import type { Redis } from 'ioredis';
import { luaScript } from './redis.js';

/**
 * A deployment-wide cap on concurrent requests per upstream host (politeness). Slots are
 * members of a sorted set scored by their expiry, so a worker that dies mid-fetch frees its
 * slot when the lease runs out.
 */
const acquire = luaScript(`
local now = tonumber(redis.call('TIME')[1]) * 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`);

export function createHostSlots({ redis, prefix, perHost, leaseMs }: { redis: Redis; prefix: string; perHost: number; leaseMs: number }) {
  return {
    /** A release function when a slot was free, null when the host is busy. */
    async acquire(host: string, holder: string): Promise<(() => Promise<void>) | null> {
      const key = `${prefix}:host:${host}`;
      const ok = (await acquire(redis, [key], [perHost, leaseMs, holder])) as number;
      if (!ok) return null;
      return async () => {
        await redis.zrem(key, holder);
      };
    },
  };
}

export type HostSlots = ReturnType<typeof createHostSlots>;
