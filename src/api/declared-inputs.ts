import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { validationError, type FieldProblem } from '../domain/validation.js';
import type { ApiEnv } from './context.js';

/** The query of a route that declares none: every parameter given is unknown. */
const NO_QUERY = z.strictObject({});

const NO_BODY = 'this route takes no body: send none, or {}';

/**
 * For a route that declares no body: nothing, whitespace or `{}` passes (clients that always send
 * a JSON body send that), while a field is a 400 naming it (`foo: unknown field`, as a route with a
 * body schema says) and anything else (`null`, `[]`, text that is not JSON) a 400 naming `body`.
 */
const refuseBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const text = (await c.req.text()).trim();
    if (text !== '') {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const problems: FieldProblem[] =
        typeof body === 'object' && body !== null && !Array.isArray(body)
          ? Object.keys(body).map((field) => ({ field, message: 'unknown field' }))
          : [{ field: 'body', message: NO_BODY }];
      if (problems.length) throw validationError(problems);
    }
  }
  await next();
};

/**
 * Every /v1 route refuses what it does not declare: a query parameter it does not take is a 400
 * naming it (`foo: unknown field`; a route without a query schema gets an empty strict one, the
 * same check the list routes' schemas make), and a route that declares no body refuses a
 * non-empty one (refuseBody). Applied where routes are registered (`app.openapi`), before any
 * route is, so a new route cannot forget it. /openapi.json, /docs and the operations routes
 * (/healthz, /readyz, /metrics: probes and scrapers add their own parameters) are left as they are.
 * /openapi.json is unchanged: an empty query object documents no parameter.
 */
export function refuseUndeclaredInputs(app: OpenAPIHono<ApiEnv>): void {
  const register = app.openapi;
  app.openapi = ((route, handler, hook) => {
    if (!route.path.startsWith('/v1/')) return register(route, handler, hook);
    const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
    return register(
      {
        ...route,
        request: { ...route.request, query: route.request?.query ?? NO_QUERY },
        ...(route.request?.body ? {} : { middleware: [refuseBody, ...own] }),
      },
      handler,
      hook,
    );
  }) as typeof app.openapi;
}
