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
};

const sampleBody: Record<string, unknown> = { PATCH: { name: 'Mine now' }, POST: {}, PUT: {} };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('tenant isolation', () => {
  it("every route with an id answers 404 for another workspace's resource, which stays intact", async () => {
    const a = await t.workspace('A');
    const b = await t.workspace('B');
    const routes = t.app.routes.filter((r) => r.path.includes(':') && r.method !== 'ALL');
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const pattern = route.path.replace(/:(?!id\b)\w+/g, ':id');
      const base = Object.keys(factories).find((p) => pattern.startsWith(p));
      expect(base, `no factory for ${route.method} ${route.path}: add one to this test`).toBeDefined();
      const id = await factories[base!]!(t, b.key);
      const path = route.path.replace(':id', id);
      const res = await t.request(route.method, path, { key: a.key, ...(sampleBody[route.method] ? { body: sampleBody[route.method] } : {}) });
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
      expect(JSON.stringify(res.json)).not.toContain('Theirs');
    }
    // B still sees its resources unchanged.
    const brands = await t.request('GET', '/v1/brands', { key: b.key });
    expect(brands.json.items.every((x: { name: string }) => x.name === 'Theirs')).toBe(true);
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
