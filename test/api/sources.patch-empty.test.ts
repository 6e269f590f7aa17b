import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// PATCH /v1/sources/:id with no field is a 400 asking for one: it lists the fields the source's
// own type takes (an RSS source takes no credentials), not every type's.

let t: TestApp;
let key: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { SECRET_KEY: 'ab'.repeat(32) } });
  key = (await t.workspace('Empty patches')).key;
  for (const [type, body] of Object.entries({
    rss: { url: 'http://127.0.0.1:9/empty-patch.xml' },
    reddit: { subreddit: 'acme', baseUrl: 'http://127.0.0.1:9' },
    googlenews: { query: 'acme', baseUrl: 'http://127.0.0.1:9' },
  })) {
    ids[type] = (await t.ok('POST', '/v1/sources', key, { type, ...body })).json.id;
  }
});
afterAll(async () => t.close());

const fieldsOf = (res: { json: any }) => res.json?.error?.fields as { field: string; message: string }[];

describe('PATCH /v1/sources/:id {}', () => {
  it.each([
    ['rss', 'give at least one field to change: url, intervalSeconds or enabled'],
    ['reddit', 'give at least one field to change: query, subreddit, baseUrl, oauthBaseUrl, intervalSeconds, enabled or credentials'],
    ['googlenews', 'give at least one field to change: query, lang, country, baseUrl, intervalSeconds or enabled'],
  ])('on a %s source lists the fields that type takes', async (type, message) => {
    const before = await t.ok('GET', `/v1/sources/${ids[type]}`, key);
    const res = await t.request('PATCH', `/v1/sources/${ids[type]}`, { key, body: {} });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('validation.failed');
    expect(fieldsOf(res)).toEqual([{ field: 'body', message }]);
    expect(res.json.error.message).toBe(`invalid request: body: ${message}`);
    expect((await t.ok('GET', `/v1/sources/${ids[type]}`, key)).json).toEqual(before.json);
  });

  it("another workspace's source, or none, is a 404 as for any other patch", async () => {
    const other = await t.workspace('Other');
    for (const [who, id] of [[other.key, ids.rss!], [key, '00000000-0000-4000-8000-000000000000']] as const) {
      const res = await t.request('PATCH', `/v1/sources/${id}`, { key: who, body: {} });
      expect(res.status, res.text).toBe(404);
      expect(res.json.error.code).toBe('sources.not_found');
    }
  });

  it('a body that is not an object is still told so, and a field still changes the source', async () => {
    const res = await t.request('PATCH', `/v1/sources/${ids.rss}`, { key, body: [] });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    expect((await t.request('PATCH', `/v1/sources/${ids.rss}`, { key, body: { intervalSeconds: 600 } })).json.intervalSeconds).toBe(600);
  });
});
