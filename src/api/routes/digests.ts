import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { makeDigest, renderDigest, toDigestSummary, type DigestFormat } from '../../domain/digests/digests.usecases.js';
import { notFound } from '../../domain/errors.js';
import { pageByCreation } from '../../domain/pagination/cursor.js';
import type { DigestDocument } from '../../domain/digests/digest.types.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { IsoTime, parseWindow } from '../filters.js';
import { IdParam, PageQuery, bearer, commonErrors, errors, json, jsonBody, pageOf } from '../schemas.js';
import { DigestDocument as DigestDocumentSchema } from '../webhooks.js';

const Summary = z
  .object({ id: z.string(), kind: z.enum(['scheduled', 'manual']), since: z.string(), until: z.string(), createdAt: z.string() })
  .openapi('DigestSummary');
const Digest = Summary.extend({
  document: DigestDocumentSchema,
  deliveries: z.array(z.object({ channel: z.enum(['webhook', 'email']), target: z.string(), attempt: z.number().int(), outcome: z.string(), status: z.number().int().nullable(), error: z.string().nullable(), attemptedAt: z.string() })),
}).openapi('Digest');

const MEDIA: Record<Exclude<DigestFormat, 'json'>, string> = { markdown: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', text: 'text/plain; charset=utf-8' };

const FORMAT_OF_MEDIA: Record<string, DigestFormat> = { 'application/json': 'json', 'text/html': 'html', 'text/markdown': 'markdown', 'text/plain': 'text' };

/**
 * ?format= wins; else the Accept header, by its quality values (`text/html;q=0.5, text/markdown`
 * is markdown; `text/*` the first text form); else JSON, also when nothing asked for is offered.
 */
function formatOf(param: DigestFormat | undefined, c: Context): DigestFormat {
  if (param) return param;
  const media = accepts(c, { header: 'Accept', supports: Object.keys(FORMAT_OF_MEDIA), default: 'application/json' });
  return FORMAT_OF_MEDIA[media] ?? 'json';
}

export function registerDigestRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { digestRepository } = deps;
  const ws = (c: { get(k: 'principal'): { workspaceId: string } }) => c.get('principal').workspaceId;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/digests',
      operationId: 'createDigest',
      tags: ['Digests'],
      summary: 'Make a digest now (default: the last 7 days) and deliver it to the workspace’s webhook and recipients',
      security: bearer,
      request: { body: jsonBody(z.strictObject({ since: IsoTime.optional(), until: IsoTime.optional() }).openapi('CreateDigest')) },
      responses: { 201: json(Digest, 'Made and queued for delivery'), ...commonErrors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const window = body.since || body.until ? parseWindow(body) : {};
      const digest = await makeDigest({ ...deps, workspaceId: ws(c), kind: 'manual', ...window, now: new Date() });
      if (!digest) throw notFound('digests', 'digest');
      for (const channel of digest.channels) await deps.queues.add('digests.deliver', { digestId: digest.id, channel }, { jobId: `digest-${digest.id}-${channel}` });
      const { channels: _channels, made: _made, ...rest } = digest;
      return c.json({ ...rest, document: digest.document as z.infer<typeof DigestDocumentSchema>, deliveries: [] }, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/digests', operationId: 'listDigests', tags: ['Digests'], summary: 'List digests, newest first', security: bearer, request: { query: PageQuery }, responses: { 200: json(pageOf(Summary, 'DigestPage'), 'A page of digests'), ...commonErrors } }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await pageByCreation({ scope: 'digests', limit, cursor, fetch: (page) => digestRepository.list(ws(c), page), toItem: toDigestSummary }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/digests/{id}',
      operationId: 'getDigest',
      tags: ['Digests'],
      summary: 'A digest as JSON, Markdown, HTML (e-mail-safe) or plain text',
      description: 'Choose with `?format=markdown|html|text|json`, or with the Accept header (text/markdown, text/html, text/plain).',
      security: bearer,
      request: {
        params: IdParam,
        query: z.strictObject({ format: z.enum(['json', 'markdown', 'html', 'text']).optional().openapi({ param: { name: 'format', in: 'query' } }) }),
      },
      responses: {
        200: {
          description: 'The digest',
          content: { 'application/json': { schema: Digest }, 'text/markdown': { schema: z.string() }, 'text/html': { schema: z.string() }, 'text/plain': { schema: z.string() } },
        },
        404: errors[404],
        ...commonErrors,
      },
    }),
    async (c) => {
      const row = await digestRepository.get(ws(c), c.req.valid('param').id);
      if (!row) throw notFound('digests', 'digest');
      const format = formatOf(c.req.valid('query').format, c);
      // The representation follows Accept: a cache must not serve one client's to another.
      c.header('Vary', 'Accept');
      const document = row.document as unknown as DigestDocument;
      if (format !== 'json') return c.body(renderDigest(document, format), 200, { 'content-type': MEDIA[format] });
      const deliveries = (await digestRepository.deliveries(row.id)).map((d) => ({
        channel: d.channel as 'webhook' | 'email',
        target: d.target,
        attempt: d.attempt,
        outcome: d.outcome,
        status: d.status,
        error: d.error,
        attemptedAt: d.attempted_at.toISOString(),
      }));
      return c.json({ ...toDigestSummary(row), document: row.document as unknown as z.infer<typeof DigestDocumentSchema>, deliveries }, 200);
    },
  );
}
