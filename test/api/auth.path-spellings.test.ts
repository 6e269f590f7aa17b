import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// A path no route has is a 404 even without a key (app.ts): the decision "no route here" is taken
// before authentication, so it must be the router's own. Spellings of real routes (encoded letters,
// dot segments, doubled slashes, case, a trailing slash) must never reach a route unauthenticated:
// without a key each is a 401, or a 404 that a key does not turn into an answer.
let t: TestApp;
let key: string;
let brandId: string;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Spellings')).key;
  brandId = (await t.request('POST', '/v1/brands', { key, body: { name: 'Škoda', role: 'own', query: 'škoda' } })).json.id;
});
afterAll(() => t.close());

const spellings = () => [
  '/v1/brands',
  '/v1/bra%6Eds',
  '/v1/%62rands',
  '/v1//brands',
  '/v1/./brands',
  '/v1/x/../brands',
  '/V1/brands',
  '/v1/brands/',
  `/v1/brands/${brandId}`,
  `/v1/brands/${encodeURIComponent(brandId)}%2F`,
  `/v1/brands%2F${brandId}`,
  '/v1/mentions/live',
  '/v1/mentions/export.csv',
  '/v1/mentions/export%2Ecsv',
  '/v1/share-of-voice',
  '/v1/workspace',
  '/v1/alerts',
  '/v1/nothing-here',
];

describe('paths without a key', () => {
  it('never reach a route: a 401, or a 404 that a key does not change', async () => {
    for (const path of spellings()) {
      const anonymous = await t.app.request(path);
      expect([401, 404], `${path} without a key: ${anonymous.status}`).toContain(anonymous.status);
      if (anonymous.status === 404) {
        const keyed = await t.app.request(path, { headers: { authorization: `Bearer ${key}` } });
        expect([404, 405], `${path} is a 404 without a key, so it must be one with a key too, not ${keyed.status}`).toContain(keyed.status);
      }
    }
  });
});
