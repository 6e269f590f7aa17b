import type { Redis } from 'ioredis';
import { luaScript, redisWithin, RedisSlowAnswerError } from './redis.js';

/**
 * GCRA (the generic cell rate algorithm) in one Redis round trip: a smooth rate with a burst
 * allowance, one key per caller, and an exact "retry after" on refusal. Redis's own clock is
 * used so several API processes agree.
 */
const gcra = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat + interval - tolerance
if allow_at > now then
  return {0, allow_at - now}
end
local new_tat = tat + interval
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1000)
return {1, 0}
`);

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterMs: number;
  /** Set when Redis could not be asked: the decision is this process's own (`localGcra`). */
  redisError?: Error;
}

/** How many callers the in-process fallback remembers; past it, the least recently seen are forgotten. */
const LOCAL_KEYS = 10_000;

/**
 * The same GCRA in this process's memory, for while Redis cannot be reached: the limit is still
 * enforced, each API process holding its own share of it instead of one shared budget.
 */
function localGcra(interval: number, tolerance: number) {
  const tats = new Map<string, number>();
  return (key: string, now = Date.now()): RateLimitDecision => {
    const tat = Math.max(tats.get(key) ?? now, now);
    const allowAt = tat + interval - tolerance;
    if (allowAt > now) return { allowed: false, retryAfterMs: allowAt - now };
    // Re-inserted so the map's order is least recently seen first.
    tats.delete(key);
    if (tats.size >= LOCAL_KEYS) tats.delete(tats.keys().next().value!);
    tats.set(key, tat + interval);
    return { allowed: true, retryAfterMs: 0 };
  };
}

/** How long a rate-limit decision waits for Redis before this process takes it: a slower check costs more than the fallback. */
export const RATE_LIMIT_REDIS_WAIT_MS = 400;
/** After Redis was that slow, how long the decisions stay in this process before Redis is asked again. */
export const RATE_LIMIT_COOL_OFF_MS = 5_000;

export function createRateLimiter({
  redis,
  perMinute,
  prefix,
  waitMs = RATE_LIMIT_REDIS_WAIT_MS,
  coolOffMs = RATE_LIMIT_COOL_OFF_MS,
}: {
  redis: Redis;
  perMinute: number;
  prefix: string;
  waitMs?: number;
  coolOffMs?: number;
}) {
  const interval = 60_000 / perMinute;
  // A caller may burst up to a sixth of the per-minute allowance (at least one request).
  const tolerance = interval * Math.max(1, Math.floor(perMinute / 6));
  const local = localGcra(interval, tolerance);
  // Redis last took longer than `waitMs`: until `slowUntil` it is not asked (a hung Redis costs
  // one slow decision per cool-off, not one a request); then one request asks it again, the
  // others deciding here until that one has its answer.
  let slow: { error: Error; until: number; asking: boolean } | undefined;
  return {
    /** Never throws: when Redis fails or is slow, the decision is this process's own and says why (`redisError`). */
    async take(key: string): Promise<RateLimitDecision> {
      if (slow && (slow.asking || Date.now() < slow.until)) return { ...local(key), redisError: slow.error };
      const asking = slow;
      if (asking) asking.asking = true;
      try {
        const [allowed, retryAfterMs] = (await redisWithin(gcra(redis, [`${prefix}:rl:${key}`], [interval, tolerance]), waitMs)) as [number, number];
        slow = undefined;
        return { allowed: allowed === 1, retryAfterMs };
      } catch (err) {
        if (err instanceof RedisSlowAnswerError) slow = { error: err, until: Date.now() + coolOffMs, asking: false };
        else if (asking) slow = undefined; // it answered or refused at once: no longer slow
        return { ...local(key), redisError: err as Error };
      } finally {
        if (asking) asking.asking = false;
      }
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
