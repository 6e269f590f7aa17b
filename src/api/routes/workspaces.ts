import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { syncDigestSchedule } from '../../workers/digests.worker.js';
import { Name, createApiKey, createWorkspace, listApiKeys, revokeApiKey } from '../../domain/workspaces/workspaces.usecases.js';
import { IsoTime, isoTimeToDate } from '../filters.js';
import { redisWithin } from '../../infra/redis.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { IdParam, PageQuery, bearer, commonErrors, errors, json, jsonBody, pageOf } from '../schemas.js';

/**
 * How long a revocation waits for Redis to take its announcement: the key is revoked already, and
 * a stream the announcement misses finds it in Postgres within a second of its next write.
 */
const ANNOUNCE_WAIT_MS = 1_000;

const CreatedWorkspace = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    apiKey: z.string().openapi({ description: 'Shown once. Store it now; only its hash is kept.', example: 'esk_…' }),
    apiKeyId: z.string(),
  })
  .openapi('CreatedWorkspace');

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart.' }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().openapi({ description: 'Updated at most once a minute.' }),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

// `apiKey`, as POST /v1/workspaces and the command line name the new key; `key` is the name this
// answer had first, kept for the clients that read it.
const CreatedApiKey = ApiKey.extend({
  apiKey: z.string().openapi({ description: 'Shown once. Store it now; only its hash is kept.', example: 'esk_…' }),
  key: z.string().openapi({ deprecated: true, description: 'Deprecated: the same key as `apiKey`, which POST /v1/workspaces also uses; read `apiKey`.', example: 'esk_…' }),
}).openapi('CreatedApiKey');

export function registerWorkspaceRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { db, workspaceRepository, cursorKeys } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/workspaces',
      operationId: 'createWorkspace',
      tags: ['Workspaces'],
      summary: 'Create a workspace and its first API key (admin)',
      security: [{ admin: [] }],
      request: { body: jsonBody(z.strictObject({ name: Name }).openapi('CreateWorkspace')) },
      responses: {
        201: json(CreatedWorkspace, 'Created; the API key is shown once'),
        400: errors[400],
        401: errors[401],
        // Failed admin tokens count against the address as failed API keys do (auth.too_many_failures).
        429: errors[429],
        503: errors[503],
      },
    }),
    async (c) => {
      const created = await createWorkspace({ name: c.req.valid('json').name, db, workspaceRepository });
      // Its digest schedule now, not at the next reconcile (up to 10 minutes away), which catches up if Redis is away.
      const row = await workspaceRepository.getWorkspace(created.id);
      if (row) await syncDigestSchedule(deps.queues, row).catch((err: unknown) => c.get('log').warn({ err }, 'digest schedule not synced yet'));
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys',
      operationId: 'listApiKeys',
      tags: ['API keys'],
      summary: "List the workspace's API keys",
      security: bearer,
      request: { query: PageQuery },
      responses: { 200: json(pageOf(ApiKey, 'ApiKeyPage'), 'A page of keys, newest first'), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await listApiKeys({ workspaceId: c.get('principal').workspaceId, limit, cursor, workspaceRepository, cursorKeys }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys',
      operationId: 'createApiKey',
      tags: ['API keys'],
      summary: 'Create an API key',
      security: bearer,
      request: {
        body: jsonBody(
          z
            .strictObject({
              name: Name,
              expiresAt: IsoTime.optional().openapi({
                description:
                  'When the key stops working (401 from then on); in the future. Default: never. ' +
                  'A key that expires may create only keys that expire no later than itself: from such a key it is required, at most its own expiry (400 otherwise).',
                example: '2099-01-01T00:00:00Z',
              }),
            })
            .openapi('CreateApiKey'),
        ),
      },
      responses: { 201: json(CreatedApiKey, 'Created; the key is shown once'), ...commonErrors },
    }),
    async (c) => {
      const { name, expiresAt } = c.req.valid('json');
      const { workspaceId, keyExpiresAt } = c.get('principal');
      const key = await createApiKey({
        workspaceId,
        name,
        expiresAt: expiresAt === undefined ? undefined : isoTimeToDate(expiresAt),
        callerExpiresAt: keyExpiresAt,
        db,
        workspaceRepository,
      });
      return c.json({ ...key, apiKey: key.key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      operationId: 'deleteApiKey',
      tags: ['API keys'],
      summary: 'Revoke an API key (it answers 401 from now on)',
      description:
        "The workspace's last usable key (not revoked, not expired) cannot be revoked: 409 `api_keys.last_key`. Create its successor first. " +
        'A key that expires may revoke only keys that expire no later than itself (itself included): 409 `api_keys.outlives_caller` otherwise. ' +
        'Live streams open with the key (GET /v1/mentions/live), on every server, end at once with `event: error` `auth.key_revoked`, sending nothing more. ' +
        'An operator can also issue a key for a workspace from the command line: `npm run cli -- api-key create <workspace id> [name]`.',
      security: bearer,
      request: { params: IdParam },
      responses: { 204: { description: 'Revoked' }, 404: errors[404], 409: errors[409], ...commonErrors },
    }),
    async (c) => {
      const { workspaceId, keyExpiresAt } = c.get('principal');
      const announceRevoked = (keyId: string) =>
        redisWithin(deps.publisher.announceRevokedKeys([keyId]), ANNOUNCE_WAIT_MS).catch((err: unknown) =>
          c.get('log').warn({ err, keyId }, 'key revocation not announced; its live streams end at their next check of the key (within a second of a write, or a heartbeat)'),
        );
      await revokeApiKey({ workspaceId, id: c.req.valid('param').id, callerExpiresAt: keyExpiresAt, workspaceRepository, announceRevoked });
      return c.body(null, 204);
    },
  );
}
