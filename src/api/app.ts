import { OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { MentionSubscriber } from '../infra/mention-events.js';
import type { Metrics } from '../infra/metrics.js';
import type { Services } from '../services.js';
import { observeDeployment } from '../infra/deployment-metrics.js';
import { createRateLimiter } from '../infra/rate-limiter.js';
import type { Logger } from '../logger.js';
import { houseSentences } from '../domain/validation.js';
import type { ApiEnv } from './context.js';
import { errorBody, fieldProblems, handleError, validationError } from './errors.js';
import { registerDocs } from './docs.js';
import { refuseUndeclaredInputs } from './declared-inputs.js';
import { allowedMethodsFor } from './method-not-allowed.js';
import { createAuthFailureGuard, requireAdmin, requireWorkspace } from './middleware/auth.js';
import { refuseNulInJson } from './middleware/json-body.js';
import { requireDecodableQuery } from './middleware/query-string.js';
import { observe } from './middleware/observe.js';
import { registerBrandRoutes } from './routes/brands.js';
import { registerOperationRoutes } from './routes/operations.js';
import { registerWorkspaceRoutes } from './routes/workspaces.js';
import { registerSourceRoutes } from './routes/sources.js';
import { registerMentionRoutes } from './routes/mentions.js';
import { registerAnalyticsRoutes } from './routes/analytics.js';
import { registerWorkspaceSettingsRoutes } from './routes/workspace.js';
import { registerAlertRoutes } from './routes/alerts.js';
import { registerSwotRoutes } from './routes/swot.js';
import { registerDigestRoutes } from './routes/digests.js';
import { registerWebhooks } from './webhooks.js';

export const BODY_LIMIT_BYTES = 256 * 1024;

export interface ApiDeps extends Services {
  metrics: Metrics;
  /** Live mention events for Server-Sent Events; one subscriber connection per process. */
  subscriber: MentionSubscriber;
}

export function createApp(deps: ApiDeps) {
  // Zod's own sentences ("Invalid input: expected string, received undefined") in the words the
  // API's messages use ("is required"), for every request schema; a schema's own message wins.
  // The setting is zod's, for the whole process: it only rewords what zod would say by default.
  z.config({ customError: houseSentences });
  const app = new OpenAPIHono<ApiEnv>({
    strict: true,
    defaultHook: (result, c) => {
      if (!result.success) throw validationError(fieldProblems(result.error, result.target === 'json' ? 'body' : result.target));
    },
  });
  // Before any route is registered: every /v1 route refuses query parameters and a body it does not declare.
  refuseUndeclaredInputs(app);

  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', observe({ log: deps.log, metrics: deps.metrics }));
  // API answers carry keys, secrets and a workspace's data: no cache keeps them (a stream or a
  // route that says otherwise keeps its own), and no browser guesses their type.
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    if (c.req.path.startsWith('/v1/') && !c.res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'no-store');
  });
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: () => {
        throw validationError([{ field: 'body', message: `larger than the ${BODY_LIMIT_BYTES / 1024} KiB limit` }]);
      },
    }),
  );
  const guard = createAuthFailureGuard({ redis: deps.redis, prefix: deps.config.QUEUE_PREFIX, trustedProxies: deps.config.TRUSTED_PROXIES });
  const authed = requireWorkspace({
    guard,
    adminToken: deps.config.ADMIN_TOKEN,
    redis: deps.redis,
    workspaceRepository: deps.workspaceRepository,
    rateLimiter: createRateLimiter({ redis: deps.redis, perMinute: deps.config.RATE_LIMIT_PER_MINUTE, prefix: deps.config.QUEUE_PREFIX }),
  });
  // The admin route is judged by its token before anything reads its query or body.
  const admin = requireAdmin(deps.config.ADMIN_TOKEN, guard);
  // The methods each path takes, from the routes as registered (all of them by the first request).
  let routeMethods: ((path: string) => string[]) | undefined;
  const methodsOf = (path: string) => (routeMethods ??= allowedMethodsFor(app.routes))(path);
  // A path no route has is a 404 with or without a key: nothing there is guarded, and a client
  // with a typo hears about the typo rather than about its key. Every route's path is authenticated.
  app.use('/v1/*', async (c, next) => {
    if (methodsOf(c.req.path).length === 0) return next();
    return c.req.path === '/v1/workspaces' ? admin(c, next) : authed(c, next);
  });
  app.use('/v1/*', requireDecodableQuery());
  app.use('/v1/*', refuseNulInJson());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A workspace API key (`esk_…`).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'admin', {
    type: 'http',
    scheme: 'bearer',
    description: 'The ADMIN_TOKEN from the server environment.',
  });

  registerOperationRoutes(app, deps);
  registerWorkspaceRoutes(app, deps);
  registerWorkspaceSettingsRoutes(app, deps);
  registerBrandRoutes(app, deps);
  registerSourceRoutes(app, deps);
  registerMentionRoutes(app, deps);
  registerAnalyticsRoutes(app, deps);
  registerAlertRoutes(app, deps);
  registerSwotRoutes(app, deps);
  registerDigestRoutes(app, deps);
  registerWebhooks(app);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Earshot API',
      version: '1',
      description:
        'Social listening and competitor monitoring. Errors use one envelope: `{"error":{"code","message","requestId"}}`. ' +
        'Lists take `limit` (1–200, default 50) and an opaque keyset `cursor`.',
    },
  });
  registerDocs(app);

  observeDeployment({ registry: deps.metrics.registry, queues: deps.queues.queues, db: deps.db });

  app.notFound((c) => {
    const allowed = methodsOf(c.req.path);
    if (allowed.length === 0) return c.json(errorBody(c, 'route.not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
    c.header('Allow', allowed.join(', '));
    return c.json(errorBody(c, 'route.method_not_allowed', `${c.req.path} does not take ${c.req.method}; it takes ${allowed.join(', ')}`), 405);
  });
  app.onError((err, c) => handleError(err, c));
  return app;
}

export type App = ReturnType<typeof createApp>;
