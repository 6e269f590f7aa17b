import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { csvHeader, csvRow } from '../../domain/mentions/csv.js';
import { getMention, listMentions, type Mention } from '../../domain/mentions/mentions.usecases.js';
import type { Page } from '../../domain/pagination/cursor.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { MentionFilterFields, WindowQuery, parseWindow, resolveMentionFilter } from '../filters.js';
import { IdParam, PageQuery, bearer, commonErrors, errors, json, oneOf, pageOf } from '../schemas.js';
import { registerLiveMentionsRoute } from './mentions.live.js';

export const MentionSchema = z
  .object({
    id: z.string(),
    brandIds: z.array(z.string()),
    source: z.object({ id: z.string().nullable(), type: z.string() }),
    url: z.string().nullable().openapi({ description: 'What a reader clicks: the item itself, or for a Hacker News story or a Reddit link post the article it links to.' }),
    permalink: z
      .string()
      .nullable()
      .openapi({
        description:
          'The discussion, where `url` is the article it links to: a Hacker News story\'s `https://news.ycombinator.com/item?id=…`, a Reddit link post\'s ' +
          '`https://www.reddit.com/comments/…`. Null when `url` is the item itself (feed items, comments, Ask HN and Reddit text posts, Mastodon and Bluesky posts).',
        example: 'https://news.ycombinator.com/item?id=41000001',
      }),
    title: z.string().nullable(),
    text: z.string().openapi({
      description:
        'The item\'s words as plain text. Never null: an item without text of its own has an empty string, whatever its source ' +
        '(a feed item of a title only, a Hacker News link story, a Google News item).',
    }),
    author: z.string().nullable(),
    publishedAt: z.string().nullable().openapi({ description: 'Null when the source gave no readable date; the mention is placed at fetchedAt.' }),
    fetchedAt: z.string(),
    lang: z.string().nullable().openapi({ description: 'ISO 639-1, detected (or as the platform declared it); null when detection was unsure.' }),
    langConfidence: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .openapi({ description: 'How sure detection was of `lang`, 0..1: 1 for a language the platform declared (Bluesky, Mastodon); null when `lang` is null.' }),
    sentiment: z.object({
      score: z.number().min(-1).max(1),
      label: z.enum(['positive', 'neutral', 'negative', 'unscored']),
      model: z.string().openapi({ example: 'earshot-sentiment@1.6.6' }),
    }).openapi({ description: "The post's sentiment as a whole." }),
    brandSentiments: z
      .array(z.object({ brandId: z.string(), score: z.number().min(-1).max(1), label: z.enum(['positive', 'neutral', 'negative', 'unscored']) }))
      .openapi({
        description:
          "What the post says of each of its brands, in brandIds' order: the post's own sentiment, except for a post naming several brands that says different things of them " +
          '("the Lumen app is excellent but the Kofi app is terrible": positive for Lumen, negative for Kofi). Counts, trends, share of voice, alerts and `sentiment=` with `brand=` use these.',
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
  bom: oneOf(['true', 'false'])
    .default('true')
    .openapi({ param: { name: 'bom', in: 'query' }, description: 'Start with a UTF-8 byte order mark, so spreadsheets read non-Latin scripts right.' }),
});

export function registerMentionRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { mentionRepository, cursorKeys } = deps;

  // Static paths first, so /live and /export.csv are never taken for an id.
  registerLiveMentionsRoute(app, deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions/export.csv',
      operationId: 'exportMentionsCsv',
      tags: ['Mentions'],
      summary: 'Export mentions as CSV (streamed, RFC 4180)',
      description:
        'UTF-8 with a BOM, CRLF between rows, newest first, with the same filters as the list. A text cell that a spreadsheet would run ' +
        'as a formula (starting with = + - @, also behind invisible marks or spaces) starts with an apostrophe, and so does such a start after a ' +
        "`;` inside a cell (`ok;'=cmd`), where a spreadsheet set to a `;` list separator (Czech, German, French) would cut the cell. " +
        'The list columns `brand_ids`, `brand_names`, `hashtags` and `keywords` hold one entry per line of the cell (keywords may be phrases with spaces; ' +
        'no entry holds a line break). The guard applies to a list cell as a whole, so a `keywords` cell whose first entry is a @handle ' +
        '(`@acme`) starts with an apostrophe that is not part of the keyword; a list cell whose first entry starts with an apostrophe of its own ' +
        "(the term `'s-hertogenbosch`) gets one more. So, to split a list cell back into exactly its entries: when it starts with an apostrophe, " +
        'remove that apostrophe (one only), then split on line feeds. ' +
        'Columns: `id, published_at, fetched_at, source_type, source_id, brand_ids, url, title, text, author, lang, sentiment_label, sentiment_score, ' +
        'sentiment_model, hashtags, keywords, lang_confidence, brand_sentiments, brand_sentiment_label, brand_sentiment_score, permalink, brand_names` (columns added later come last, ' +
        'so a reader by position keeps working). `sentiment_*` is the post as a whole. ' +
        '`brand_sentiments` holds each brand\'s reading of the post (`brandSentiments`), one `<label> <score>` line per brand in the order of `brand_ids` ' +
        '(`positive 0.57` and `negative -0.57` for a post that prefers one brand to another). With `brand=`, `brand_sentiment_label` and `brand_sentiment_score` ' +
        'hold that brand\'s reading, the one `sentiment=` selects by, so `brand=X&sentiment=negative` lists rows whose `brand_sentiment_label` is negative whatever ' +
        'the post\'s own label; without `brand=` they are empty. `lang_confidence` is 0..1, empty when `lang` is. `permalink` is the mention\'s `permalink`: ' +
        'the Hacker News or Reddit discussion when `url` is the article it links to, empty otherwise. `brand_names` holds the brands\' names, one line per ' +
        '`brand_ids` line in the same order, as they are when the export starts.',
      security: bearer,
      request: { query: ExportQuery },
      responses: { 200: { description: 'CSV, newest first', content: { 'text/csv': { schema: z.string() } } }, 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const workspaceId = c.get('principal').workspaceId;
      const { filter, q } = await resolveMentionFilter(deps, workspaceId, query, parseWindow(query));
      // The names as the export begins, for `brand_names`.
      const brandNames = new Map((await deps.brandRepository.all(workspaceId)).map((b) => [b.id, b.name]));
      const read = (cursor?: string) => listMentions({ workspaceId, filter, q, limit: 1000, cursor, mentionRepository, cursorKeys });
      // The first page is read before anything is sent, so a failure now still gets the error
      // envelope and its status rather than a 200 that looks like an empty export. `next` is
      // the page in hand, or the cursor of the one to read.
      let next: Page<Mention> | string = await read();
      const log = c.get('log');
      const utf8 = new TextEncoder();
      // The request log's line is written when the headers go out; how the export ended, and
      // how much it sent, is logged here.
      const started = performance.now();
      let rows = 0;
      const ended = (outcome: 'completed' | 'cancelled by the client') =>
        log.info({ rows, durationMs: Math.round(performance.now() - started) }, `mention export ${outcome}`);
      const send = (out: ReadableStreamDefaultController<Uint8Array>, items: Mention[]) => {
        rows += items.length;
        out.enqueue(utf8.encode(items.map((m) => csvRow(m, { brandId: filter.brandId, brandNames })).join('')));
      };
      const body = new ReadableStream<Uint8Array>({
        start(out) {
          out.enqueue(utf8.encode(`${query.bom === 'true' ? '\uFEFF' : ''}${csvHeader()}`));
        },
        // One page with rows each time the client has taken the last; a client that goes away
        // cancels the stream. A rare `q=` can give empty pages with a cursor (each reads a bounded
        // stretch of the window): they are read on here, since a pull that enqueues nothing is
        // never called again, and the export would hang after its header.
        async pull(out) {
          for (;;) {
            let page: Page<Mention>;
            try {
              page = typeof next === 'string' ? await read(next) : next;
            } catch (err) {
              // Past the status line the only honest signal left is a broken transfer: the stream
              // errors and the server drops the connection before the terminating chunk. The cause
              // goes to our log; the server prints the stream's error to stderr, so it says nothing more.
              log.error({ err, rows }, 'mention export failed after it started; connection aborted');
              out.error(new Error('mention export aborted'));
              return;
            }
            if (!page.nextCursor) {
              if (page.items.length) send(out, page.items);
              out.close();
              ended('completed');
              return;
            }
            next = page.nextCursor;
            if (page.items.length) {
              send(out, page.items);
              return;
            }
          }
        },
        cancel() {
          ended('cancelled by the client');
        },
      });
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="earshot-mentions-${new Date().toISOString().slice(0, 10)}.csv"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions',
      operationId: 'listMentions',
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
      return c.json(await listMentions({ workspaceId, filter, q, limit: query.limit, cursor: query.cursor, mentionRepository, cursorKeys }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions/{id}',
      operationId: 'getMention',
      tags: ['Mentions'],
      summary: 'Get a mention',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(MentionSchema, 'The mention'), 404: errors[404], ...commonErrors },
    }),
    async (c) => c.json(await getMention({ workspaceId: c.get('principal').workspaceId, id: c.req.valid('param').id, mentionRepository }), 200),
  );
}
