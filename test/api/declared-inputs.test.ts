import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

// README: "A field a body or a query string does not take is a 400 naming it (`foo: unknown
// field`), query parameters included". Every /v1 route keeps that, whether or not it declares a
// query or a body (src/api/declared-inputs.ts); both walks below read the routes from
// /openapi.json, so a route added later is checked without touching this file.

let t: TestApp;
let key: string;
type Operation = { method: string; path: string; requestBody?: unknown };
let operations: Operation[];

beforeAll(async () => {
  // Many requests from one key: the per-key budget must not answer 429 first.
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '100000' } });
  key = (await t.workspace('Declared inputs')).key;
  const doc = (await t.request('GET', '/openapi.json')).json as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, requestBody: op.requestBody })));
});
afterAll(async () => t.close());

/** The operation's path with a made-up id (a 404 once validation has passed), and the credentials it takes. */
const concrete = (op: Operation) => op.path.replace(/\{\w+\}/g, randomUUID());
const credentialsFor = (op: Operation) => (op.path === '/v1/workspaces' ? ADMIN_TOKEN : key);
const fieldsOf = (res: { json: any }) => (res.json?.error?.fields ?? []) as { field: string; message: string }[];

describe('a query parameter a route does not take is a 400 naming it, on every /v1 route', () => {
  it('walks every /v1 operation of /openapi.json with ?unknownParam=1', async () => {
    const v1 = operations.filter((op) => op.path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(35);
    for (const op of v1) {
      const res = await t.request(op.method, `${concrete(op)}?unknownParam=1`, { key: credentialsFor(op) });
      const label = `${op.method} ${op.path}: ${res.status} ${res.text.slice(0, 200)}`;
      expect(res.status, label).toBe(400);
      expect(res.json.error.code, label).toBe('validation.failed');
      expect(fieldsOf(res), label).toContainEqual({ field: 'unknownParam', message: 'unknown field' });
      expect(res.json.error.message, label).toContain('unknownParam: unknown field');
    }
  });

  it('the routes the audit found open: an item, a POST, a fetch, the workspace', async () => {
    const brand = await t.ok('POST', '/v1/brands', key, { name: 'Acme', role: 'own', query: 'acme' });
    const source = await t.ok('POST', '/v1/sources', key, { type: 'rss', url: 'http://127.0.0.1:9/declared.xml' });
    for (const [method, path, body] of [
      ['GET', `/v1/brands/${brand.json.id}?foo=1`],
      ['GET', `/v1/sources/${source.json.id}?foo=1`],
      ['GET', '/v1/mentions/134?foo=1'],
      ['GET', '/v1/workspace?foo=1'],
      ['GET', '/v1/workspace?_=1733580000000'],
      ['POST', '/v1/brands?foo=1', { name: 'Other', role: 'competitor', query: 'other' }],
      ['POST', `/v1/sources/${source.json.id}/fetch?foo=1`],
    ] as const) {
      const res = await t.request(method, path, { key, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(fieldsOf(res)[0]?.message, `${method} ${path}`).toBe('unknown field');
    }
    // Nothing was made by the refused POST.
    const names = (await t.ok('GET', '/v1/brands', key)).json.items.map((b: { name: string }) => b.name);
    expect(names).toEqual(['Acme']);
  });

  it('declared parameters still work, and the routes outside /v1 take any', async () => {
    expect((await t.request('GET', '/v1/brands?limit=5', { key })).status).toBe(200);
    expect((await t.request('GET', '/v1/mentions/export.csv?sentiment=negative', { key })).status).toBe(200);
    for (const path of ['/healthz?probe=1', '/readyz?probe=1', '/metrics?scrape=1', '/openapi.json?v=2', '/docs?v=2']) {
      expect((await t.request('GET', path)).status, path).toBe(200);
    }
  });
});

describe('a route that takes no body refuses a non-empty one, and takes none or {}', () => {
  it('walks every /v1 operation of /openapi.json that declares no requestBody', async () => {
    const bodiless = operations.filter((op) => op.path.startsWith('/v1/') && op.method !== 'GET' && !op.requestBody);
    // The two the audit found, and the deletes.
    expect(bodiless.map((op) => `${op.method} ${op.path}`)).toEqual(expect.arrayContaining(['POST /v1/sources/{id}/fetch', 'POST /v1/alert-rules/{id}/rotate-secret', 'DELETE /v1/brands/{id}']));
    for (const op of bodiless) {
      const label = `${op.method} ${op.path}`;
      const unknown = await t.request(op.method, concrete(op), { key: credentialsFor(op), body: { unknownField: 1 } });
      expect(unknown.status, label).toBe(400);
      expect(fieldsOf(unknown), label).toEqual([{ field: 'unknownField', message: 'unknown field' }]);
      for (const raw of ['garbage', 'null', '[]', '"text"']) {
        const bad = await t.request(op.method, concrete(op), { key: credentialsFor(op), raw });
        expect(bad.status, `${label} ${raw}`).toBe(400);
        expect(fieldsOf(bad), `${label} ${raw}`).toEqual([{ field: 'body', message: 'this route takes no body: send none, or {}' }]);
      }
      const form = await t.request(op.method, concrete(op), { key: credentialsFor(op), raw: 'foo=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(form.status, `${label} form`).toBe(400);
      // No body, an empty one sent as JSON, and {} reach the route: a 404 for the made-up id.
      for (const init of [{}, { raw: '' }, { raw: ' \n' }, { body: {} }]) {
        const res = await t.request(op.method, concrete(op), { key: credentialsFor(op), ...init });
        expect(res.status, `${label} ${JSON.stringify(init)}: ${res.text}`).toBe(404);
      }
    }
  });

  it('fetch now and rotate-secret act only on a body they take', async () => {
    const brand = await t.ok('POST', '/v1/brands', key, { name: 'Rotated', role: 'own', query: 'rotated' });
    const source = await t.ok('POST', '/v1/sources', key, { type: 'rss', url: 'http://127.0.0.1:9/fetch-body.xml' });
    const rule = await t.ok('POST', '/v1/alert-rules', key, { brandId: brand.json.id, webhookUrl: 'http://127.0.0.1:9/hook' });

    const fetched = await t.request('POST', `/v1/sources/${source.json.id}/fetch`, { key, body: { foo: 1 } });
    expect(fetched.status, fetched.text).toBe(400);
    expect(fieldsOf(fetched)).toEqual([{ field: 'foo', message: 'unknown field' }]);
    expect((await t.request('POST', `/v1/sources/${source.json.id}/fetch`, { key, raw: 'garbage' })).status).toBe(400);
    expect((await t.request('POST', `/v1/sources/${source.json.id}/fetch`, { key })).status).toBe(202);
    expect((await t.request('POST', `/v1/sources/${source.json.id}/fetch`, { key, body: {} })).status).toBe(202);

    const secretOf = async () => (await t.db.selectFrom('alert_rules').select(['secret', 'previous_secret']).where('id', '=', rule.json.id).executeTakeFirstOrThrow());
    const before = await secretOf();
    const refused = await t.request('POST', `/v1/alert-rules/${rule.json.id}/rotate-secret`, { key, body: { foo: 1 } });
    expect(refused.status, refused.text).toBe(400);
    expect(fieldsOf(refused)).toEqual([{ field: 'foo', message: 'unknown field' }]);
    expect(await secretOf()).toEqual(before); // not rotated
    const rotated = await t.request('POST', `/v1/alert-rules/${rule.json.id}/rotate-secret`, { key, body: {} });
    expect(rotated.status, rotated.text).toBe(200);
    expect((await secretOf()).secret).not.toBe(before.secret);
  });
});
