import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError } from '../domain/errors.js';
import type { ApiEnv } from './context.js';

export interface FieldProblem {
  field: string;
  message: string;
}

export function errorBody(c: Context<ApiEnv>, code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, requestId: c.get('requestId') ?? null, ...(details ?? {}) } };
}

/**
 * Every zod issue as a field name and a sentence. Fields are named as the caller wrote them
 * (`limit`, `name`, `brand.query`); a problem with the whole body is `body`. Unknown keys are
 * named one by one.
 */
export function fieldProblems(error: ZodError, target?: string): FieldProblem[] {
  const whole = target === 'json' || target === undefined ? 'body' : target;
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, message: 'unknown field' }));
    }
    return [{ field: base || whole, message: issue.message }];
  });
}

export function validationError(problems: FieldProblem[]): AppError {
  const message = `invalid request: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  return new AppError('validation.failed', 400, message, { fields: problems });
}

/** The one error handler: AppErrors speak for themselves, everything unknown is a logged 500. */
export function handleError(err: Error, c: Context<ApiEnv>): Response {
  if (err instanceof AppError) {
    if (err.status === 429 && typeof err.details?.retryAfterSeconds === 'number') {
      c.header('Retry-After', String(err.details.retryAfterSeconds));
    }
    return c.json(errorBody(c, err.code, err.message, err.details), err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own validator throws this for a body that is not JSON.
    const problem = err.message.includes('JSON')
      ? { field: 'body', message: 'not valid JSON' }
      : { field: 'request', message: err.message || 'bad request' };
    const e = validationError([problem]);
    return c.json(errorBody(c, e.code, e.message, e.details), 400);
  }
  c.get('log')?.error({ err }, 'unhandled error');
  return c.json(errorBody(c, 'internal.error', 'something went wrong on our side; the request id helps us find it'), 500);
}
