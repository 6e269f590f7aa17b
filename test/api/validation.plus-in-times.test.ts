import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// The audit: `since=2026-12-07T10:00:00+01:00` written with a literal '+' reaches the server as a
// space before the offset (a '+' in a query string is a space), and got the generic "expected an
// ISO-8601 time". The answer now names the '+' and how to write it; it does not guess the sign.

let t: TestApp;
let key: string;
let brand: string;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Plus signs')).key;
  brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
});
afterAll(async () => t.close());

const hint = (written: string) =>
  `has a space before its UTC offset (01:00): a '+' in a URL's query string is read as a space, so write it as %2B (${written}%2B01:00)`;

describe("a time parameter whose offset's '+' was read as a space", () => {
  it.each([
    ['/v1/mentions', 'since'],
    ['/v1/mentions', 'until'],
    ['/v1/mentions/export.csv', 'since'],
    ['/v1/mentions/live', 'until'],
    ['/v1/alerts', 'since'],
  ])('%s?%s= is a 400 that says so', async (path, field) => {
    const res = await t.request('GET', `${path}?${field}=2026-12-07T10:00:00+01:00`, { key });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual([{ field, message: hint('2026-12-07T10:00:00') }]);
  });

  it('on the analytics windows too, with a space for the T and fractions of a second', async () => {
    const res = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&since=2026-12-01+08:30:00.5+01:00&until=2026-12-07T10:00:00Z`, { key });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual([{ field: 'since', message: hint('2026-12-01 08:30:00.5') }]);
  });

  it('the offset written as %2B is the time it says, and a + for the space between day and time is still read as that', async () => {
    expect((await t.request('GET', '/v1/mentions?since=2026-12-07T10:00:00%2B01:00&until=2026-12-07T11:00:00Z', { key })).status).toBe(200);
    expect((await t.request('GET', '/v1/mentions?since=2026-12-07+10:00&until=2026-12-07T11:00:00Z', { key })).status).toBe(200);
    expect((await t.request('GET', '/v1/mentions?since=2026-12-07T10:00:00-01:00&until=2026-12-07T12:00:00Z', { key })).status).toBe(200);
  });

  it('other malformed times keep the usual message', async () => {
    const res = await t.request('GET', '/v1/mentions?since=next+week', { key });
    expect(res.json.error.fields).toEqual([{ field: 'since', message: 'expected an ISO-8601 time such as 2026-11-01T00:00:00Z' }]);
  });
});
