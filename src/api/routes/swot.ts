import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createSwotCache } from '../../domain/swot/swot.cache.js';
import { MAX_SWOT_DAYS, SWOT_SAMPLE, competitorSwot } from '../../domain/swot/swot.usecases.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { BrandIdParam, WindowQuery, parseWindow } from '../filters.js';
import { NET_SENTIMENT, bearer, commonErrors, errors, json, once } from '../schemas.js';

const Evidence = z.object({
  mentions: z.number().int(),
  scored: z.number().int().openapi({ description: 'Of the mentions, those scored: what netSentiment is over.' }),
  netSentiment: z.number().nullable().openapi({ description: NET_SENTIMENT }),
  brandIds: z.array(z.string()),
  sampleMentionIds: z.array(z.string()),
});

const item = <E extends z.ZodTypeAny>(evidence: E) =>
  z.object({
    theme: z.string(),
    summary: z.string().openapi({ description: 'One sentence from a template, with its numbers ("across 12 mentions (10 scored, 3 negative)" when not all were scored).' }),
    evidence,
    score: z.number().openapi({ description: 'The ordering score of docs/swot.md.' }),
    rule: z.string().openapi({ description: 'The documented rule that produced the item.' }),
  });

const Sample = z.object({
  sampled: z.boolean().openapi({ description: 'True when the themes of either window were drawn from fewer mentions than it holds.' }),
  limit: z.number().int().openapi({ description: `At most this many of a window's newest mentions are read for themes (${SWOT_SAMPLE.toLocaleString('en-US')}).` }),
  mentions: z.number().int().openapi({ description: 'Mentions of the period the themes were drawn from, counted per brand as share of voice counts (a mention of two brands counts for each).' }),
  of: z.number().int().openapi({ description: "Mentions in the period, counted the same way: share of voice's total." }),
  previousMentions: z.number().int().openapi({ description: 'The same for the equal window before (theme growth, rising themes)…' }),
  previousOf: z.number().int().openapi({ description: '…and what it holds.' }),
});

const BRANDS_DESCRIPTION =
  'The own brand, then the competitors in `competitorIds` order, with their names: every id of the answer (`brandId`, `competitorIds`, `evidence.brandIds`) is one of them.';
const Brands = z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(['own', 'competitor']) }).openapi('SwotBrand'));

const SAMPLE_DESCRIPTION = "Which mentions the themes came from: each window's newest, at most `limit`; `sampled` says whether that was fewer than it holds. Share of voice and brand net sentiment come from the rollups, which count every mention.";

function swotFields<I extends z.ZodTypeAny>(Item: I) {
  return {
    brandId: z.string(),
    competitorIds: z.array(z.string()),
    since: z.string(),
    until: z.string(),
    status: z.enum(['ok', 'not_enough_data']),
    reason: z.string().optional().openapi({ description: 'Why there is not enough data, when so.' }),
    strengths: z.array(Item),
    weaknesses: z.array(Item),
    opportunities: z.array(Item),
    threats: z.array(Item),
  };
}

export const Swot = z
  .object({ ...swotFields(item(Evidence)), brands: Brands.openapi({ description: BRANDS_DESCRIPTION }), sample: Sample.openapi({ description: SAMPLE_DESCRIPTION }) })
  .openapi('Swot');

/** A digest's SWOT item keeps its sentence as data too, to write it in the digest's language. */
const DigestSwotItem = item(Evidence.partial({ scored: true })).extend({
  summaryFacts: z
    .object({
      sentence: z.string().openapi({
        description:
          'Which sentence: `own_praised`, `own_criticised`, `own_worse`, `competitors_criticised`, `competitors_praised`, `rising`, `share_gain`, `share_gain_criticised` or `momentum`.',
      }),
    })
    .catchall(z.unknown())
    .optional()
    .openapi({
      description:
        "The summary as data: which sentence (`sentence`), and the names, theme and figures in it. The digest's renderings write it in the digest's language; `summary` stays English. " +
        'Absent from digests made before it was kept (their renderings show `summary`).',
    }),
});

/** The SWOT as a digest recorded it: digests made before `brands`, `sample` and `evidence.scored` existed lack them. */
export const DigestSwot = z
  .object({
    ...swotFields(DigestSwotItem),
    brands: Brands.optional().openapi({ description: `${BRANDS_DESCRIPTION} Absent from digests made before it was recorded: the digest's own \`brands\` name them too.` }),
    sample: Sample.optional().openapi({ description: `${SAMPLE_DESCRIPTION} Absent from digests made before it was recorded (as is \`evidence.scored\`).` }),
  })
  .openapi('DigestSwot', { description: 'GET /v1/swot for the digest\'s own brand and period, as it answered when the digest was made.' });

export function registerSwotRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const cache = createSwotCache({ redis: deps.redis, prefix: deps.config.QUEUE_PREFIX, ttlSeconds: deps.config.SWOT_CACHE_SECONDS, log: deps.log });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/swot',
      operationId: 'getSwot',
      tags: ['Analytics'],
      summary: 'Competitor SWOT for one of your own brands, every item with its evidence',
      description:
        'Themes from mention text in the window and the equal window before it, share of voice and net sentiment from the rollups; ' +
        'rules, thresholds and ordering in docs/swot.md. Deterministic. Too little data answers status "not_enough_data" with no items. ' +
        `The window is at most ${MAX_SWOT_DAYS} days; longer is a 400 naming \`since\`. ` +
        `Themes are drawn from at most the newest ${SWOT_SAMPLE.toLocaleString('en-US')} mentions of each window; \`sample\` says how many of how many.`,
      security: bearer,
      request: {
        query: z.strictObject({
          // Given twice, it is refused as such, not as "must be a string".
          brand: once(BrandIdParam).openapi({ param: { name: 'brand', in: 'query' }, description: 'An own brand id (a competitor is 400 swot.not_own_brand).' }),
          ...WindowQuery,
        }),
      },
      responses: { 200: json(Swot, 'The SWOT'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const swot = await competitorSwot({
        workspaceId: c.get('principal').workspaceId,
        brandId: query.brand,
        brandRepository: deps.brandRepository,
        analyticsRepository: deps.analyticsRepository,
        cache,
        ...parseWindow(query),
      });
      return c.json(swot, 200);
    },
  );
}
