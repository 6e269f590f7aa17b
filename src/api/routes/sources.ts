import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { SOURCE_TYPES } from '../../domain/items/item.types.js';
import { createSource, deleteSource, fetchNowRefusal, getSource, listSources, updateSource } from '../../domain/sources/sources.usecases.js';
import { notFound } from '../../domain/errors.js';
import { validationError } from '../../domain/validation.js';
import { fetchJobId } from '../../workers/catalogue.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { ErrorSchema, IdParam, PageQuery, bearer, commonErrors, errors, json, jsonBody, pageOf } from '../schemas.js';
import { patchableFields, sourceBodySchemas, sourceResponseSchema } from '../source-schemas.js';

// The route lets any JSON object through to the domain, which validates the body whole with its
// own messages (sources.config.ts parseFields: the common fields, the type's fields with the
// connector's schema); a check here would answer first, in zod's words. /openapi.json describes
// the bodies per type instead (source-schemas.ts): see registerSourceRoutes.
const SourceInput = z.object({}, { error: 'must be a JSON object' }).catchall(z.unknown());

// An empty patch is answered by the handler, which knows the source's type and so its fields.
const SourcePatch = SourceInput;

const UPDATE_SOURCE =
  'Any of the fields given at creation except type; the type fields given are merged over the stored ones and `null` removes an optional one ' +
  '(a merge patch). A changed URL or query (or base URL) drops the old target\'s connector state and health (`consecutiveFailures`, ' +
  '`lastStatus`, `lastError`, `lastFetchedAt`, `lastSucceededAt`, `lastPoll` and any backoff) and is polled soon, its first poll counted as backlog (history, not news) ' +
  'like a new source\'s; the same values change nothing, and the same target spelled another way (a host in capitals, a fragment) is stored as written ' +
  'and keeps its state, health and schedule. A source Earshot ' +
  'disabled (`disabledReason` set, e.g. HTTP 410 Gone or refused credentials) is enabled again by a new URL, query or credentials ' +
  '(new credentials also clear the health record), unless the same request says ' +
  '`enabled: false`; a source its owner disabled stays disabled.';

