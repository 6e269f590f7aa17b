import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { csvHeader, csvRow } from '../../domain/mentions/csv.js';
import { getMention, listMentions } from '../../domain/mentions/mentions.usecases.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { MentionFilterFields, WindowQuery, parseWindow, resolveMentionFilter } from '../filters.js';
import { IdParam, PageQuery, bearer, commonErrors, errors, json, pageOf } from '../schemas.js';
import { registerLiveMentionsRoute } from './mentions.live.js';

export const MentionSchema = z
  .object({
    id: z.string(),
    brandIds: z.array(z.string()),
    source: z.object({ id: z.string().nullable(), type: z.string() }),
    url: z.string().nullable(),
    title: z.string().nullable(),
    text: z.string(),
    author: z.string().nullable(),
    publishedAt: z.string().nullable().openapi({ description: 'Null when the source gave no readable date; the mention is placed at fetchedAt.' }),
    fetchedAt: z.string(),
    lang: z.string().nullable(),
    sentiment: z.object({
      score: z.number().min(-1).max(1),
      label: z.enum(['positive', 'neutral', 'negative', 'unscored']),
      model: z.string().openapi({ example: 'earshot-sentiment@1.0.0' }),
    }),
    hashtags: z.array(z.string()),
    keywords: z.array(z.string()).openapi({ description: 'The query terms that matched.' }),
    engagement: z.record(z.string(), z.number()).nullable().openapi({ description: 'points, comments, favourites, reposts, replies — as the platform gives them.' }),
    authorFollowers: z.number().int().nullable(),
    reach: z.number().int().nullable().openapi({ description: 'followers + 20 × interactions: an order-of-magnitude audience estimate.' }),
    dateQuality: z.enum(['exact', 'unknown', 'clamped']).openapi({ description: 'unknown: no readable date (publishedAt null); clamped: an absurd date pulled into range.' }),
  })
  .openapi('Mention');

const ListQuery = z.strictObject({ ...MentionFilterFields, ...WindowQuery, ...PageQuery.shape });
const ExportQuery = z.strictObject({
  ...MentionFilterFields,
  ...WindowQuery,
  bom: z
    .enum(['true', 'false'])
    .default('true')
    .openapi({ param: { name: 'bom', in: 'query' }, description: 'Start with a UTF-8 byte order mark, so spreadsheets read non-Latin scripts right.' }),
});

export function registerMentionRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { mentionRepository } = deps;

  // Static paths first, so /live and /export.csv are never taken for an id.
  registerLiveMentionsRoute(app, deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions/export.csv',
      tags: ['Mentions'],
      summary: 'Export mentions as CSV (streamed, RFC 4180)',
      security: bearer,
      request: { query: ExportQuery },
      responses: { 200: { description: 'CSV, newest first', content: { 'text/csv': { schema: z.string() } } }, 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const workspaceId = c.get('principal').workspaceId;
      const { filter, q } = await resolveMentionFilter(deps, workspaceId, query, parseWindow(query));
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="earshot-mentions-${new Date().toISOString().slice(0, 10)}.csv"`);
      return stream(c, async (out) => {
        await out.write(`${query.bom === 'true' ? '\uFEFF' : ''}${csvHeader()}`);
        let cursor: string | undefined;
        do {
          const page = await listMentions({ workspaceId, filter, q, limit: 1000, cursor, mentionRepository });
          if (page.items.length) await out.write(page.items.map(csvRow).join(''));
          cursor = page.nextCursor ?? undefined;
        } while (cursor && !out.aborted);
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions',
      tags: ['Mentions'],
      summary: 'Mentions, newest first: the keyword and hashtag streams',
      security: bearer,
      request: { query: ListQuery },
      responses: { 200: json(pageOf(MentionSchema, 'MentionPage'), 'A page of mentions'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const workspaceId = c.get('principal').workspaceId;
      const { filter, q } = await resolveMentionFilter(deps, workspaceId, query, parseWindow(query));
      return c.json(await listMentions({ workspaceId, filter, q, limit: query.limit, cursor: query.cursor, mentionRepository }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions/{id}',
      tags: ['Mentions'],
      summary: 'Get a mention',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(MentionSchema, 'The mention'), 404: errors[404], ...commonErrors },
    }),
    async (c) => c.json(await getMention({ workspaceId: c.get('principal').workspaceId, id: c.req.valid('param').id, mentionRepository }), 200),
  );
}
