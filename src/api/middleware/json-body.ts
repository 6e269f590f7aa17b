import type { MiddlewareHandler } from 'hono';
import { validationError, type FieldProblem } from '../../domain/validation.js';
import type { ApiEnv } from '../context.js';

/** The fields of `value` (a parsed JSON body) whose strings or keys hold a NUL character. */
function nulFields(value: unknown, path: string[], found: FieldProblem[]): FieldProblem[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ field: path.length ? path.join('.') : 'body', message: 'must not contain the NUL character (\\u0000)' });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulFields(item, [...path, String(i)], found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push({ field: path.length ? path.join('.') : 'body', message: 'must not have a field name with the NUL character (\\u0000)' });
      else nulFields(item, [...path, key], found);
    }
  }
  return found;
}

/**
 * Refuses a JSON body holding a NUL character anywhere: Postgres text and jsonb cannot store it,
 * so a name with `\u0000` was a 500 from the database wherever a route stored it as given. Bodies
 * that are not JSON, or not valid JSON, are left to the route's own validation.
 */
export function refuseNulInJson(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /json/i.test(c.req.header('content-type') ?? '')) {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        body = undefined;
      }
      const problems = nulFields(body, [], []);
      if (problems.length) throw validationError(problems);
    }
    await next();
  };
}
