import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { AppError } from '../../domain/errors.js';
import { API_KEY_PREFIX } from '../../domain/workspaces/api-keys.js';
import { authenticate } from '../../domain/workspaces/workspaces.usecases.js';
import type { WorkspaceRepository } from '../../domain/workspaces/workspaces.repository.js';
import { clientKey, forwardedClient, parseNetwork, type Network } from '../../infra/networks.js';
import { createRateLimiter, type RateLimiter } from '../../infra/rate-limiter.js';
import { warnRedisError } from '../../infra/redis.js';
import type { ApiEnv } from '../context.js';

function bearerToken(header: string | undefined): string {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new AppError('auth.unauthorized', 401, 'send your API key as "Authorization: Bearer <key>"');
  return match[1];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The address a request that presents a token came from (behind a trusted proxy, the client's,
 * networks.ts): undefined for one made in-process (tests), or with no Authorization header at all
 * (nothing is being guessed), neither counted.
 */
function clientAddress(c: Context<ApiEnv>, trustedProxies: readonly Network[]): string | undefined {
  if (c.req.header('authorization') === undefined) return undefined;
  const peer = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  return peer === undefined ? undefined : forwardedClient(peer, c.req.header('x-forwarded-for'), trustedProxies);
}

/**
 * Failed authentications per client address (an IPv6 one per /64). Past a burst of 10, at 60 a
 * minute, the address's failures get a 429 saying when to retry instead of a 401; a request
 * whose key is right is served all the same, so one client with a wrong key does not lock out
 * the others behind its proxy or NAT. Every token is checked the same way whether its address is
 * limited or not (a hashed lookup, a constant-time compare): for keys the limit is on wrong
 * answers, and what makes guessing them hopeless is their size (32 random bytes). The admin token
 * is an operator's choice, so every attempt at it counts, in a limit of its own (adminAttempt).
 * When Redis is away the attempts are counted in this process alone (README).
 */
export function createAuthFailureGuard({ redis, prefix, trustedProxies = [] }: { redis: Redis; prefix: string; trustedProxies?: readonly string[] }) {
  const limiter = createRateLimiter({ redis, perMinute: 60, prefix: `${prefix}:authfail` });
  const adminLimiter = createRateLimiter({ redis, perMinute: 60, prefix: `${prefix}:adminauth` });
  const proxies = trustedProxies.map((entry) => {
    const network = parseNetwork(entry);
    if (!network) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR network`);
    return network;
  });
  return {
    /** Counts a failed authentication; past the limit, throws the 429 that replaces its 401. */
    failed: (c: Context<ApiEnv>) => take(limiter, c),
    /**
     * Counts an attempt at the admin token, right or wrong: an operator chooses it (16 characters
     * at the least), unlike a key's 32 random bytes, so an address tries it at most 10 at once and
     * 60 a minute even though a right one is served while its wrong ones are limited.
     */
    adminAttempt: (c: Context<ApiEnv>) => take(adminLimiter, c),
  };

  async function take(from: RateLimiter, c: Context<ApiEnv>): Promise<void> {
    const address = clientAddress(c, proxies);
    if (!address) return;
    const decision = await from.take(clientKey(address));
    if (decision.redisError) {
      // Once per kind of error, then a line per 10 s, as every Redis error is (README).
      warnRedisError(redis, c.get('log'), { err: { message: decision.redisError.message } }, 'authentication failure guard unavailable; failures counted in this process');
    }
    if (decision.allowed) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    const what = from === adminLimiter ? 'admin calls' : 'failed authentications';
    throw new AppError('auth.too_many_failures', 429, `too many ${what} from this address; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

export type AuthFailureGuard = ReturnType<typeof createAuthFailureGuard>;

/** Runs `check`; a 401 it throws is counted, and becomes the guard's 429 past the limit. */
async function counted<T>(guard: AuthFailureGuard | undefined, c: Context<ApiEnv>, check: () => Promise<T>): Promise<T> {
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
    await guard?.adminAttempt(c);
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

const NOT_A_KEY = 'the API key is not valid, or was revoked or has expired';
const ADMIN_TOKEN_HERE =
  'this is the admin token, which only the admin route POST /v1/workspaces takes; workspace routes need a workspace API key (esk_…), ' +
  'as POST /v1/workspaces or POST /v1/api-keys returns';

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
  adminToken,
}: {
  workspaceRepository: WorkspaceRepository;
  rateLimiter: RateLimiter;
  redis: Redis;
  guard?: AuthFailureGuard;
  /** ADMIN_TOKEN: sent here, its 401 says what it is instead of calling it a key that is not valid. */
  adminToken?: string | undefined;
}): MiddlewareHandler<ApiEnv> {
  const admin = adminToken ? digest(adminToken) : null;
  /**
   * Whether a token that is no workspace's key is the admin token: asked only once the key lookup
   * failed, so a valid key costs nothing more. A token not shaped as a key (esk_…) is an attempt
   * at the admin token as on the admin route, counted in its limit (adminAttempt), and compared
   * in constant time: otherwise this answer would let an address guess the token twice as fast.
   */
  const isAdminToken = async (c: Context<ApiEnv>, token: string) => {
    if (!admin || token.startsWith(API_KEY_PREFIX)) return false;
    await guard?.adminAttempt(c);
    return timingSafeEqual(digest(token), admin);
  };
  return async (c, next) => {
    const principal = await counted(guard, c, async () => {
      const token = bearerToken(c.req.header('authorization'));
      const found = await authenticate({ token, now: new Date(), workspaceRepository });
      if (found) return found;
      throw new AppError('auth.unauthorized', 401, (await isAdminToken(c, token)) ? ADMIN_TOKEN_HERE : NOT_A_KEY);
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
