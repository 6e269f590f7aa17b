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
  const throttle = createWarningThrottle(log);
  throttles.set(redis, throttle);
  redis.on('error', (err: Error) => throttle.warn({ err: { message: err.message }, role }, 'redis connection error'));
  // Said once when the connection is back after errors, with how many there were.
  redis.on('ready', () => {
    const errors = throttle.reset();
    if (errors) log.info({ role, errors }, 'redis connection back');
  });
  lastErrors.set(redis, undefined);
  redis.on('error', (err: Error) => lastErrors.set(redis, err));
  redis.on('ready', () => lastErrors.set(redis, undefined));
  return redis;
}

/**
 * Closes a client at shutdown: QUIT when it is connected, so the commands already sent are
 * answered, but no longer than `waitMs` (a server that stops answering meanwhile is not waited
 * for); at once when it is not. A QUIT sent to a client that is not connected waits behind the
 * commands queued for its reconnection (ioredis's offline queue, which the workers' connection
 * keeps and BullMQ fills), that is, for a Redis that may not come back before the shutdown's
 * timeout ends the process.
 */
export async function closeRedis(client: Redis, waitMs = 2_000): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.disconnect();
      resolve();
    }, waitMs);
  });
  const quit = client.quit().then(
    () => undefined,
    () => client.disconnect(),
  );
  await Promise.race([quit, late]).finally(() => clearTimeout(timer));
}

/** How often a kind of Redis error is logged while it repeats: a dead Redis raises one per reconnect attempt, per queue and per worker. */
export const REDIS_ERROR_LOG_MS = 10_000;

type WarningThrottle = ReturnType<typeof createWarningThrottle>;
const throttles = new WeakMap<Redis, WarningThrottle>();
const lastErrors = new WeakMap<Redis, Error | undefined>();

/**
 * One line per kind of error (`key`, by default the log message): the first at once, then at
 * most one every `everyMs`, saying how many were left out since the last. A line goes to `to`
 * when given (a request's own logger), else to `log`.
 */
export function createWarningThrottle(log?: Logger, everyMs = REDIS_ERROR_LOG_MS) {
  const kinds = new Map<string, { last: number; left: number }>();
  let errors = 0;
  return {
    warn(fields: Record<string, unknown>, msg: string, key = msg, to: Logger | undefined = log): void {
      errors++;
      const now = Date.now();
      const kind = kinds.get(key);
      if (kind && now - kind.last < everyMs) {
        kind.left++;
        return;
      }
      to?.warn(kind?.left ? { ...fields, repeated: kind.left, sinceMs: now - kind.last } : fields, msg);
      kinds.set(key, { last: now, left: 0 });
    },
    /** The errors since the last reset; the next one is logged at once again. */
    reset(): number {
      const seen = errors;
      errors = 0;
      kinds.clear();
      return seen;
    },
  };
}

/**
 * Logs an error raised by a BullMQ queue or worker over `redis`, throttled with that connection's
 * own errors (see createWarningThrottle): during an outage each reconnect attempt raises one. The
 * line goes to `log`, the caller's (a request's, with its id), whichever caller created the throttle.
 */
export function warnRedisError(redis: Redis, log: Logger, fields: Record<string, unknown>, msg: string): void {
  let throttle = throttles.get(redis);
  if (!throttle) {
    throttle = createWarningThrottle(log);
    throttles.set(redis, throttle);
  }
  // Each distinct error is shown once at least: only repeats of the same one are held back.
  const err = fields.err as { message?: string } | undefined;
  throttle.warn(fields, msg, `${msg}: ${err?.message ?? ''}`, log);
}

/**
 * Why `redis` cannot be used now, as the connection last said it (`connect ECONNREFUSED
 * 127.0.0.1:6379`), rather than the wording of a command refused while offline; null while it
 * is ready.
 */
export function redisUnavailableReason(redis: Redis): string | null {
  if (redis.status === 'ready') return null;
  return lastErrors.get(redis)?.message ?? `Redis is unreachable (connection ${redis.status})`;
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
 * Redis answered but refused the credentials of REDIS_URL (NOAUTH: none given where one is
 * required; WRONGPASS: a wrong password or user). Waiting does not fix it, so start-up fails at once.
 */
export class RedisAuthError extends RedisUnreachableError {
  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'RedisAuthError';
  }
}

const isAuthFailure = (err: Error | undefined) => /^(NOAUTH|WRONGPASS)\b/.test(err?.message ?? '');

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

/** Waits until a lazily connecting client is ready, or fails after `timeoutMs` (or once `signal` is aborted: a stop during start-up). */
export async function waitForRedis(redis: Redis, timeoutMs = 10_000, signal?: AbortSignal): Promise<void> {
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
        const refused = [err as Error, lastConnectionError].find(isAuthFailure);
        if (refused) throw new RedisAuthError(refused.message, { cause: refused });
        if (signal?.aborted) throw new Error('stopped while waiting for Redis', { cause: err });
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
