import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { redisUnavailableReason } from '../../infra/redis.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/** `explain` gives the real cause when the failure's own message does not (a command refused while offline). */
async function probe(check: () => Promise<unknown>, explain: () => string | null = () => null): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(check(), 2_000);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: explain() ?? (err as Error).message };
  }
}

const Health = z.object({ status: z.literal('ok') }).openapi('Health');
const Check = z.object({ ok: z.boolean(), error: z.string().optional() });
const Ready = z.object({ status: z.enum(['ready', 'unavailable']), checks: z.object({ postgres: Check, redis: Check }) }).openapi('Readiness');

export function registerOperationRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'checkLiveness',
      tags: ['Operations'],
      summary: 'The process is alive',
      responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'checkReadiness',
      tags: ['Operations'],
      summary: 'Postgres and Redis are reachable',
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: Ready } } },
        503: { description: 'A dependency is unreachable', content: { 'application/json': { schema: Ready } } },
      },
    }),
    async (c) => {
      const [postgres, redis] = await Promise.all([probe(() => sql`select 1`.execute(deps.db)), probe(
          () => deps.redis.ping(),
          // "Stream isn't writeable and enableOfflineQueue options is false" says only that the
          // client is offline; the connection's last error says why (ECONNREFUSED host:port).
          () => redisUnavailableReason(deps.redis),
        ),
      ]);
      const ready = postgres.ok && redis.ok;
      return c.json({ status: ready ? ('ready' as const) : ('unavailable' as const), checks: { postgres, redis } }, ready ? 200 : 503);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      tags: ['Operations'],
      summary: 'Prometheus metrics',
      responses: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } } },
    }),
    async (c) => c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }),
  );
}
