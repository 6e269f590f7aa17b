import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export type { Redis };

/**
 * BullMQ's production guide: workers (blocking commands) need `maxRetriesPerRequest: null` and
 * must keep retrying forever; producers (the API enqueueing work, rate limiting) must fail fast
 * while Redis is down so a request answers 503 instead of hanging.
 */
export function createRedis(url: string, { role, log }: { role: 'worker' | 'producer'; log: Logger }): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    connectionName: `earshot-${role}`,
    retryStrategy: (attempt) => Math.min(200 * 2 ** Math.min(attempt, 6), 10_000),
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3_000, commandTimeout: 3_000 }),
  });
  let lastLogged = 0;
  redis.on('error', (err: Error) => {
    // A dead Redis emits an error per reconnect attempt; one line every 10 s is enough.
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      log.warn({ err: { message: err.message }, role }, 'redis connection error');
    }
  });
  return redis;
}

export class RedisPolicyError extends Error {}

/** Redis did not answer within the start-up wait; `reason` is the client's last error. */
export class RedisUnreachableError extends Error {
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Redis is unreachable: ${reason}`, options);
    this.name = 'RedisUnreachableError';
  }
}

/**
 * BullMQ loses jobs silently when Redis evicts keys, so a Redis whose eviction policy is not
 * `noeviction` is refused at start-up. INFO works where CONFIG is disabled (managed Redis).
 */
export async function assertRedisUsable(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy && policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy}", but Earshot's job queues need "noeviction" or jobs are silently lost. ` +
        `Fix: run \`redis-cli CONFIG SET maxmemory-policy noeviction\` and set \`maxmemory-policy noeviction\` in redis.conf ` +
        `(or the equivalent parameter of your managed Redis).`,
    );
  }
}

/** Waits until a lazily connecting client is ready, or fails after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // What the connection itself last said (ECONNREFUSED, ENOTFOUND, a TLS or auth failure): a
  // ping refused while offline only says the client has no connection.
  let lastConnectionError: Error | undefined;
  const remember = (err: Error) => void (lastConnectionError = err);
  redis.on('error', remember);
  try {
    for (;;) {
      try {
        await redis.ping();
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          const cause = lastConnectionError ?? (err as Error);
          throw new RedisUnreachableError(cause.message, { cause });
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    redis.off('error', remember);
  }
}

/**
 * A Lua script run by its SHA (EVALSHA), so each call sends a hash instead of the source; the
 * source is sent only when Redis does not know it yet (NOSCRIPT: first use, or after a restart).
 */
export function luaScript(source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err as Error).message?.startsWith('NOSCRIPT')) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
