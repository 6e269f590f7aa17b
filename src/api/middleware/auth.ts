import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../domain/errors.js';
import { authenticate } from '../../domain/workspaces/workspaces.usecases.js';
import type { WorkspaceRepository } from '../../domain/workspaces/workspaces.repository.js';
import type { RateLimiter } from '../../infra/rate-limiter.js';
import type { ApiEnv } from '../context.js';

function bearerToken(header: string | undefined): string {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new AppError('auth.unauthorized', 401, 'send your API key as "Authorization: Bearer <key>"');
  return match[1];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function requireAdmin(adminToken: string | undefined): MiddlewareHandler<ApiEnv> {
  const expected = adminToken ? digest(adminToken) : null;
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw new AppError('auth.unauthorized', 401, 'admin calls take the admin token: send "Authorization: Bearer <ADMIN_TOKEN>"');
    const token = bearerToken(header);
    if (!expected) throw new AppError('auth.unauthorized', 401, 'admin calls are disabled: set ADMIN_TOKEN in the environment');
    if (!timingSafeEqual(digest(token), expected)) throw new AppError('auth.unauthorized', 401, 'the admin token is not valid');
    await next();
  };
}

/**
 * Resolves the API key to its workspace and applies the per-key rate limit. When Redis is down
 * the limit is not enforced rather than refusing reads that only need Postgres.
 */
export function requireWorkspace({
  workspaceRepository,
  rateLimiter,
}: {
  workspaceRepository: WorkspaceRepository;
  rateLimiter: RateLimiter;
}): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = await authenticate({ token: bearerToken(c.req.header('authorization')), now: new Date(), workspaceRepository });
    if (!principal) throw new AppError('auth.unauthorized', 401, 'the API key is not valid, or was revoked or has expired');
    let decision;
    try {
      decision = await rateLimiter.take(principal.keyId);
    } catch (err) {
      c.get('log').warn({ err: { message: (err as Error).message } }, 'rate limiter unavailable; request allowed');
    }
    if (decision && !decision.allowed) {
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
