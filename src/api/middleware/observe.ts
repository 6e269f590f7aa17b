import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../infra/metrics.js';
import type { ApiEnv } from '../context.js';

/** One "request completed" line and one metrics sample per request, with the route pattern, never the raw path. */
export function observe({ log, metrics }: { log: Logger; metrics: Metrics }): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    c.set('log', log.child({ requestId: c.get('requestId') }));
    await next();
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const route = c.res.status === 404 && routePath(c) === '/*' ? 'unmatched' : routePath(c);
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, durationMs / 1000);
    c.get('log').info({ method: c.req.method, route, path: c.req.path, status: c.res.status, durationMs }, 'request completed');
  };
}
