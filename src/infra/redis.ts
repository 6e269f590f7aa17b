import { createHash } from 'node:crypto';
import { Command, Redis } from 'ioredis';
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
  if (role === 'producer') failFastWhileHung(redis, { log, throttle });
  return redis;
}

/** A command refused at once because the connection's last command timed out and Redis has not answered since (failFastWhileHung). */
export class RedisNotAnsweringError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly sinceMs: number) {
    super(`Redis has not answered for ${Math.round(sinceMs / 1000)} s (a command timed out); not waiting on it until it answers a ping`);
    this.name = 'RedisNotAnsweringError';
  }
}

const hungSince = new WeakMap<Redis, number>();

/** When `redis` was found hung (a command timed out, nothing answered since); undefined while it answers. */
export const redisHungSince = (redis: Redis): number | undefined => hungSince.get(redis);

/** The pause between two pings of a hung connection (each lasts up to the command timeout). */
const HUNG_PING_PAUSE_MS = 1_000;

/**
 * A Redis that hangs (a paused process, a partition, a failover without RST) keeps the connection
 * open, so the client sends each command and waits the whole command timeout for it: every request
 * that asks Redis anything would wait as long. Once a command has timed out, the producer
 * connection is taken as hung: its commands fail at once (RedisNotAnsweringError, ETIMEDOUT, which
 * the API answers as Redis being unavailable, and the rate limiters with their in-process
 * fallback) while a ping, one at a time, checks whether Redis answers again; the first answer (to
 * the ping or to any command still in flight) ends it. A lost connection ends it too: the client
 * then fails fast on its own, and reconnects. Only a connection that is ready is judged.
 */
function failFastWhileHung(redis: Redis, { log, throttle }: { log: Logger; throttle: WarningThrottle }): void {
  const send = redis.sendCommand.bind(redis);
  let since: number | undefined;
  let pinging = false;
  let timer: NodeJS.Timeout | undefined;

  const answered = () => {
    if (since === undefined) return;
    log.info({ role: 'producer', hungMs: Date.now() - since }, 'redis answering again');
    since = undefined;
    hungSince.delete(redis);
    clearTimeout(timer);
  };
  const ping = () => {
    if (since === undefined || pinging || redis.status !== 'ready') return;
    pinging = true;
    const command = new Command('ping', []);
    send(command);
    command.promise.then(answered, () => {
      // Timed out again (or the connection went): another ping after a pause, while still hung.
      timer = setTimeout(ping, HUNG_PING_PAUSE_MS).unref();
    }).finally(() => void (pinging = false));
  };
  const timedOut = () => {
    if (since !== undefined) return;
    since = Date.now();
    hungSince.set(redis, since);
    throttle.warn({ role: 'producer' }, 'redis not answering (a command timed out); its commands fail at once until it answers a ping');
    ping();
  };
  redis.on('close', () => {
    since = undefined;
    hungSince.delete(redis);
    clearTimeout(timer);
  });

  redis.sendCommand = ((command: Command, stream?: Parameters<Redis['sendCommand']>[1]) => {
    if (since !== undefined && redis.status === 'ready') {
      command.reject(new RedisNotAnsweringError(Date.now() - since));
      return command.promise;
    }
    const sent = send(command, stream);
    command.promise.then(answered, (err: Error) => {
      if (err?.message === 'Command timed out') timedOut();
      else if (!/^(Stream isn't writeable|Connection is closed)/.test(err?.message ?? '')) answered(); // Redis's own error reply: it answered
    });
    return sent;
  }) as Redis['sendCommand'];
}

/**
 * `work` (a Redis call), or a rejection once `ms` have passed without its answer; the call itself
 * goes on, and the connection's own command timeout still applies to it.
 */
export async function redisWithin<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisSlowAnswerError(ms)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Redis did not answer a call that has its own short deadline (redisWithin). */
export class RedisSlowAnswerError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'RedisSlowAnswerError';
  }
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
  const hung = hungSince.get(redis);
  if (hung !== undefined && redis.status === 'ready') return new RedisNotAnsweringError(Date.now() - hung).message;
  if (redis.status === 'ready') return null;
  return lastErrors.get(redis)?.message ?? `Redis is unreachable (connection ${redis.status})`;
}

export class RedisPolicyError extends Error {}

