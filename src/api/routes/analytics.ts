import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { namedSentimentTrend, shareOfVoice, trendingHashtags } from '../../domain/analytics/analytics.usecases.js';
import { topTerms, trendingKeywords } from '../../domain/analytics/terms.usecases.js';
import { SOURCE_TYPES } from '../../domain/items/item.types.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { BrandIdParam, SENTIMENT_LABELS, WindowQuery, parseWindow } from '../filters.js';
import { LangCode, NET_SENTIMENT, bearer, commonErrors, errors, json, limitParam, once, oneOf } from '../schemas.js';

const q = (name: string, description: string) => ({ param: { name, in: 'query' as const }, description });
const BrandParam = once(BrandIdParam).optional().openapi(q('brand', 'A brand id (GET /v1/brands lists them; a name is a 400); without it, every brand of the workspace.'));

const TrendQuery = z.strictObject({
  brand: BrandParam,
  interval: oneOf(['hour', 'day', 'week']).default('day').openapi(q('interval', 'Bucket size, in any letter case. Days and weeks (Monday) are cut in `tz`.')),
  tz: z.string().max(64).default('UTC').openapi(q('tz', 'IANA time zone for day and week boundaries, e.g. Europe/Prague or Asia/Kolkata, in any letter case; answered in its IANA spelling (asia/kolkata is Asia/Kolkata, not the older Asia/Calcutta). Hours are UTC hours.')),
  source: oneOf(SOURCE_TYPES).optional().openapi(q('source', 'Only mentions from this source type (any letter case).')),
  lang: LangCode.optional().openapi(q('lang', 'Only mentions in this language.')),
  ...WindowQuery,
});

const BrandName = z.string().openapi({ description: "The brand's name as it is now: a renamed brand answers with its new name, over the whole window." });

const Bucket = z.object({
  start: z.string(),
  mentions: z.number().int(),
  positive: z.number().int(),
  neutral: z.number().int(),
  negative: z.number().int(),
  unscored: z.number().int(),
  avgScore: z.number().nullable(),
  gap: z.boolean().openapi({ description: 'A source feeding this brand was failing during the bucket: a dip here may be a collection gap.' }),
});
const Trend = z
  .object({
    interval: z.enum(['hour', 'day', 'week']),
    tz: z.string(),
    since: z.string(),
    until: z.string(),
    series: z.array(z.object({ brandId: z.string(), name: BrandName, buckets: z.array(Bucket) })),
  })
  .openapi('SentimentTrend');

const ShareOfVoice = z
  .object({
    since: z.string(),
    until: z.string(),
    total: z.number().int(),
    brands: z.array(
      z.object({
        brandId: z.string(),
        name: BrandName,
        role: z.enum(['own', 'competitor']),
        mentions: z.number().int(),
        share: z.number().min(0).max(1),
        netSentiment: z.number().nullable().openapi({ description: NET_SENTIMENT }),
      }),
    ),
  })
  .openapi('ShareOfVoice');

const TrendingQuery = z.strictObject({
  brand: BrandParam,
  limit: limitParam(50).openapi(q('limit', 'At most 200.')),
  ...WindowQuery,
});
export const Trending = z
  .object({
    since: z.string(),
    until: z.string(),
    items: z.array(
      z.object({
        term: z.string().openapi({
          description:
            'The spelling most written in the window. A keyword counts its inflections and spellings as one term; a hashtag, its spellings that `hashtag=` written without Latin diacritics finds (see the operation).',
        }),
        mentions: z.number().int(),
        previous: z.number().int(),
        growth: z.number().openapi({ description: '(mentions − previous) / max(previous, 1).' }),
        score: z.number().openapi({ description: 'Significance of the rise: (mentions − previous) / √(previous + 1). Items are ordered by it.' }),
      }),
    ),
  })
  .openapi('Trending');

const TermsQuery = z.strictObject({
  brand: BrandParam,
  sentiment: oneOf(SENTIMENT_LABELS).optional().openapi(q('sentiment', 'Only mentions with this label (any letter case): the word cloud of one sentiment. With `brand=`, the label of that brand\'s reading.')),
  limit: limitParam(50).openapi(q('limit', 'At most 200.')),
  ...WindowQuery,
});
const Terms = z
  .object({
    since: z.string(),
    until: z.string(),
    mentions: z.number().int().openapi({ description: 'Mentions read.' }),
    texts: z.number().int().openapi({ description: 'Distinct texts among them: what the items count (copies of one text count once).' }),
    sampled: z.boolean().openapi({ description: 'True when the window held more than 20,000 mentions and the newest were read.' }),
    items: z.array(
      z.object({
        term: z.string(),
        mentions: z.number().int().openapi({ description: 'Distinct texts holding the term; `positive + neutral + negative + unscored`.' }),
        positive: z.number().int(),
        neutral: z.number().int(),
        negative: z.number().int(),
        unscored: z.number().int(),
      }),
    ),
  })
  .openapi('Terms');

