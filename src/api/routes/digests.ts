import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { makeDigest, MANUAL_MAIL_INTERVAL_MS, MAX_DIGEST_DAYS, renderDigest, toDigestSummary, type DigestFormat } from '../../domain/digests/digests.usecases.js';
import { notFound } from '../../domain/errors.js';
import { MAX_ATTEMPTS } from '../../domain/webhooks/index.js';
import { pageByCreation } from '../../domain/pagination/cursor.js';
import type { DigestDocument } from '../../domain/digests/digest.types.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { IsoTime, isoTimeToDate, windowExample } from '../filters.js';
import { IdParam, PageQuery, bearer, commonErrors, errors, json, jsonBody, oneOf, pageOf } from '../schemas.js';
import { DigestDocument as DigestDocumentSchema } from '../webhooks.js';
import { DIGEST_LANGUAGES, languageOf } from '../../domain/i18n/languages.js';
import { queueDigestDeliveries } from '../../workers/digests.worker.js';

const Summary = z
  .object({ id: z.string(), kind: z.enum(['scheduled', 'manual']), since: z.string(), until: z.string(), createdAt: z.string() })
  .openapi('DigestSummary');
const OUTCOMES = ['delivered', 'retry', 'failed', 'gone', 'refused'] as const;
const Delivery = z
  .object({
    channel: z.enum(['webhook', 'email']),
    target: z.string().openapi({ description: 'The webhook URL, or the one e-mail recipient of this attempt (each recipient gets a message of their own).' }),
    attempt: z.number().int().openapi({ description: `Of this target: 1 for the first, up to ${MAX_ATTEMPTS}.` }),
    outcome: z.enum(OUTCOMES).openapi({
      description:
        '`delivered`; `retry`: failed, tried again later (a webhook error or 5xx, an SMTP 4xx or an unreachable server); `failed`: final (an SMTP 5xx refusal, no SMTP_URL on the worker that took a digest made where it was set, or the last attempt failed); `gone`: the webhook answered 410 and was removed; `refused`: the webhook URL resolves to an address that is not allowed.',
    }),
    status: z.number().int().nullable().openapi({ description: "The webhook's HTTP status, or the SMTP server's reply code; null without an answer." }),
    latencyMs: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Milliseconds from sending to the answer, or to the error. Null when nothing was sent (SMTP not configured) and for attempts made before Earshot recorded it.' }),
    error: z.string().nullable(),
    attemptedAt: z.string(),
  })
  .openapi('DigestDelivery');
const Digest = Summary.extend({
  document: DigestDocumentSchema,
  recipients: z
    .array(z.string())
    .nullable()
    .openapi({ description: "The e-mail recipients the digest was made for: the workspace's digestRecipients when it was made, fixed for its retries. Empty for a preview (`deliver: false`), for a scheduled digest with nothing to report and for a digest made on a server without SMTP_URL (`document.email` says why); null for a digest made before recipients were recorded." }),
  deliveries: z.array(Delivery).openapi({ description: 'Every delivery attempt, oldest first: one history per webhook and per recipient.' }),
}).openapi('Digest');

const CreateDigest = z
  .strictObject({
    since: IsoTime.optional().openapi({ example: windowExample.since, description: `Inclusive, rounded down to the UTC hour. Default: 7 days before \`until\`. At most ${MAX_DIGEST_DAYS} days before \`until\` (or now).` }),
    until: IsoTime.optional().openapi({ example: windowExample.until, description: 'Exclusive, rounded up to the UTC hour; a time not yet passed is the last whole hour before now. Default: the last whole hour.' }),
    deliver: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .openapi({ description: "Default true: the digest is e-mailed to the workspace's digestRecipients and posted to its digest webhook. False makes a preview: stored and served, sent to no one.", example: false }),
  })
  .openapi('CreateDigest');