/** Milliseconds as seconds for a message: 10000 → "10", 2500 → "2.5". */
export const asSeconds = (ms: number): string => String(Math.round(ms / 100) / 10);

/** Redis did not answer within the start-up wait (`waitedMs`, when it was waited for); `reason` is the client's last error. */
export class RedisUnreachableError extends Error {
  readonly waitedMs: number | undefined;
  constructor(
    readonly reason: string,
    options?: ErrorOptions & { waitedMs?: number },
  ) {
    super(`Redis is unreachable${options?.waitedMs === undefined ? '' : ` after ${asSeconds(options.waitedMs)} s`}: ${reason}`, options);
    this.name = 'RedisUnreachableError';
    this.waitedMs = options?.waitedMs;
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

/**
 * Something listens at REDIS_URL's address but does not answer as Redis: each connection is
 * closed before the client's first command is answered (another service's port, or a Redis that
 * needs TLS). Waiting does not fix it, so start-up fails after a few tries rather than the whole wait.
 */
export class RedisWrongServiceError extends RedisUnreachableError {
  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'RedisWrongServiceError';
  }
}

/** Connections accepted and then closed before Redis answered, after which start-up stops waiting (RedisWrongServiceError). */
const NOT_REDIS_AFTER = 3;

/** How long start-up waits for Redis unless told otherwise (REDIS_STARTUP_WAIT_MS). */
export const REDIS_STARTUP_WAIT_MS = 10_000;

/** The pause between two pings while waiting for Redis. */
const WAIT_PING_PAUSE_MS = 250;

/**
 * Waits until a lazily connecting client answers, or fails once `timeoutMs` have passed (or at once
 * when `signal` is aborted: a stop during start-up). Neither a ping in flight nor the pause between
 * two outlasts the wait, so start-up gives up when it says it does.
 */
export async function waitForRedis(redis: Redis, timeoutMs = REDIS_STARTUP_WAIT_MS, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // What the connection itself last said (ECONNREFUSED, ENOTFOUND, a TLS or auth failure): a
  // ping refused while offline only says the client has no connection.
  let lastConnectionError: Error | undefined;
  const remember = (err: Error) => void (lastConnectionError = err);
  // Connections opened, and those closed again without Redis ever answering on them.
  let opened = false;
  let everOpened = false;
  let closedUnanswered = 0;
  const onConnect = () => void (opened = everOpened = true);
  const onClose = () => {
    if (opened) closedUnanswered++;
    opened = false;
  };
  const onReady = () => void (opened = false);
  redis.on('error', remember);
  redis.on('connect', onConnect);
  redis.on('close', onClose);
  redis.on('ready', onReady);
  try {
    for (;;) {
      try {
        await redisWithin(redis.ping(), Math.max(1, deadline - Date.now()));
        return;
      } catch (err) {
        const refused = [err as Error, lastConnectionError].find(isAuthFailure);
        if (refused) throw new RedisAuthError(refused.message, { cause: refused });
        if (signal?.aborted) throw new Error('stopped while waiting for Redis', { cause: err });
        if (closedUnanswered >= NOT_REDIS_AFTER) {
          const { host, port } = redis.options;
          throw new RedisWrongServiceError(
            `${host}:${port} accepted ${closedUnanswered} connections and closed each without answering as Redis` +
              (lastConnectionError ? `; last error: ${lastConnectionError.message}` : ''),
            { cause: lastConnectionError ?? err },
          );
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          const cause = lastConnectionError ?? (err as Error);
          // A connection accepted but never answered (a paused or overloaded Redis, or a service
          // that waits for its client to speak first) leaves only the client's own wording: a ready
          // check that timed out, or a ping refused while offline. The address was reached: say so.
          const { host, port } = redis.options;
          const unanswered = everOpened && (!lastConnectionError || /^(Command timed out|Connection is closed)/.test(lastConnectionError.message));
          throw new RedisUnreachableError(unanswered ? `${host}:${port} accepted the connection but never answered` : cause.message, { cause, waitedMs: timeoutMs });
        }
        await new Promise((r) => setTimeout(r, Math.min(WAIT_PING_PAUSE_MS, left)));
      }
    }
  } finally {
    redis.off('error', remember);
    redis.off('connect', onConnect);
    redis.off('close', onClose);
    redis.off('ready', onReady);
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
