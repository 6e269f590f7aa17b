import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { AppError } from '../../domain/errors.js';
import { authenticate } from '../../domain/workspaces/workspaces.usecases.js';
import type { WorkspaceRepository } from '../../domain/workspaces/workspaces.repository.js';
import { createRateLimiter, RATE_LIMIT_REDIS_WAIT_MS, type RateLimiter } from '../../infra/rate-limiter.js';
import { redisWithin, warnRedisError } from '../../infra/redis.js';
import type { ApiEnv } from '../context.js';

function bearerToken(header: string | undefined): string {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new AppError('auth.unauthorized', 401, 'send your API key as "Authorization: Bearer <key>"');
  return match[1];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The address a request that presents a token came from: undefined for one made in-process
 * (tests), or with no Authorization header at all (nothing is being guessed), neither counted.
 */
const clientAddress = (c: Context<ApiEnv>) =>
  c.req.header('authorization') === undefined ? undefined : (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;

/**
 * Failed authentications per client address. Past a burst of 10, at 60 a minute, an address's
 * tokens are not even looked at until its limit allows again: a 429 saying when. Guessing API keys
 * or the admin token at line rate becomes guessing at one a second. Behind a proxy every client
 * shares the proxy's address; the limit is wide enough for a mistyped key. When Redis is away the
 * failures are counted, and the blocks kept, in this process alone (README).
 */
export function createAuthFailureGuard({ redis, prefix }: { redis: Redis; prefix: string }) {
  const limiter = createRateLimiter({ redis, perMinute: 60, prefix: `${prefix}:authfail` });
  const blockKey = (address: string) => `${prefix}:authblock:${address}`;
  // Addresses that failed here lately, and until when this process blocked them: only their
  // requests ask Redis whether they are blocked, so a client that authenticates costs no extra
  // round trip. One blocked by another process is caught here at its first failure.
  const failedHere = new Map<string, { at: number; blockedUntil: number }>();
  const SUSPECT_MS = 10 * 60_000;
  const suspect = (address: string) => {
    const failure = failedHere.get(address);
    if (failure === undefined) return undefined;
    if (Date.now() - failure.at < SUSPECT_MS) return failure;
    failedHere.delete(address);
    return undefined;
  };
  const warn = (c: Context<ApiEnv>, err: Error) =>
    // Once per kind of error, then a line per 10 s, as every Redis error is (README).
    warnRedisError(redis, c.get('log'), { err: { message: err.message } }, 'authentication failure guard unavailable; failures counted in this process');
  return {
    /** Throws the 429 while `address` is blocked. */
    async check(c: Context<ApiEnv>): Promise<void> {
      const address = clientAddress(c);
      const failure = address && suspect(address);
      if (!address || !failure) return;
      let leftMs = failure.blockedUntil - Date.now();
      // No longer than a rate-limit decision waits: a hung Redis must not hold every request of a suspect address.
      if (leftMs <= 0) leftMs = await redisWithin(redis.pttl(blockKey(address)), RATE_LIMIT_REDIS_WAIT_MS).catch(() => -2);
      if (leftMs > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil(leftMs / 1000));
        throw new AppError('auth.too_many_failures', 429, `too many failed authentications from this address; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
    },
    /** Counts a failure of `address`; past the limit, blocks it for as long as the limit says. */
    async failed(c: Context<ApiEnv>): Promise<void> {
      const address = clientAddress(c);
      if (!address) return;
      const failure = { at: Date.now(), blockedUntil: suspect(address)?.blockedUntil ?? 0 };
      // Bounded: a flood of addresses forgets the oldest, which then ask Redis again only once they fail again.
      failedHere.delete(address);
      if (failedHere.size >= 10_000) failedHere.delete(failedHere.keys().next().value!);
      failedHere.set(address, failure);
      const decision = await limiter.take(address);
      if (decision.redisError) warn(c, decision.redisError);
      if (decision.allowed) return;
      const blockMs = Math.max(1000, decision.retryAfterMs);
      failure.blockedUntil = failure.at + blockMs;
      await redisWithin(redis.set(blockKey(address), '1', 'PX', blockMs), RATE_LIMIT_REDIS_WAIT_MS).catch((err: Error) => warn(c, err));
    },
  };
}

export type AuthFailureGuard = ReturnType<typeof createAuthFailureGuard>;

/** Runs `check` (which throws a 401) and counts the failure before it reaches the client. */
async function counted<T>(guard: AuthFailureGuard | undefined, c: Context<ApiEnv>, check: () => Promise<T>): Promise<T> {
  await guard?.check(c);
  try {
    return await check();
  } catch (err) {
    if (err instanceof AppError && err.status === 401) await guard?.failed(c);
    throw err;
  }
}

export function requireAdmin(adminToken: string | undefined, guard?: AuthFailureGuard): MiddlewareHandler<ApiEnv> {
  const expected = adminToken ? digest(adminToken) : null;
  return async (c, next) => {
    await counted(guard, c, async () => {
      const header = c.req.header('authorization');
      if (!header) throw new AppError('auth.unauthorized', 401, 'admin calls take the admin token: send "Authorization: Bearer <ADMIN_TOKEN>"');
      const token = bearerToken(header);
      if (!expected) throw new AppError('auth.unauthorized', 401, 'admin calls are disabled: set ADMIN_TOKEN in the environment');
      if (!timingSafeEqual(digest(token), expected)) throw new AppError('auth.unauthorized', 401, 'the admin token is not valid');
    });
    await next();
  };
}

/**
 * Resolves the API key to its workspace and applies the per-key rate limit. When Redis is down
 * each API process enforces the limit on its own rather than refusing reads that only need
 * Postgres; that is logged as a Redis error is (warnRedisError on `redis`, the limiter's
 * connection), not once a request.
 */
export function requireWorkspace({
  workspaceRepository,
  rateLimiter,
  redis,
  guard,
}: {
  workspaceRepository: WorkspaceRepository;
  rateLimiter: RateLimiter;
  redis: Redis;
  guard?: AuthFailureGuard;
}): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = await counted(guard, c, async () => {
      const found = await authenticate({ token: bearerToken(c.req.header('authorization')), now: new Date(), workspaceRepository });
      if (!found) throw new AppError('auth.unauthorized', 401, 'the API key is not valid, or was revoked or has expired');
      return found;
    });
    const decision = await rateLimiter.take(principal.keyId);
    if (decision.redisError) {
      warnRedisError(redis, c.get('log'), { err: { message: decision.redisError.message } }, 'rate limiter unavailable; limits kept in this process');
    }
    if (!decision.allowed) {
      const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new AppError('rate_limit.exceeded', 429, `too many requests for this API key; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    c.set('principal', principal);
    c.set('log', c.get('log').child({ workspaceId: principal.workspaceId }));
    await next();
  };
}
