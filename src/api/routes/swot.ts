import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { DEFAULT_DIGEST_LANGUAGE, DIGEST_LANGUAGES } from '../../domain/i18n/languages.js';
import { createSwotCache } from '../../domain/swot/swot.cache.js';
import { swotIn } from '../../domain/swot/swot.summaries.js';
import { MAX_SWOT_DAYS, SWOT_SAMPLE, competitorSwot } from '../../domain/swot/swot.usecases.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { BrandIdParam, WindowQuery, parseWindow } from '../filters.js';
import { NET_SENTIMENT, bearer, commonErrors, errors, json, once, oneOf } from '../schemas.js';

const Evidence = z.object({
  mentions: z.number().int(),
  scored: z.number().int().openapi({ description: 'Of the mentions, those scored: what netSentiment is over.' }),
  netSentiment: z.number().nullable().openapi({ description: NET_SENTIMENT }),
  brandIds: z.array(z.string()),
  sampleMentionIds: z.array(z.string()),
});

// A SWOT sentence as data (src/domain/i18n/swot.facts.ts), documented field by field so that a
// client can write the sentence in its own words.
const Tally = { mentions: z.number().int(), scored: z.number().int().openapi({ description: 'Of the mentions, those scored: what `net` is over.' }) };
const JudgedSide = z.object({ ...Tally, net: z.number().openapi({ description: 'Net sentiment, −1..1.' }) });
const ComparedSide = z
  .object({ ...Tally, net: z.number().nullable().openapi({ description: 'Net sentiment, −1..1; null when too few of its mentions were scored to compare.' }) })
  .nullable()
  .openapi({ description: 'The other side of the comparison; null when it has fewer mentions on the theme than `fewerThan`.' });
const fewerThan = z.number().int().openapi({ description: 'The fewest mentions a theme needs.' });
const names = z.array(z.string()).openapi({ description: 'The competitors the theme is theirs, by name.' });
const sentence = <S extends string>(name: S) => z.literal(name);

const SummaryFacts = z
  .discriminatedUnion('sentence', [
    z.object({ sentence: sentence('own_praised'), theme: z.string(), own: z.string(), side: JudgedSide.extend({ positive: z.number().int() }), competitors: ComparedSide, fewerThan }),
    z.object({ sentence: sentence('own_criticised'), theme: z.string(), own: z.string(), side: JudgedSide.extend({ negative: z.number().int() }), competitors: ComparedSide, fewerThan }),
    z.object({ sentence: sentence('own_worse'), theme: z.string(), own: z.string(), side: JudgedSide, competitors: JudgedSide }),
    z.object({
      sentence: sentence('competitors_criticised'), theme: z.string(), names, side: JudgedSide.extend({ negative: z.number().int() }), own: z.string(), ownSide: ComparedSide, fewerThan,
      risingFrom: z.number().int().nullable().openapi({ description: 'When the theme is rising too: its mentions in the window before.' }),
    }),
    z.object({ sentence: sentence('competitors_praised'), theme: z.string(), names, side: JudgedSide.extend({ positive: z.number().int() }), own: z.string(), ownSide: ComparedSide, fewerThan }),
    z.object({ sentence: sentence('rising'), theme: z.string(), names, mentions: z.number().int(), previous: z.number().int(), own: z.string(), fewerThan }),
    z.object({
      sentence: sentence('share_gain'), name: z.string(), previousShare: z.number().openapi({ description: 'Share of voice in the window before, 0..1.' }), share: z.number().openapi({ description: 'Share of voice, 0..1.' }),
      net: z.number().nullable().openapi({ description: 'Its net sentiment; null when too few of its mentions were scored.' }), side: z.object(Tally),
    }),
    z.object({ sentence: sentence('share_gain_criticised'), name: z.string(), previousShare: z.number(), share: z.number(), net: z.number(), side: z.object(Tally), own: z.string() }),
    z.object({ sentence: sentence('momentum'), own: z.string(), previous: z.number().openapi({ description: 'Net sentiment in the window before.' }), current: z.number(), side: z.object(Tally) }),
  ])
  .openapi('SwotSummaryFacts', {
    description:
      'The summary as data: which sentence (`sentence`), and the names, theme and figures in it, from which `summary` is written (in English, or in `?lang=`). ' +
      'Names and themes are as stored; figures are raw numbers (shares 0..1, net sentiment −1..1), for a client to write the sentence in its own words.',
  });

