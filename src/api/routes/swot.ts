import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { competitorSwot } from '../../domain/swot/swot.usecases.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { WindowQuery, parseWindow } from '../filters.js';
import { bearer, commonErrors, errors, json } from '../schemas.js';

const Item = z.object({
  theme: z.string(),
  summary: z.string().openapi({ description: 'One sentence from a template, with its numbers.' }),
  evidence: z.object({
    mentions: z.number().int(),
    netSentiment: z.number().nullable().openapi({ description: '(positive − negative) / mentions.' }),
    brandIds: z.array(z.string()),
    sampleMentionIds: z.array(z.string()),
  }),
  score: z.number().openapi({ description: 'The ordering score of docs/swot.md.' }),
  rule: z.string().openapi({ description: 'The documented rule that produced the item.' }),
});

export const Swot = z
  .object({
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
  })
  .openapi('Swot');

export function registerSwotRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/swot',
      operationId: 'getSwot',
      tags: ['Analytics'],
      summary: 'Competitor SWOT for one of your own brands, every item with its evidence',
      description:
        'Themes from mention text in the window and the equal window before it, share of voice and net sentiment from the rollups; ' +
        'rules, thresholds and ordering in docs/swot.md. Deterministic. Too little data answers status "not_enough_data" with no items.',
      security: bearer,
      request: {
        query: z.strictObject({
          brand: z.string().max(100).openapi({ param: { name: 'brand', in: 'query' }, description: 'An own brand id (a competitor is 400 swot.not_own_brand).' }),
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
        ...parseWindow(query),
      });
      return c.json(swot, 200);
    },
  );
}
