import type { MiddlewareHandler } from 'hono';
import { validationError } from '../../domain/validation.js';
import type { ApiEnv } from '../context.js';

/** `decodeURIComponent`, or undefined where the text is not valid percent-encoded UTF-8. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Refuses a query string that does not decode: a `%` without two hex digits after it, or bytes
 * that are not UTF-8 (`%FF`, an encoded lone surrogate). Hono would keep such a value as written,
 * so `q=%acme` searched for something else than was meant and `q=%FF` for nothing, with a 200.
 */
export function requireDecodableQuery(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const { url } = c.req;
    const start = url.indexOf('?');
    if (start >= 0) {
      const end = url.indexOf('#', start);
      const query = url.slice(start + 1, end < 0 ? undefined : end);
      const problems = [];
      for (const pair of query.split('&')) {
        if (!pair) continue;
        const eq = pair.indexOf('=');
        const name = eq < 0 ? pair : pair.slice(0, eq);
        const value = eq < 0 ? '' : pair.slice(eq + 1);
        const field = decoded(name);
        if (field === undefined) problems.push({ field: 'query', message: `the parameter name ${JSON.stringify(name)} is not valid percent-encoded UTF-8` });
        else if (decoded(value) === undefined) {
          problems.push({ field, message: 'is not valid percent-encoded UTF-8: a % must start two hex digits, and the bytes they give must be UTF-8' });
        }
      }
      if (problems.length) throw validationError(problems);
    }
    await next();
  };
}