const ReasonFacts = z
  .discriminatedUnion('reason', [
    z.object({ reason: z.literal('no_competitors') }),
    z.object({ reason: z.literal('own_too_few'), own: z.string(), mentions: z.number().int(), needed: z.number().int() }),
    z.object({ reason: z.literal('competitors_too_few'), mentions: z.number().int(), needed: z.number().int() }),
  ])
  .openapi('SwotReasonFacts', { description: 'Why there is not enough data, as data: what `reason` is written from.' });

const item = <E extends z.ZodTypeAny>(evidence: E) =>
  z.object({
    theme: z.string(),
    summary: z.string().openapi({
      description:
        'One sentence from a template, with its numbers ("across 12 mentions (10 scored, 3 negative)" when not all were scored), in English or in the language `?lang=` asks for. ' +
        'In Persian, names and themes are wrapped in Unicode isolates (U+2068 … U+2069), so a Latin name keeps the sentence right to left.',
    }),
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
    reason: z.string().optional().openapi({ description: 'Why there is not enough data, when so: in English, or in the language `?lang=` asks for.' }),
    strengths: z.array(Item),
    weaknesses: z.array(Item),
    opportunities: z.array(Item),
    threats: z.array(Item),
  };
}

export const Swot = z
  .object({
    ...swotFields(item(Evidence).extend({ summaryFacts: SummaryFacts })),
    reasonFacts: ReasonFacts.optional().openapi({ description: 'With status "not_enough_data": the reason as data.' }),
    brands: Brands.openapi({ description: BRANDS_DESCRIPTION }),
    sample: Sample.openapi({ description: SAMPLE_DESCRIPTION }),
  })
  .openapi('Swot');

/** A digest's SWOT item keeps its sentence as data too, to write it in the digest's language. */
const DigestSwotItem = item(Evidence.partial({ scored: true })).extend({
  summaryFacts: SummaryFacts.optional().openapi({
    description:
      "The summary as data. The digest's renderings write it in the digest's language; `summary` stays English. " +
      'Absent from digests made before it was kept (their renderings show `summary`).',
  }),
});

/** The SWOT as a digest recorded it: digests made before `brands`, `sample`, `evidence.scored` and the facts existed lack them. */
export const DigestSwot = z
  .object({
    ...swotFields(DigestSwotItem),
    reasonFacts: ReasonFacts.optional().openapi({ description: 'With status "not_enough_data": the reason as data. Absent from digests made before it was kept.' }),
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
        `Themes are drawn from at most the newest ${SWOT_SAMPLE.toLocaleString('en-US')} mentions of each window; \`sample\` says how many of how many. ` +
        `Sentences (each item's \`summary\`, the \`reason\`) are in English unless \`?lang=\` asks for another of ${DIGEST_LANGUAGES.join(', ')} (the workspace's \`digestLanguage\` does not change them); ` +
        '`Content-Language` says which. Each item also carries its sentence as data (`summaryFacts`, and `reasonFacts` for the reason), the same in every language, for clients that write their own.',
      security: bearer,
      request: {
        query: z.strictObject({
          // Given twice, it is refused as such, not as "must be a string".
          brand: once(BrandIdParam).openapi({ param: { name: 'brand', in: 'query' }, description: 'An own brand id (a competitor is 400 swot.not_own_brand).' }),
          ...WindowQuery,
          lang: once(oneOf(DIGEST_LANGUAGES))
            .optional()
            .openapi({
              param: { name: 'lang', in: 'query' },
              description: `The language of the sentences: ${DIGEST_LANGUAGES.join(', ')}; English (\`en\`) when absent. Any other is a 400 naming them. The figures and facts are the same in every language.`,
              example: 'cs',
            }),
        }),
      },
      responses: {
        200: {
          ...json(Swot, 'The SWOT'),
          headers: z.object({ 'Content-Language': z.string().openapi({ description: 'The language of the sentences.', example: 'en' }) }),
        },
        404: errors[404],
        ...commonErrors,
      },
    }),
    async (c) => {
      const { lang = DEFAULT_DIGEST_LANGUAGE, ...query } = c.req.valid('query');
      // The cache holds the answer with its facts, in English: one entry serves every language.
      const swot = await competitorSwot({
        workspaceId: c.get('principal').workspaceId,
        brandId: query.brand,
        brandRepository: deps.brandRepository,
        analyticsRepository: deps.analyticsRepository,
        cache,
        ...parseWindow(query),
      });
      return c.json(swotIn(swot, lang), 200, { 'content-language': lang });
    },
  );
}
