import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// Mistakes a newcomer made in the audit of `npm run demo`, and what they were told.

let t: TestApp;
let key: string;
let brand: string;
beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Newcomer');
  key = ws.key;
  brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Aroma Coffee', role: 'own', query: '"aroma coffee"' } })).json.id;
  const src = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/newcomer.xml' } })).json.id;
  const at = (h: number) => new Date(Date.now() - h * 3_600_000);
  await seed(t.deps, {
    workspaceId: ws.id,
    sourceId: src,
    mentions: [
      mention({ at: at(1), brands: [brand], text: 'Aroma Coffee queue was slow', label: 'negative' }),
      mention({ at: at(2), brands: [brand], text: 'Aroma Coffee is lovely', label: 'positive' }),
    ],
  });
});
afterAll(async () => t.close());

const get = (path: string) => t.request('GET', path, { key });
/** The one field a 400 names, and its message. */
async function refusal(path: string): Promise<{ field: string; message: string }> {
  const res = await get(path);
  expect(res.status, `${path}: ${res.text}`).toBe(400);
  expect(res.json.error.code).toBe('validation.failed');
  expect(res.json.error.fields, path).toHaveLength(1);
  const [problem] = res.json.error.fields;
  expect(res.json.error.message).toContain(`${problem.field}: ${problem.message}`);
  return problem;
}

const BRAND_ROUTES = [
  '/v1/mentions',
  '/v1/mentions/export.csv',
  '/v1/mentions/live',
  '/v1/trends/sentiment',
  '/v1/trending/hashtags',
  '/v1/trending/keywords',
  '/v1/terms',
  '/v1/swot',
  '/v1/alerts',
];

describe('brand= given a name instead of an id', () => {
  it('is a 400 naming brand and saying where the ids are, on every route that takes brand=', async () => {
    for (const route of BRAND_ROUTES) {
      for (const name of ['Aroma%20Coffee', 'aroma', 'nope']) {
        const problem = await refusal(`${route}?brand=${name}`);
        expect(problem.field, route).toBe('brand');
        expect(problem.message, route).toMatch(/brand id/u);
        expect(problem.message, route).toContain('GET /v1/brands');
      }
    }
  });

  it('a well-formed id of no brand of the workspace stays a 404 brands.not_found, which now says where the ids are', async () => {
    const other = await t.workspace('Someone else');
    const theirs = (await t.request('POST', '/v1/brands', { key: other.key, body: { name: 'Theirs', role: 'own', query: 'theirs' } })).json.id;
    for (const route of BRAND_ROUTES.filter((r) => r !== '/v1/swot')) {
      for (const id of [theirs, '00000000-0000-4000-8000-000000000000']) {
        const res = await get(`${route}?brand=${id}`);
        expect(res.status, `${route}: ${res.text}`).toBe(404);
        expect(res.json.error.code).toBe('brands.not_found');
        if (route !== '/v1/alerts') expect(res.json.error.message, route).toContain('GET /v1/brands');
      }
    }
  });

  it('an alert rule whose brandId is not an id is a 400 naming brandId', async () => {
    const res = await t.request('POST', '/v1/alert-rules', { key, body: { brandId: 'Aroma Coffee', webhookUrl: 'http://127.0.0.1:9/hook' } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.fields).toEqual([{ field: 'brandId', message: expect.stringContaining('GET /v1/brands') }]);
  });
});

describe('words that a parameter takes are taken in any letter case, as lang= is', () => {
  it('sentiment=Negative is sentiment=negative on the list, the export, the live stream and terms', async () => {
    const lower = await get('/v1/mentions?sentiment=negative');
    expect(lower.json.items).toHaveLength(1);
    for (const value of ['Negative', 'NEGATIVE']) {
      const res = await get(`/v1/mentions?sentiment=${value}&brand=${brand}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.map((m: { id: string }) => m.id)).toEqual(lower.json.items.map((m: { id: string }) => m.id));
      expect((await get(`/v1/terms?sentiment=${value}`)).json.mentions).toBe(1);
      expect((await get(`/v1/mentions/export.csv?sentiment=${value}`)).status).toBe(200);
    }
    expect((await get('/v1/mentions?lang=EN')).json.items).toHaveLength(2);
  });

  it('so are interval=, source=, format= and the alert type', async () => {
    expect((await get('/v1/trends/sentiment?interval=Day&source=RSS')).status).toBe(200);
    expect((await get('/v1/mentions?source=RSS')).json.items).toHaveLength(2);
    expect((await get('/v1/alerts?type=Alert.Negative_Spike')).status).toBe(200);
    expect((await get('/v1/mentions/export.csv?bom=FALSE')).status).toBe(200);
  });
});

describe('a value that is not one of the words is told which words there are, in the house wording', () => {
  it('names the words, and says a list is not taken', async () => {
    expect(await refusal('/v1/mentions?sentiment=bad')).toEqual({ field: 'sentiment', message: 'expected one of positive, neutral, negative or unscored' });
    expect(await refusal('/v1/terms?sentiment=bad')).toEqual({ field: 'sentiment', message: 'expected one of positive, neutral, negative or unscored' });
    expect(await refusal('/v1/mentions?sentiment=negative,positive')).toEqual({
      field: 'sentiment',
      message: 'takes one value, not a list: one of positive, neutral, negative or unscored',
    });
    expect(await refusal('/v1/trends/sentiment?interval=month')).toEqual({ field: 'interval', message: 'expected one of hour, day or week' });
  });

  it("no message says zod's own 'Invalid option', in a query or a body", async () => {
    const answers = await Promise.all([
      get('/v1/mentions?sentiment=Sad'),
      get('/v1/trends/sentiment?interval=month'),
      get('/v1/trends/sentiment?source=twitter'),
      get('/v1/alerts?type=spike'),
      get('/v1/mentions/export.csv?bom=yes'),
      t.request('POST', '/v1/brands', { key, body: { name: 'X', role: 'rival', query: 'x' } }),
      t.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: 'http://127.0.0.1:9/h', sensitivity: 'extreme' } }),
    ]);
    for (const res of answers) {
      expect(res.status, res.text).toBe(400);
      expect(res.text).not.toMatch(/Invalid option|Invalid input|expected one of "/u);
      expect(res.json.error.fields[0].message).toMatch(/^expected one of [^"]+ or [^"]+$/u);
    }
    const role = answers[5]!.json.error.fields[0];
    expect(role).toEqual({ field: 'role', message: 'expected one of own or competitor' });
  });
});

describe('a since after now, with no until', () => {
  it('says that until defaults to now', async () => {
    const problem = await refusal('/v1/share-of-voice?since=2999-01-01T00:00:00Z');
    expect(problem.field).toBe('since');
    expect(problem.message).toMatch(/^must be before until, which defaults to now \(\d{4}-\d\d-\d\dT[\d:.]+Z\) when not given$/u);
    // With until given, the plain sentence.
    expect(await refusal('/v1/share-of-voice?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z')).toEqual({ field: 'since', message: 'must be before until' });
  });
});
