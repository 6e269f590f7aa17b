import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * RELIABILITY 22: for every route that takes an id, workspace A using workspace B's id gets 404.
 * The route list comes from the app itself, so a new route without a factory here fails the suite.
 */
type Factory = (t: TestApp, key: string) => Promise<string>;
const factories: Record<string, Factory> = {
  '/v1/brands/:id': async (t, key) => (await t.request('POST', '/v1/brands', { key, body: { name: 'Theirs', role: 'own', query: 'theirs' } })).json.id,
  '/v1/api-keys/:id': async (t, key) => (await t.request('POST', '/v1/api-keys', { key, body: { name: 'theirs' } })).json.id,
  '/v1/sources/:id': async (t, key) =>
    (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/theirs.xml' } })).json.id,
  '/v1/alert-rules/:id': async (t, key) => {
    const brandId = (await t.request('POST', '/v1/brands', { key, body: { name: `Theirs ${Math.random()}`, role: 'own', query: 'theirs' } })).json.id;
    return (await t.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: 'http://127.0.0.1:9/theirs' } })).json.id;
  },
  '/v1/digests/:id': async (t, key) =>
    (await t.request('POST', '/v1/digests', { key, body: { since: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z' } })).json.id,
  '/v1/mentions/:id': async (t, key) => {
    const workspaceId = await workspaceOf(t, key);
    const row = await t.db
      .insertInto('mentions')
      .values({
        workspace_id: workspaceId,
        source_type: 'rss',
        item_key: `theirs-${Math.random()}`,
        text: 'Theirs',
        fetched_at: new Date(),
        occurred_at: new Date(),
        sentiment_model: 'test@0',
        matched: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  },
};

async function workspaceOf(t: TestApp, key: string): Promise<string> {
  const row = await t.db
    .selectFrom('api_keys')
    .select('workspace_id')
    .where('prefix', '=', key.slice(0, 12))
    .executeTakeFirstOrThrow();
  return row.workspace_id;
}

/** A valid body for each writing route, so a 404 cannot be a validation error in disguise. */
const sampleBody: Record<string, unknown> = {
  'PATCH /v1/brands/:id': { name: 'Mine now' },
  'PATCH /v1/sources/:id': { enabled: false },
  'PATCH /v1/alert-rules/:id': { sensitivity: 'low' },
  'POST /v1/alert-rules/:id/backtest': { since: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z' },
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('tenant isolation', () => {
  it("every route with an id answers 404 for another workspace's resource, which stays intact", async () => {
    const a = await t.workspace('A');
    const b = await t.workspace('B');
    // The reference page's files (/docs/:file) belong to no workspace.
    const routes = t.app.routes.filter((r) => r.path.includes(':') && r.method !== 'ALL' && !r.path.startsWith('/docs/'));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const pattern = route.path.replace(/:(?!id\b)\w+/g, ':id');
      const base = Object.keys(factories).find((p) => pattern.startsWith(p));
      expect(base, `no factory for ${route.method} ${route.path}: add one to this test`).toBeDefined();
      const id = await factories[base!]!(t, b.key);
      const path = route.path.replace(':id', id);
      const body = sampleBody[`${route.method} ${route.path}`];
      const bodiless = route.path.endsWith('/fetch') || route.path.endsWith('/rotate-secret');
      if (route.method !== 'GET' && route.method !== 'DELETE' && !bodiless) expect(body, `no sample body for ${route.method} ${route.path}`).toBeDefined();
      const res = await t.request(route.method, path, { key: a.key, ...(body ? { body } : {}) });
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
      expect(JSON.stringify(res.json)).not.toContain('Theirs');
    }
    // B still sees its resources unchanged.
    const brands = await t.request('GET', '/v1/brands', { key: b.key });
    expect(brands.json.items.every((x: { name: string }) => x.name.startsWith('Theirs'))).toBe(true); // none renamed by A
    expect((await t.request('GET', '/v1/brands', { key: b.key })).status).toBe(200);
  });

  it("lists show only the caller's workspace", async () => {
    const a = await t.workspace('Lister');
    const listed = await t.request('GET', '/v1/brands', { key: a.key });
    expect(listed.json.items).toEqual([]);
    const keys = await t.request('GET', '/v1/api-keys', { key: a.key });
    expect(keys.json.items).toHaveLength(1);
  });
});
