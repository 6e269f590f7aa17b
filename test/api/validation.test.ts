import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Validation')).key;
});
afterAll(async () => t.close());

function expectValidation(res: { status: number; json: any }, field: string) {
  expect(res.status).toBe(400);
  expect(res.json.error.code).toBe('validation.failed');
  expect(res.json.error.requestId).toEqual(expect.any(String));
  expect(res.json.error.fields.map((f: { field: string }) => f.field)).toContain(field);
  expect(res.json.error.message).toContain(field);
}

describe('bad input always gets a 400 that names the problem, never a 500', () => {
  it('unknown body fields are named', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'a', role: 'own', query: 'a', colour: 'red' } });
    expectValidation(res, 'colour');
  });

  it('wrong types and values are named', async () => {
    expectValidation(await t.request('POST', '/v1/brands', { key, body: { name: 42, role: 'own', query: 'a' } }), 'name');
    expectValidation(await t.request('POST', '/v1/brands', { key, body: { name: 'a', role: 'boss', query: 'a' } }), 'role');
    expectValidation(await t.request('POST', '/v1/brands', { key, body: { name: 'a', role: 'own' } }), 'query');
    expectValidation(await t.request('POST', '/v1/brands', { key, body: [1, 2] }), 'body');
    expectValidation(await t.request('PATCH', '/v1/brands/x', { key, body: {} }), 'body');
  });

  it('limit above the maximum, below one, or not a number', async () => {
    expectValidation(await t.request('GET', '/v1/brands?limit=10000', { key }), 'limit');
    expectValidation(await t.request('GET', '/v1/brands?limit=0', { key }), 'limit');
    expectValidation(await t.request('GET', '/v1/brands?limit=ten', { key }), 'limit');
    expect((await t.request('GET', '/v1/brands?limit=200', { key })).status).toBe(200);
  });

  it('unknown query parameters are named, so typos do not silently widen a filter', async () => {
    expectValidation(await t.request('GET', '/v1/brands?limt=5', { key }), 'limt');
  });

  it('a tampered cursor is refused', async () => {
    for (let i = 0; i < 3; i++) await t.request('POST', '/v1/brands', { key, body: { name: `b${i}`, role: 'own', query: `b${i}` } });
    const page = await t.request('GET', '/v1/brands?limit=1', { key });
    const cursor: string = page.json.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const [body, sum] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['2001-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'])).toString('base64url');
    for (const bad of [`${body}x.${sum}`, `${forged}.${sum}`, 'garbage', `${body}`, '...']) {
      expectValidation(await t.request('GET', `/v1/brands?cursor=${encodeURIComponent(bad)}`, { key }), 'cursor');
    }
  });

  it('a well-formed cursor carrying absurd values is refused before it reaches the database', async () => {
    const { encodeCursor } = await import('../../src/domain/pagination/cursor.js');
    for (const forged of [encodeCursor({ k: 'not-a-date', id: '00000000-0000-0000-0000-000000000000' }), encodeCursor({ k: '2026-01-01T00:00:00Z', id: "x' or 1=1" }), encodeCursor({ k: 5, id: 'y' })]) {
      for (const path of ['/v1/brands', '/v1/api-keys', '/v1/sources', '/v1/mentions']) {
        expectValidation(await t.request('GET', `${path}?cursor=${encodeURIComponent(forged)}`, { key }), 'cursor');
      }
    }
  });

  it('malformed JSON is named as the body', async () => {
    expectValidation(await t.request('POST', '/v1/brands', { key, raw: '{"name": "a",' }), 'body');
    expectValidation(await t.request('POST', '/v1/workspaces', { key: 'test-admin-token-0123456789', raw: 'nope' }), 'body');
  });

  it('a body that is not JSON at all is refused', async () => {
    const res = await t.request('POST', '/v1/brands', { key, raw: 'name=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation.failed');
  });

  it('a body over 256 KiB is refused before it is parsed', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'x'.repeat(300 * 1024), role: 'own', query: 'x' } });
    expectValidation(res, 'body');
    expect(res.json.error.message).toContain('256 KiB');
  });

  it('unknown routes answer 404 with the envelope', async () => {
    const res = await t.request('GET', '/v1/nothing-here', { key });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('route.not_found');
  });

  it('every answer carries a request id, and an incoming one is kept', async () => {
    const res = await t.request('GET', '/v1/brands', { key, headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
  });
});
