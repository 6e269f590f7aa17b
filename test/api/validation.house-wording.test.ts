import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

// Zod's own sentences ("Invalid input: expected string, received undefined", "Too big: expected
// string to have <=100 characters") used to reach clients beside the API's ("url: is required").
// And every 400 names its field in `error.fields`, as the shared 400 description says.

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Wording')).key;
});
afterAll(async () => t.close());

/** The message of the one problem a 400 names for `field`. */
async function problem(res: Promise<{ status: number; json: any }>, field: string): Promise<string> {
  const { status, json } = await res;
  expect(status, JSON.stringify(json)).toBe(400);
  const named = (json.error.fields ?? []).filter((f: { field: string }) => f.field === field);
  expect(named, JSON.stringify(json.error)).toHaveLength(1);
  expect(json.error.message).toContain(`${field}: ${named[0].message}`);
  return named[0].message;
}

const ZODS_OWN = /Invalid input|Too big|Too small|expected string|received undefined|<=|>=/;

describe('validation messages are in the house wording', () => {
  it('a required field left out "is required": workspace name, alert webhookUrl, swot brand', async () => {
    expect(await problem(t.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: {} }), 'name')).toBe('is required');
    const brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
    expect(await problem(t.request('POST', '/v1/alert-rules', { key, body: { brandId: brand } }), 'webhookUrl')).toBe('is required');
    expect(await problem(t.request('GET', '/v1/swot', { key }), 'brand')).toBe('is required');
  });

  it('a value of the wrong type says what it must be', async () => {
    expect(await problem(t.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: { name: 42 } }), 'name')).toBe('must be a string');
    expect(await problem(t.request('POST', '/v1/api-keys', { key, body: { name: null } }), 'name')).toBe('must be a string, not null');
  });

  it('too long or empty says the bound in characters', async () => {
    const long = 'b'.repeat(101);
    expect(await problem(t.request('GET', `/v1/mentions?brand=${long}`, { key }), 'brand')).toBe('must be at most 100 characters');
    expect(await problem(t.request('GET', `/v1/swot?brand=${long}`, { key }), 'brand')).toBe('must be at most 100 characters');
    expect(await problem(t.request('GET', '/v1/mentions?q=', { key }), 'q')).toBe('must not be empty');
    expect(await problem(t.request('GET', `/v1/mentions?keyword=${'k'.repeat(201)}`, { key }), 'keyword')).toBe('must be at most 200 characters');
  });

  it('no message anywhere in these answers is in zod’s own words', async () => {
    const answers = await Promise.all([
      t.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: {} }),
      t.request('POST', '/v1/alert-rules', { key, body: {} }),
      t.request('POST', '/v1/brands', { key, body: {} }),
      t.request('GET', `/v1/trends/sentiment?brand=${'x'.repeat(101)}`, { key }),
      t.request('PATCH', '/v1/workspace', { key, body: { name: '' } }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.json.error.message).not.toMatch(ZODS_OWN);
    }
  });
});

describe('every 400 names its field in error.fields', () => {
  it('query.invalid in q= names q, with the position', async () => {
    const res = await t.request('GET', `/v1/mentions?q=${encodeURIComponent('(acme')}`, { key });
    expect(res.json.error).toMatchObject({ code: 'query.invalid', position: 0 });
    expect(await problem(Promise.resolve(res), 'q')).toMatch(/unclosed '\('/);
  });

  it('query.invalid in a brand query names query', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'Broken', role: 'own', query: 'acme OR' } });
    expect(res.json.error).toMatchObject({ code: 'query.invalid', position: 5 });
    expect(await problem(Promise.resolve(res), 'query')).toBe('expected a term after OR at 5');
  });

  it('swot.not_own_brand names brand', async () => {
    const rival = (await t.request('POST', '/v1/brands', { key, body: { name: 'Rival', role: 'competitor', query: 'rival' } })).json.id;
    const res = await t.request('GET', `/v1/swot?brand=${rival}`, { key });
    expect(res.json.error.code).toBe('swot.not_own_brand');
    expect(await problem(Promise.resolve(res), 'brand')).toBe('"Rival" is a competitor; a SWOT is drawn for one of your own brands');
  });

  it('sources.credentials_unavailable names credentials', async () => {
    const res = await t.request('POST', '/v1/sources', {
      key,
      body: { type: 'bluesky', query: 'acme', credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } },
    });
    expect(res.json.error.code, res.text).toBe('sources.credentials_unavailable');
    expect(await problem(Promise.resolve(res), 'credentials')).toBe('can only be stored when the server has SECRET_KEY set');
  });
});

describe('a language is an ISO 639-1 code', () => {
  it('lang=xx (two letters that name no language) is refused as lang:xx in q= and in a brand query is; lang=CS is cs', async () => {
    expect(await problem(t.request('GET', '/v1/mentions?lang=xx', { key }), 'lang')).toBe('expected a two-letter ISO 639-1 code such as cs');
    expect(await problem(t.request('GET', '/v1/trends/sentiment?lang=qq', { key }), 'lang')).toBe('expected a two-letter ISO 639-1 code such as cs');
    expect(await problem(t.request('GET', '/v1/mentions?lang=english', { key }), 'lang')).toBe('expected a two-letter ISO 639-1 code such as cs');
    expect((await t.request('GET', '/v1/mentions?lang=CS', { key })).status).toBe(200);
    const q = await t.request('GET', '/v1/mentions?q=lang%3Axx', { key });
    expect(q.json.error).toMatchObject({ code: 'query.invalid', position: 0 });
    expect(await problem(Promise.resolve(q), 'q')).toBe("'xx' at 0 is not a language code; write an ISO 639-1 code such as lang:cs or lang:hi");
    const brand = await t.request('POST', '/v1/brands', { key, body: { name: 'Langless', role: 'own', query: 'acme lang:xx' } });
    expect(brand.json.error).toMatchObject({ code: 'query.invalid', position: 5 });
  });
});
