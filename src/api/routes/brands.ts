import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createBrand, deleteBrand, getBrand, listBrands, updateBrand } from '../../domain/brands/brands.usecases.js';
import { unlinkJobId } from '../../workers/catalogue.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { IdParam, PageQuery, bearer, commonErrors, errors, json, jsonBody, pageOf } from '../schemas.js';
import { DisplayName } from '../../domain/names.js';

const Role = z.enum(['own', 'competitor']).openapi({ description: 'Your brand, or a competitor you watch.' });
const Name = DisplayName;
// No min or max here: the query language answers an empty or blank query, and one over its limit
// (1,000 characters, counted as code points), with `query.invalid` and a position, as it does every
// other problem with a query, so `""` and `"  "` are one mistake with one answer.
const Query = z
  .string()
  .openapi({
    description:
      'A query in the Earshot query language (see docs/query-language.md), at most 1,000 characters; an empty, blank or longer one is `query.invalid`.',
    example: '"acme coffee" OR #acmecoffee -jobs',
  });

const Brand = z
  .object({ id: z.string(), name: z.string(), role: Role, query: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('Brand');

const queryErrors = { ...errors[400], description: 'Invalid request, or `query.invalid` with the `position` of the problem.' };

export function registerBrandRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { brandRepository, cursorKeys } = deps;
  const workspaceId = (c: { get(k: 'principal'): { workspaceId: string } }) => c.get('principal').workspaceId;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/brands',
      operationId: 'createBrand',
      tags: ['Brands'],
      summary: 'Create a brand (yours or a competitor); its matching history appears within seconds',
      security: bearer,
      request: { body: jsonBody(z.strictObject({ name: Name, role: Role, query: Query }).openapi('CreateBrand')) },
      responses: { 201: json(Brand, 'Created'), 409: errors[409], ...commonErrors, 400: queryErrors },
    }),
    async (c) => {
      const brand = await createBrand({ workspaceId: workspaceId(c), input: c.req.valid('json'), brandRepository });
      return c.json(brand, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/brands',
      operationId: 'listBrands',
      tags: ['Brands'],
      summary: 'List brands',
      security: bearer,
      request: { query: PageQuery },
      responses: { 200: json(pageOf(Brand, 'BrandPage'), 'A page of brands, newest first'), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await listBrands({ workspaceId: workspaceId(c), limit, cursor, brandRepository, cursorKeys }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/brands/{id}',
      operationId: 'getBrand',
      tags: ['Brands'],
      summary: 'Get a brand',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(Brand, 'The brand'), 404: errors[404], ...commonErrors },
    }),
    async (c) => c.json(await getBrand({ workspaceId: workspaceId(c), id: c.req.valid('param').id, brandRepository }), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/brands/{id}',
      operationId: 'updateBrand',
      tags: ['Brands'],
      summary: 'Change a brand; a new query is matched against stored history within seconds',
      security: bearer,
      request: {
        params: IdParam,
        body: jsonBody(
          z
            .strictObject({ name: Name.optional(), role: Role.optional(), query: Query.optional() })
            .refine((v) => Object.keys(v).length > 0, { message: 'give at least one of name, role, query', when: (payload) => payload.issues.length === 0 })
            .openapi('UpdateBrand'),
        ),
      },
      responses: { 200: json(Brand, 'The changed brand'), 404: errors[404], 409: errors[409], ...commonErrors, 400: queryErrors },
    }),
    async (c) => {
      const { brand } = await updateBrand({
        workspaceId: workspaceId(c),
        id: c.req.valid('param').id,
        patch: c.req.valid('json'),
        brandRepository,
      });
      return c.json(brand, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/brands/{id}',
      operationId: 'deleteBrand',
      tags: ['Brands'],
      summary: 'Delete a brand',
      security: bearer,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await deleteBrand({ workspaceId: workspaceId(c), id, brandRepository });
      // Its links are gone with it; clearing its id from the mentions that carried it is a job,
      // queued now and, if that fails, by the scheduler's tick (the delete recorded it).
      await deps.queues.add('brands.unlink', { workspaceId: workspaceId(c), brandId: id }, { jobId: unlinkJobId(id) }).catch((err: unknown) => {
        c.get('log').warn({ err, brandId: id }, 'could not queue brands.unlink now; the next scheduler tick queues it');
      });
      return c.body(null, 204);
    },
  );
}