/** The fields every source has; sourceResponseSchema adds each type's own beside them. */
const SourceCommon = z
  .object({
    id: z.string(),
    type: z.enum(SOURCE_TYPES),
    intervalSeconds: z.number().int(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({ description: 'Why Earshot stopped polling it (e.g. HTTP 410).' }),
    hasCredentials: z.boolean(),
    lastFetchedAt: z.string().nullable().openapi({ description: 'When the last poll was made, whether it succeeded or failed.' }),
    lastSucceededAt: z.string().nullable().openapi({ description: 'When the last poll that succeeded was made; null before the first.' }),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .openapi({
        description:
          "The HTTP status of the last poll's last answer, also when its body could not be read (`lastError` says why); null when no answer came (a network failure).",
      }),
    consecutiveFailures: z.number().int(),
    nextFetchAt: z.string().nullable().openapi({ description: 'When the next scheduled poll is due; null while the source is disabled.' }),
    lastError: z.string().nullable(),
    lastPoll: z
      .object({
        items: z.number().int().openapi({ description: 'Items in the answer (a 304, or an unchanged feed, reads none).' }),
        newItems: z.number().int().openapi({ description: 'Of those, the ones new to the workspace: stored now.' }),
        matched: z.number().int().openapi({ description: "Of the new ones, those a brand's query matched: mentions now." }),
      })
      .nullable()
      .openapi({
        description:
          'What the last successful poll read; null before the first (and after the URL or query changed). New items that match no brand say the brands\' queries miss this source, not that it is quiet; they are kept, and a brand created or changed later finds them.',
      }),
    createdAt: z.string(),
    updatedAt: z.string(),
  });

const DuplicateError = z
  .object({
    error: ErrorSchema.shape.error.extend({
      code: z.string().openapi({ example: 'sources.duplicate' }),
      message: z.string().openapi({
        example: 'source 0f8b2c1e-5d3a-4c7b-9e21-6a4f3d2b1c90 already polls this feed in this workspace; change or delete that source rather than polling it twice',
      }),
      existingId: z.string().optional().openapi({ description: 'For sources.duplicate: the source of this workspace that already polls the target.', example: '0f8b2c1e-5d3a-4c7b-9e21-6a4f3d2b1c90' }),
    }),
  })
  .openapi('SourceConflictError');

// Said once for POST and PATCH; sources.identity.ts is what it describes.
const DUPLICATE =
  '`sources.duplicate`: another source of this workspace already polls the same target; the message and `error.existingId` name it. ' +
  'The same target: the same type and, for `rss`, the same URL as requested (scheme and host in any case, a default port or not, ' +
  'the fragment ignored; path and query exact); for the API types the same `baseUrl` (or none) and the same query in any letter case ' +
  '(except the operators AND, OR, NOT, which are operators only in capitals) and spacing (a run of whitespace between words is one space), ' +
  'subreddit in any case, Mastodon instance and set of ' +
  'hashtags in any case or order, Google News lang and country, YouTube channel id. Credentials and `intervalSeconds` do not count; ' +
  "other workspaces' sources never conflict. Surrounding whitespace is never part of a field.";

const duplicateErrors = (use: string) => ({
  description: `${DUPLICATE} ${use}`,
  content: { 'application/json': { schema: DuplicateError } },
});

/**
 * The route as served, hidden from /openapi.json, and beside it the same route documented with
 * `body` as its JSON body: the route's own body schema only lets a body through to the domain,
 * whose validation (and its messages) `body` describes without running a second time.
 */
function documentedAs<R extends Parameters<typeof createRoute>[0] & { request: { body: ReturnType<typeof jsonBody> } }>(
  app: OpenAPIHono<ApiEnv>,
  body: z.ZodType,
  route: R,
) {
  app.openAPIRegistry.registerPath({ ...route, request: { ...route.request, body: jsonBody(body) } });
  return createRoute({ ...route, hide: true });
}

export function registerSourceRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { sourceRepository, cursorKeys } = deps;
  const sourceDeps = {
    sourceRepository,
    connectors: deps.connectors,
    checkUrl: deps.checkUrl,
    seal: deps.secretBox ? (c: Record<string, string>) => deps.secretBox!.seal(c) : null,
    plainHttpCredentials: deps.config.ALLOW_PRIVATE_NETWORKS,
  };
  const workspaceId = (c: { get(k: 'principal'): { workspaceId: string } }) => c.get('principal').workspaceId;
  const urlErrors = {
    ...errors[400],
    description:
      'Invalid fields, or `sources.url_not_allowed` for a URL Earshot must not fetch (not http(s), credentials in it, a private address, ' +
      'a host name that does not exist); `error.fields` names the field holding it (`url`, `baseUrl`, `oauthBaseUrl`, `instance`). ' +
      'A host name that cannot be looked up right now (temporary DNS failure) is accepted and checked again at every fetch; where the ' +
      'operator allows private networks, host names are not looked up at save time at all. A value that is not a URL is ' +
      '`validation.failed` naming the field ("is not a valid URL"); every invalid field is named with a sentence. ' +
      'A source with credentials is also refused, as `validation.failed` naming the field, a URL they must not be sent to: an http:// one ' +
      "(unless the operator allows private networks), or a Bluesky `baseUrl` on Bluesky's AppView (public.api.bsky.app, api.bsky.app), which takes no logins.",
  };

  const documented = sourceBodySchemas(deps.connectors, UPDATE_SOURCE);
  const Source = sourceResponseSchema(deps.connectors, SourceCommon);

  /**
   * An empty patch would change nothing: a 400 saying so, as brands, alert rules and the
   * workspace answer, naming the fields this source's type takes (an RSS source takes no
   * credentials). A source of another workspace, or none, is the 404 any patch of it gets.
   */
  async function emptyPatch(workspace: string, id: string) {
    const source = await sourceRepository.get(workspace, id);
    if (!source) return notFound('sources', 'source');
    const connector = deps.connectors[source.type as keyof typeof deps.connectors];
    const fields = connector ? patchableFields(connector) : ['intervalSeconds', 'enabled'];
    return validationError([{ field: 'body', message: `give at least one field to change: ${fields.slice(0, -1).join(', ')} or ${fields.at(-1)}` }]);
  }

  app.openapi(
    documentedAs(app, documented.create, {
      method: 'post',
      path: '/v1/sources',
      operationId: 'createSource',
      tags: ['Sources'],
      summary: 'Add a source to poll',
      security: bearer,
      request: { body: jsonBody(SourceInput) },
      responses: {
        201: json(Source, 'Created; the first poll is due at once'),
        ...commonErrors,
        400: urlErrors,
        409: duplicateErrors('Change or delete that source instead of adding a second.'),
      },
    }),
    async (c) => c.json(await createSource({ ...sourceDeps, workspaceId: workspaceId(c), body: c.req.valid('json') }), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sources',
      operationId: 'listSources',
      tags: ['Sources'],
      summary: 'List sources with their health',
      security: bearer,
      request: { query: PageQuery },
      responses: { 200: json(pageOf(Source, 'SourcePage'), 'A page of sources, newest first'), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await listSources({ workspaceId: workspaceId(c), limit, cursor, sourceRepository, cursorKeys }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sources/{id}',
      operationId: 'getSource',
      tags: ['Sources'],
      summary: 'Get a source',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(Source, 'The source'), 404: errors[404], ...commonErrors },
    }),
    async (c) => c.json(await getSource({ workspaceId: workspaceId(c), id: c.req.valid('param').id, sourceRepository }), 200),
  );

  app.openapi(
    documentedAs(app, documented.update, {
      method: 'patch',
      path: '/v1/sources/{id}',
      operationId: 'updateSource',
      tags: ['Sources'],
      summary: 'Change a source (re-enabling or re-pointing it polls it soon)',
      security: bearer,
      request: { params: IdParam, body: jsonBody(SourcePatch) },
      responses: {
        200: json(Source, 'The changed source'),
        404: errors[404],
        ...commonErrors,
        400: urlErrors,
        409: duplicateErrors('Nothing is changed. Sending back the source\'s own settings, or its own URL spelled another way, is never a conflict. Also `sources.conflict`: the source kept changing under concurrent edits (three tries); send the edit again.'),
      },
    }),
    async (c) => {
      const [id, body] = [c.req.valid('param').id, c.req.valid('json')];
      if (Object.keys(body).length === 0) throw await emptyPatch(workspaceId(c), id);
      return c.json(await updateSource({ ...sourceDeps, workspaceId: workspaceId(c), id, body }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/sources/{id}',
      operationId: 'deleteSource',
      tags: ['Sources'],
      summary: 'Delete a source (its mentions stay)',
      security: bearer,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      await deleteSource({ workspaceId: workspaceId(c), id: c.req.valid('param').id, sourceRepository });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sources/{id}/fetch',
      operationId: 'fetchSource',
      tags: ['Sources'],
      summary: 'Poll a source now',
      security: bearer,
      request: { params: IdParam },
      responses: {
        202: json(z.object({ id: z.string(), queued: z.literal(true) }).openapi('FetchQueued'), 'Queued (or already queued)'),
        404: errors[404],
        409: {
          ...errors[409],
          description:
            '`sources.disabled`: a disabled source is not polled; enable it first. ' +
            '`sources.rate_limited`: the upstream asked Earshot to wait (HTTP 429 or 503 with `Retry-After`, or an API\'s 429 with ' +
            '`X-Ratelimit-Reset` or `RateLimit-Reset`) and that wait, capped at one day, is not over: nothing is queued, since a request ' +
            'sooner would only be refused and lengthen the wait. The message says until when and the upstream\'s answer; the `Retry-After` ' +
            'header gives the seconds left. The scheduler polls the source then. Earshot\'s own backoff after other failures never refuses a poll now.',
          headers: z.object({ 'Retry-After': z.string().optional().openapi({ description: 'For sources.rate_limited: seconds until the wait ends.' }) }),
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const source = await sourceRepository.get(workspaceId(c), id);
      if (!source) throw notFound('sources', 'source');
      const refusal = fetchNowRefusal(source, new Date());
      if (refusal) {
        if (refusal.retryAfterSeconds !== undefined) c.header('Retry-After', String(refusal.retryAfterSeconds));
        throw refusal.error;
      }
      // The same job id as the scheduler's, so "fetch now" never doubles a fetch in flight.
      await deps.queues.add('sources.fetch', { sourceId: source.id, requested: true }, { jobId: fetchJobId(source.id) });
      return c.json({ id: source.id, queued: true as const }, 202);
    },
  );
}
