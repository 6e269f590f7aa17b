import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// The audit: `acme -acme` was saved (201) although it can never match. It is refused as every
// invalid query is, with the term and where it is excluded; so is `q=` with the same query.

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Never matching')).key;
});
afterAll(async () => t.close());

describe('a brand query that requires what it excludes', () => {
  it('is refused when the brand is created: 400 query.invalid naming the term and its position', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: '"acme coffee" -acme' } });
    expect(res.status).toBe(400);
    const message = 'the query requires "acme coffee" (at 0) and excludes acme (at 15), which every item with "acme coffee" has, so it can never match; remove one of the two';
    expect(res.json.error).toMatchObject({ code: 'query.invalid', position: 15, message: `query: ${message}`, fields: [{ field: 'query', message }] });
  });

  it('is refused when a query is changed to one, and the brand keeps its query', async () => {
    const created = await t.request('POST', '/v1/brands', { key, body: { name: 'Kofola', role: 'own', query: 'kofola' } });
    expect(created.status).toBe(201);
    const res = await t.request('PATCH', `/v1/brands/${created.json.id}`, { key, body: { query: 'kofola -kofola' } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'query.invalid', position: 8, fields: [{ field: 'query', message: expect.stringContaining('requires kofola (at 0) and excludes it (at 8)') }] });
    expect((await t.request('GET', `/v1/brands/${created.json.id}`, { key })).json.query).toBe('kofola');
  });

  it('as q= on the mention list too', async () => {
    const res = await t.request('GET', `/v1/mentions?q=${encodeURIComponent('acme -acme')}`, { key });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'query.invalid', position: 6, fields: [{ field: 'q', message: expect.stringContaining('can never match') }] });
  });

  it('a query that can still match is saved', async () => {
    for (const [name, query] of [['Acme*', 'acme* -acme'], ['Globex', '(globex OR acme) -acme'], ['Skoda', 'skoda -škoda']] as const) {
      expect((await t.request('POST', '/v1/brands', { key, body: { name, role: 'competitor', query } })).status, query).toBe(201);
    }
  });
});
