import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

/**
 * RELIABILITY 22, the half tenant-isolation.test.ts does not cover: ids carried in the query
 * string or the body rather than the path. Every /v1 route without a path id must be listed
 * here, with the requests that hand it workspace B's ids (or `[]` when it takes none), so a new
 * route cannot skip the matrix.
 */
type Ids = { brand: string; source: string; rule: string; ownBrand: string; ownRule: string };
type Probe = { path: (ids: Ids) => string; body?: (ids: Ids) => unknown };

const probes: Record<string, Probe[]> = {
  'GET /v1/mentions': [{ path: (i) => `/v1/mentions?brand=${i.brand}` }, { path: (i) => `/v1/mentions?source=${i.source}` }],
  'GET /v1/mentions/export.csv': [{ path: (i) => `/v1/mentions/export.csv?brand=${i.brand}` }, { path: (i) => `/v1/mentions/export.csv?source=${i.source}` }],
  'GET /v1/mentions/live': [{ path: (i) => `/v1/mentions/live?brand=${i.brand}` }, { path: (i) => `/v1/mentions/live?source=${i.source}` }],
  'GET /v1/trends/sentiment': [{ path: (i) => `/v1/trends/sentiment?brand=${i.brand}` }],
  'GET /v1/trending/hashtags': [{ path: (i) => `/v1/trending/hashtags?brand=${i.brand}` }],
  'GET /v1/trending/keywords': [{ path: (i) => `/v1/trending/keywords?brand=${i.brand}` }],
  'GET /v1/terms': [{ path: (i) => `/v1/terms?brand=${i.brand}` }],
  'GET /v1/swot': [{ path: (i) => `/v1/swot?brand=${i.brand}` }],
  'GET /v1/alerts': [{ path: (i) => `/v1/alerts?brand=${i.brand}` }, { path: (i) => `/v1/alerts?rule=${i.rule}` }],
  'POST /v1/alert-rules': [{ path: () => '/v1/alert-rules', body: (i) => ({ brandId: i.brand, webhookUrl: 'http://127.0.0.1:9/hook' }) }],
  // An id route of A's own, handed B's brand in the body.
  'PATCH /v1/alert-rules/:id': [{ path: (i) => `/v1/alert-rules/${i.ownRule}`, body: (i) => ({ brandId: i.brand }) }],
  // Routes that take no id of another resource.
  'GET /v1/share-of-voice': [],
  'GET /v1/alert-rules': [],
  'GET /v1/brands': [],
  'POST /v1/brands': [],
  'GET /v1/sources': [],
  'POST /v1/sources': [],
  'GET /v1/api-keys': [],
  'POST /v1/api-keys': [],
  'GET /v1/digests': [],
  'POST /v1/digests': [],
  'GET /v1/workspace': [],
  'PATCH /v1/workspace': [],
  'POST /v1/workspaces': [],
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('tenant isolation for ids in the query string and the body', () => {
  it("every route without a path id answers 404 when handed another workspace's brand or source id, and shows none of its data", async () => {
    const a = await t.workspace('A');
    const b = await t.workspace('B');
    const post = async (key: string, path: string, body: unknown) => {
      const res = await t.request('POST', path, { key, body });
      expect(res.status, `${path}: ${res.text}`).toBe(201);
      return res.json.id as string;
    };
    const brand = await post(b.key, '/v1/brands', { name: 'Theirs', role: 'own', query: 'theirs' });
    const source = await post(b.key, '/v1/sources', { type: 'rss', url: 'http://127.0.0.1:9/theirs.xml' });
    const rule = await post(b.key, '/v1/alert-rules', { brandId: brand, webhookUrl: 'http://127.0.0.1:9/theirs' });
    await seed(t.deps, { workspaceId: b.id, sourceId: source, mentions: [mention({ at: new Date(Date.now() - 3_600_000), brands: [brand], text: 'Theirs secret launch', hashtags: ['theirs'] })] });
    const ownBrand = await post(a.key, '/v1/brands', { name: 'Mine', role: 'own', query: 'mine' });
    const ownRule = await post(a.key, '/v1/alert-rules', { brandId: ownBrand, webhookUrl: 'http://127.0.0.1:9/mine' });
    const ids: Ids = { brand, source, rule, ownBrand, ownRule };

    const routes = t.app.routes.filter((r) => r.path.startsWith('/v1/') && r.method !== 'ALL' && !/:\w+/.test(r.path));
    const keys = [...routes.map((r) => `${r.method} ${r.path}`), 'PATCH /v1/alert-rules/:id'];
    for (const key of keys) {
      expect(probes[key], `no entry for ${key}: add its foreign-id requests (or []) to this test`).toBeDefined();
      for (const probe of probes[key]!) {
        const [method] = key.split(' ');
        const path = probe.path(ids);
        const ac = new AbortController();
        const body = probe.body?.(ids);
        const res = await t.app.request(path, {
          method,
          headers: { authorization: `Bearer ${a.key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: ac.signal,
        });
        const streaming = res.headers.get('content-type')?.includes('event-stream');
        if (streaming) ac.abort();
        const text = streaming ? '' : await res.text();
        expect(res.status, `${method} ${path}: ${text.slice(0, 200)}`).toBe(404);
        expect(text).not.toContain('Theirs');
      }
    }
    // A's rule still points at A's brand.
    expect((await t.request('GET', `/v1/alert-rules/${ownRule}`, { key: a.key })).json.brandId).toBe(ownBrand);
  });
});
