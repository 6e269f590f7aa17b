import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../domain/errors.js';
import type { ApiEnv } from './context.js';
import { validationError } from '../domain/validation.js';
import { isDependencyDown } from '../infra/dependency-errors.js';
import { createWarningThrottle } from '../infra/redis.js';

export { fieldProblems, validationError, type FieldProblem } from '../domain/validation.js';

export function errorBody(c: Context<ApiEnv>, code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, requestId: c.get('requestId') ?? null, ...(details ?? {}) } };
}

/**
 * While Postgres or Redis is down every request fails the same way: each kind of failure is logged
 * once, then once per 10 s with how many were left out, as the Redis clients' own errors are.
 */
const dependencyWarnings = createWarningThrottle();

/** The one error handler: AppErrors speak for themselves, everything unknown is a logged 500. */
export function handleError(err: Error, c: Context<ApiEnv>): Response {
  if (err instanceof AppError) {
    if (err.status === 429 && typeof err.details?.retryAfterSeconds === 'number') {
      c.header('Retry-After', String(err.details.retryAfterSeconds));
    }
    // RFC 6750: a 401 names the scheme it wants.
    if (err.status === 401) c.header('WWW-Authenticate', 'Bearer');
    return c.json(errorBody(c, err.code, err.message, err.details), err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own validator throws these for a body that is not JSON, or not sent as JSON.
    const problem = err.message.includes('JSON')
      ? { field: 'body', message: 'not valid JSON' }
      : /unsupported media type/i.test(err.message)
        ? { field: 'body', message: 'send it as JSON, with the header Content-Type: application/json' }
        : { field: 'request', message: err.message || 'bad request' };
    const e = validationError([problem]);
    return c.json(errorBody(c, e.code, e.message, e.details), 400);
  }
  if (isDependencyDown(err)) {
    dependencyWarnings.warn({ err: { message: err.message } }, 'dependency unavailable', `dependency unavailable: ${err.message}`, c.get('log'));
    c.header('Retry-After', '5');
    return c.json(errorBody(c, 'service.unavailable', 'a database or queue is unreachable right now; retry shortly'), 503);
  }
  c.get('log')?.error({ err }, 'unhandled error');
  return c.json(errorBody(c, 'internal.error', 'something went wrong on our side; the request id helps us find it'), 500);
}
