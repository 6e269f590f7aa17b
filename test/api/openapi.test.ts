import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('the API describes itself', () => {
  it('/openapi.json is a valid OpenAPI 3.1 document', async () => {
    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(res.json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(res.json.openapi).toBe('3.1.0');
  });

  it('documents limit= as the integer it is, with its default', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    for (const [path, fallback] of [['/v1/brands', 50], ['/v1/trending/hashtags', 50]] as const) {
      const limit = doc.paths[path].get.parameters.find((p: { name: string }) => p.name === 'limit');
      expect(limit.schema, path).toMatchObject({ type: 'integer', minimum: 1, maximum: 200, default: fallback });
    }
  });

  it('covers every route the app serves', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const served = t.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((r) => !['GET /openapi.json', 'GET /docs', 'GET /docs/{file}'].includes(r));
    for (const route of new Set(served)) expect(documented, route).toContain(route);
  });

  it('/metrics speaks Prometheus text and counts requests by route pattern', async () => {
    const ws = await t.workspace('Metrics');
    await t.request('GET', '/v1/brands/some-id', { key: ws.key });
    const res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(/earshot_http_requests_total\{method="GET",route="\/v1\/brands\/:id",status="404"\} 1/);
    expect(res.text).toContain('earshot_process_cpu_seconds_total');
  });
});

describe('every operation has an operationId', () => {
  it('present, readable (lowerCamelCase) and unique across paths and webhooks', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json as {
      paths: Record<string, Record<string, { operationId?: string }>>;
      webhooks?: Record<string, Record<string, { operationId?: string }>>;
    };
    const operations = [...Object.entries(doc.paths), ...Object.entries(doc.webhooks ?? {})].flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, id: op.operationId })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(41);
    for (const { at, id } of operations) expect(id, at).toMatch(/^[a-z][A-Za-z0-9]+$/);
    const ids = operations.map((o) => o.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // Stable: clients generate method names from these.
    expect(doc.paths['/v1/mentions']!.get!.operationId).toBe('listMentions');
    expect(doc.paths['/v1/sources']!.post!.operationId).toBe('createSource');
    expect(doc.paths['/v1/sources/{id}']!.patch!.operationId).toBe('updateSource');
  });
});
