import { createHash, randomBytes } from 'node:crypto';
import { luaScript, type Redis } from '../../infra/redis.js';
import type { Logger } from '../../logger.js';

/** What identifies one SWOT answer: the same tuple gives the same answer until mentions arrive. */
export interface SwotCacheKey {
  workspaceId: string;
  brandId: string;
  since: Date;
  until: Date;
  /** brandRepository.version: moves when a brand is created, re-queried, renamed or deleted. */
  brandVersion: string;
  sampleLimit: number;
}

/**
 * Bumped when the shape or the rules of the answer change, so a new release never serves an older
 * one's. 2: the answer names its brands (`brands`). 3: its sentences carry their facts
 * (`summaryFacts`), which GET /v1/swot?lang= writes in the asked language: an answer without them
 * could only be served in English.
 */
const FORMAT = 3;

interface Entry<T> {
  /** When the computation that made it started reading (ms since the epoch): its age counts from then. */
  computedAt: number;
  value: T;
}

// Deletes the lock only while it is still ours: once it has expired another process may hold it.
const releaseLock = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The SWOT's answers in Redis for `ttlSeconds`, shared by every API process; 0 turns the cache
 * off. Identical requests share one computation: in one process through a map of the running
 * ones, across processes through a lock (SET NX PX) whose holder computes while the others poll
 * for its answer, at most `waitMs`, and compute themselves if it has not appeared (or the lock
 * went away without it). Redis failing never fails a request: it is logged and the SWOT computed.
 */
export function createSwotCache({
  redis,
  prefix,
  ttlSeconds,
  log,
  lockMs = 30_000,
  waitMs = lockMs,
  pollMs = 100,
}: {
  redis: Redis;
  prefix: string;
  ttlSeconds: number;
  log: Logger;
  /** How long the lock lives if its holder never releases it (a crash, a lost connection). */
  lockMs?: number;
  /** The longest a request waits for another process's answer before computing its own. */
  waitMs?: number;
  pollMs?: number;
}) {
  const ttlMs = ttlSeconds * 1000;
  const running = new Map<string, Promise<unknown>>();

  const warn = (err: unknown, op: string) => log.warn({ err: { message: (err as Error)?.message }, op }, 'swot cache unavailable; computing without it');

  async function read<T>(key: string): Promise<Entry<T> | null> {
    const text = await redis.get(key);
    if (text === null) return null;
    const entry = JSON.parse(text) as Entry<T>;
    // Redis expires it at the TTL it was written with; a process with a shorter TTL does not take it past its own.
    return Date.now() - entry.computedAt <= ttlMs ? entry : null;
  }

  async function computeAndStore<T>(key: string, compute: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
    const computedAt = Date.now();
    const value = await compute();
    const left = computedAt + ttlMs - Date.now();
    if (left > 0 && keep(value)) {
      await redis.set(key, JSON.stringify({ computedAt, value } satisfies Entry<T>), 'PX', left).catch((err: unknown) => warn(err, 'set'));
    }
    return value;
  }

  /** Another process holds the lock: its answer, once stored within the wait; null to compute here. */
  async function waitForOther<T>(key: string, lock: string): Promise<Entry<T> | null> {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
      const [entry, holder] = await Promise.all([read<T>(key), redis.get(lock)]);
      if (entry) return entry;
      // Released without an answer (its computation failed) or expired: no use waiting on.
      if (holder === null) return null;
    }
    return null;
  }

  async function shared<T>(key: string, compute: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
    let hit: Entry<T> | null;
    try {
      hit = await read<T>(key);
    } catch (err) {
      warn(err, 'get');
      return compute();
    }
    if (hit) return hit.value;

    const lock = `${key}:lock`;
    const token = randomBytes(12).toString('hex');
    let locked: boolean;
    try {
      locked = (await redis.set(lock, token, 'PX', lockMs, 'NX')) === 'OK';
    } catch (err) {
      warn(err, 'lock');
      return compute();
    }
    if (!locked) {
      try {
        const other = await waitForOther<T>(key, lock);
        if (other) return other.value;
      } catch (err) {
        warn(err, 'wait');
        return compute();
      }
      return computeAndStore(key, compute, keep);
    }
    try {
      return await computeAndStore(key, compute, keep);
    } finally {
      await releaseLock(redis, [lock], [token]).catch((err: unknown) => warn(err, 'unlock'));
    }
  }

  return {
    enabled: ttlMs > 0,

    /**
     * The cached answer for `key` when one is fresh, else `compute()`'s, shared with identical
     * requests; stored only when `keep` says so.
     */
    async get<T>(key: SwotCacheKey, compute: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
      if (ttlMs <= 0) return compute();
      const id = createHash('sha256')
        .update(JSON.stringify([FORMAT, key.brandId, key.since.toISOString(), key.until.toISOString(), key.brandVersion, key.sampleLimit]))
        .digest('base64url');
      const redisKey = `${prefix}:swot:${key.workspaceId}:${id}`;
      const inFlight = running.get(redisKey);
      if (inFlight) return inFlight as Promise<T>;
      const answer = shared(redisKey, compute, keep).finally(() => running.delete(redisKey));
      running.set(redisKey, answer);
      return answer;
    },
  };
}

export type SwotCache = ReturnType<typeof createSwotCache>;