export function registerAnalyticsRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { brandRepository, analyticsRepository } = deps;
  const scope = (c: { get(k: 'principal'): { workspaceId: string } }) => ({ workspaceId: c.get('principal').workspaceId, brandRepository, analyticsRepository });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trends/sentiment',
      operationId: 'getSentimentTrend',
      tags: ['Analytics'],
      summary: 'Mentions and sentiment per bucket, contiguous and zero-filled',
      description:
        'Read from hourly rollups: the window is applied at whole hours (`since` rounds down, `until` up; the answer gives the window used). ' +
        'The first and last buckets can be partial: a bucket that starts before `since` or ends after `until` holds only what falls inside the window. ' +
        'Days and weeks are local to `tz`, 23 or 25 hours long across a DST change; in zones whose offset is not whole hours (Asia/Kolkata, Asia/Kathmandu, Asia/Tehran…) ' +
        'the mentions of the hour around local midnight are placed by their own time, except mentions already deleted by retention, which stay in the day that hour starts in. ' +
        'A mention of two brands counts in both series. See docs/analytics.md.',
      security: bearer,
      request: { query: TrendQuery },
      responses: { 200: json(Trend, 'One series per brand'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const trend = await namedSentimentTrend({
        workspaceId: c.get('principal').workspaceId,
        brandId: query.brand,
        interval: query.interval,
        tz: query.tz,
        sourceType: query.source,
        lang: query.lang,
        now: new Date(),
        brandRepository,
        analyticsRepository,
        ...parseWindow(query),
      });
      return c.json(trend, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/share-of-voice',
      operationId: 'getShareOfVoice',
      tags: ['Analytics'],
      summary: "Each brand's share of all brand mentions in the window",
      security: bearer,
      request: { query: z.strictObject(WindowQuery) },
      responses: { 200: json(ShareOfVoice, 'Shares sum to 1 when there are mentions'), ...commonErrors },
    }),
    async (c) => c.json(await shareOfVoice({ ...scope(c), ...parseWindow(c.req.valid('query')) }), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trending/hashtags',
      operationId: 'listTrendingHashtags',
      tags: ['Analytics'],
      summary: 'Hashtags rising most against the previous equal window',
      description:
        'Counted per whole UTC day: the window is widened to whole days, and compared with the same number of days before it. ' +
        'A window reaching past now is compared up to now (the answer gives the window used). ' +
        'A tag trends with at least 3 mentions and a rise of at least 2·√(previous + 1), as keywords do: 6 after 1 trends, 8 after 7 does not. ' +
        'The spellings of one tag are one item, as `hashtag=` finds them: ZWNJ or not, Arabic or Persian ي/ی and ك/ک, the script of digits, and Latin diacritics or not ' +
        '(#káva and #kava, #přehled and #prehled); `term` is the spelling most written in the window, and `hashtag=` with it written without diacritics lists every mention counted. ' +
        'A mention holding two spellings of one tag counts once. ' +
        'Without `brand=`, each mention counts once, however many brands it matched.',
      security: bearer,
      request: { query: TrendingQuery },
      responses: { 200: json(Trending, 'Rising hashtags, most significant first'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const result = await trendingHashtags({
        workspaceId: c.get('principal').workspaceId,
        brandId: query.brand,
        limit: query.limit,
        brandRepository,
        analyticsRepository,
        ...parseWindow(query),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trending/keywords',
      operationId: 'listTrendingKeywords',
      tags: ['Analytics'],
      summary: 'Words and phrases (up to three words) rising most against the previous equal window',
      description:
        'Multilingual stopwords are dropped and inflections merged where a stemmer exists; brand names and their query terms are left out, ' +
        'and so are sentiment verdicts ("great", "hrozné"), as in the SWOT; phrases holding one ("great value") stay. ' +
        'A term trends with at least 3 mentions and a rise of at least 2·√(previous + 1) over the previous window. ' +
        'A window reaching past now is compared up to now, with the equal stretch before it. ' +
        'Each window reads at most its newest 20,000 mentions (`sampled` says so). ' +
        'Copies of one text count once per window (`mentions` and `previous` count distinct texts): mentions whose title and text are the same ' +
        'once URLs and @handles are removed, case folded and spaces collapsed, as a text posted by a bot three times, cross-posted or syndicated is. ' +
        'Mention counts elsewhere (share of voice, trends, the mention list) count every copy.',
      security: bearer,
      request: { query: TrendingQuery },
      responses: { 200: json(Trending.extend({ sampled: z.boolean() }).openapi('TrendingKeywords'), 'Rising keywords, most significant first'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await trendingKeywords({ ...scope(c), brandId: query.brand, limit: query.limit, ...parseWindow(query) }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/terms',
      operationId: 'listTerms',
      tags: ['Analytics'],
      summary: 'Top terms with their sentiment split: the data behind word clouds and sentiment meters',
      description:
        'Each term counts the mentions it occurs in, split by label. With `brand=`, `sentiment=` and every split use that brand\'s reading of a post ' +
        '(`brandSentiments` on the mention), as `GET /v1/mentions?brand=&sentiment=` does, and a post naming other brands gives only the terms of its clauses about this one; ' +
        'without `brand=`, the post\'s own `sentiment`. Copies of one text count once (as for trending keywords): `mentions` in each item counts distinct texts. ' +
        'At most the newest 20,000 mentions of the window are read (`sampled`). See docs/analytics.md.',
      security: bearer,
      request: { query: TermsQuery },
      responses: { 200: json(Terms, 'Terms by number of mentions'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await topTerms({ ...scope(c), brandId: query.brand, sentiment: query.sentiment, limit: query.limit, ...parseWindow(query) }), 200);
    },
  );
}
