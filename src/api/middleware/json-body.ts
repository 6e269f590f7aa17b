import type { MiddlewareHandler } from 'hono';
import { validationError, type FieldProblem } from '../../domain/validation.js';
import type { ApiEnv } from '../context.js';

/** Deeper than any body the API takes (a list of objects of lists); a deeper one is refused, not walked. */
export const MAX_JSON_DEPTH = 32;

/** Keys that name an object's prototype: merged into a plain object, they would replace it. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const fieldOf = (path: readonly string[]) => (path.length ? path.join('.') : 'body');

/**
 * What must not pass in a parsed JSON body, wherever it sits: a NUL character in a string or a
 * key (Postgres text and jsonb cannot store it), a prototype key (`__proto__` would replace the
 * prototype of an object a route merges fields into), or nesting deeper than MAX_JSON_DEPTH.
 * Walked with an explicit stack: a body of a few KB can nest thousands deep.
 */
function bodyProblems(body: unknown): FieldProblem[] {
  const found: FieldProblem[] = [];
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found.push({ field: fieldOf(path), message: 'must not contain the NUL character (\\u0000)' });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      found.push({ field: fieldOf(path), message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value);
    for (const [key, item] of entries) {
      if (key.includes('\u0000')) found.push({ field: fieldOf(path), message: 'must not have a field name with the NUL character (\\u0000)' });
      else if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key)) found.push({ field: fieldOf([...path, key]), message: 'unknown field' });
      else stack.push({ value: item, path: [...path, key] });
    }
  }
  return found;
}

/**
 * Refuses a JSON body holding a NUL character, a prototype key or nesting past MAX_JSON_DEPTH
 * anywhere (bodyProblems), with a 400 naming the fields. Bodies that are not JSON, or not valid
 * JSON, are left to the route's own validation.
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
      const problems = bodyProblems(body);
      if (problems.length) throw validationError(problems);
    }
    await next();
  };
}