const MEDIA: Record<Exclude<DigestFormat, 'json'>, string> = { markdown: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', text: 'text/plain; charset=utf-8' };

/**
 * A rendering opened in a browser runs nothing and loads nothing: should an escaping bug ever let
 * markup through, it cannot script the API's origin. The e-mail-safe HTML needs only inline
 * styles; its SVG chart is inline markup, and `data:`/`cid:` are the chart as an image.
 */
const RENDERING_POLICY = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAIL_INTERVAL_MINUTES = MANUAL_MAIL_INTERVAL_MS / 60_000;

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
  const { digestRepository, cursorKeys } = deps;
  const ws = (c: { get(k: 'principal'): { workspaceId: string } }) => c.get('principal').workspaceId;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/digests',
      operationId: 'createDigest',
      tags: ['Digests'],
      summary: 'Make a digest now (default: the last 7 days) and deliver it to the workspace’s webhook and recipients',
      description:
        `The period is whole UTC hours that have passed, at most ${MAX_DIGEST_DAYS} days; longer is a 400 naming \`since\`. ` +
        'Each recipient gets a message of their own, with its own delivery history and retries; the webhook is signed (Standard Webhooks). ' +
        'With `"deliver": false` the digest is made and stored but sent to no one (a preview). The body is optional: none is the last 7 days, delivered. ' +
        `A workspace e-mails at most one digest asked for every ${MAIL_INTERVAL_MINUTES} minutes; a sooner one is a 429 \`digests.mail_throttled\` ` +
        'saying when the next may be sent, with `Retry-After`. Previews, digests for a workspace without recipients and scheduled digests are not limited. ' +
        'A server without SMTP_URL e-mails no one: the digest is made and posted to the webhook, `document.email` is `not_sent` with reason `smtp_not_configured`, and it is not limited either. ' +
        'When the queue (Redis) cannot be reached, the digest is still made and the answer is still 201: its deliveries are owed, stored with it, ' +
        'and go out within about two minutes of the queue being back. Do not ask again: the digest made counts against the limit, and it will be sent.',
      security: bearer,
      request: { body: { ...jsonBody(CreateDigest), required: false } },
      responses: {
        201: json(Digest, 'Made, and queued for delivery unless `deliver` was false'),
        ...commonErrors,
        429: {
          ...errors[429],
          description:
            `\`digests.mail_throttled\`: the workspace e-mailed a digest asked for less than ${MAIL_INTERVAL_MINUTES} minutes ago; the message says when the next may be, ` +
            'and nothing was made. `rate_limit.exceeded`: the API key\'s request budget is spent; `auth.too_many_failures`: too many failed authentications from this address.',
        },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const digest = await makeDigest({
        ...deps,
        workspaceId: ws(c),
        kind: 'manual',
        // digestPeriod clamps `until` to now before it defaults `since` to the week before it.
        since: body.since === undefined ? undefined : isoTimeToDate(body.since),
        until: body.until === undefined ? undefined : isoTimeToDate(body.until),
        deliver: body.deliver !== false,
        now: new Date(),
      });
      if (!digest) throw notFound('digests', 'digest');
      // The digest is stored, and with it what it owes: a queue out of reach now delays its
      // deliveries (digests.redeliver queues them once it is back) but does not undo the request.
      await queueDigestDeliveries(deps.queues, digest.id, digest.deliveries).catch((err: unknown) => {
        c.get('log').warn({ err, digestId: digest.id }, 'could not queue the digest deliveries now; digests.redeliver queues them once Redis is back');
      });
      const { deliveries: _deliveries, made: _made, ...rest } = digest;
      return c.json({ ...rest, document: digest.document as z.infer<typeof DigestDocumentSchema>, deliveries: [] }, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/digests', operationId: 'listDigests', tags: ['Digests'], summary: 'List digests, newest first', security: bearer, request: { query: PageQuery }, responses: { 200: json(pageOf(Summary, 'DigestPage'), 'A page of digests'), ...commonErrors } }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await pageByCreation({ scope: 'digests', workspaceId: ws(c), cursorKeys, limit, cursor, fetch: (page) => digestRepository.list(ws(c), page), toItem: toDigestSummary }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/digests/{id}',
      operationId: 'getDigest',
      tags: ['Digests'],
      summary: 'A digest as JSON, Markdown, HTML (e-mail-safe) or plain text',
      description:
        'Choose with `?format=markdown|html|text|json`, or with the Accept header (text/markdown, text/html, text/plain). ' +
        "The renderings are written in the language the digest was composed in (`document.language`, the workspace's `digestLanguage` then; English for digests made before it was recorded), " +
        'or in the one `?lang=` names; `Content-Language` says which. Persian HTML is `dir="rtl"`. The JSON is data, the same in every language.',
      security: bearer,
      request: {
        params: IdParam,
        query: z.strictObject({
          format: oneOf(['json', 'markdown', 'html', 'text']).optional().openapi({ param: { name: 'format', in: 'query' } }),
          lang: oneOf(DIGEST_LANGUAGES)
            .optional()
            .openapi({
              param: { name: 'lang', in: 'query' },
              description: `Write the Markdown, HTML or text rendering in this language (${DIGEST_LANGUAGES.join(', ')}) instead of the digest's own. No effect on JSON.`,
              example: 'cs',
            }),
        }),
      },
      responses: {
        200: {
          description: 'The digest',
          headers: z.object({
            'Content-Security-Policy': z.string().optional().openapi({ description: `On the Markdown, HTML and text renderings: \`${RENDERING_POLICY}\`. They load and run nothing in a browser.` }),
            'Content-Language': z.string().optional().openapi({ description: 'On the Markdown, HTML and text renderings: the language they are written in.' }),
          }),
          content: { 'application/json': { schema: Digest }, 'text/markdown': { schema: z.string() }, 'text/html': { schema: z.string() }, 'text/plain': { schema: z.string() } },
        },
        404: errors[404],
        ...commonErrors,
      },
    }),
    async (c) => {
      const row = await digestRepository.get(ws(c), c.req.valid('param').id);
      if (!row) throw notFound('digests', 'digest');
      const query = c.req.valid('query');
      const format = formatOf(query.format, c);
      // The representation follows Accept: a cache must not serve one client's to another.
      c.header('Vary', 'Accept');
      const document = row.document as unknown as DigestDocument;
      if (format !== 'json') {
        const lang = query.lang ?? languageOf(document.language);
        return c.body(renderDigest(document, format, lang), 200, { 'content-type': MEDIA[format], 'content-security-policy': RENDERING_POLICY, 'content-language': lang });
      }
      const deliveries = (await digestRepository.deliveries(row.id)).map((d) => ({
        channel: d.channel as 'webhook' | 'email',
        target: d.target,
        attempt: d.attempt,
        outcome: d.outcome as (typeof OUTCOMES)[number],
        status: d.status,
        latencyMs: d.latency_ms,
        error: d.error,
        attemptedAt: d.attempted_at.toISOString(),
      }));
      return c.json({ ...toDigestSummary(row), document: row.document as unknown as z.infer<typeof DigestDocumentSchema>, recipients: row.recipients, deliveries }, 200);
    },
  );
}
