import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { notFound } from '../../domain/errors.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { bearer, commonErrors, json, jsonBody } from '../schemas.js';

const Workspace = z
  .object({
    id: z.string(),
    name: z.string(),
    retentionDays: z.number().int().nullable().openapi({ description: 'Mentions older than this are deleted hourly (rollups stay). Null keeps them.' }),
    createdAt: z.string(),
  })
  .openapi('Workspace');

const WorkspacePatch = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    retentionDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(36500).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one of name, retentionDays')
  .openapi('UpdateWorkspace');

const view = (row: { id: string; name: string; retention_days: number | null; created_at: Date }) => ({
  id: row.id,
  name: row.name,
  retentionDays: row.retention_days,
  createdAt: row.created_at.toISOString(),
});

/** The caller's own workspace and its settings. */
export function registerWorkspaceSettingsRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { workspaceRepository } = deps;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspace',
      tags: ['Workspaces'],
      summary: "The API key's workspace and its settings",
      security: bearer,
      responses: { 200: json(Workspace, 'The workspace'), ...commonErrors },
    }),
    async (c) => {
      const row = await workspaceRepository.getWorkspace(c.get('principal').workspaceId);
      if (!row) throw notFound('workspaces', 'workspace');
      return c.json(view(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/workspace',
      tags: ['Workspaces'],
      summary: 'Change the workspace settings',
      security: bearer,
      request: { body: jsonBody(WorkspacePatch) },
      responses: { 200: json(Workspace, 'The changed workspace'), ...commonErrors },
    }),
    async (c) => {
      const row = await workspaceRepository.updateWorkspace(c.get('principal').workspaceId, c.req.valid('json'));
      if (!row) throw notFound('workspaces', 'workspace');
      return c.json(view(row), 200);
    },
  );
}
