import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// A Bluesky source's credentials go where its baseUrl points. Bluesky's AppView takes no logins,
// so credentials aimed at it are refused when saved, with a 400 naming baseUrl, and nothing is stored.

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await createTestApp({ config: { SECRET_KEY: randomBytes(32).toString('hex') } });
  ({ key } = await t.workspace('Bluesky AppView'));
});
afterAll(() => t.close());

const credentials = { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };

describe('Bluesky credentials aimed at the AppView', () => {
  for (const baseUrl of ['https://public.api.bsky.app', 'https://Public.API.bsky.app/', 'https://api.bsky.app']) {
    it(`POST with credentials and baseUrl ${baseUrl} is a 400 naming baseUrl, and stores nothing`, async () => {
      const res = await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'kávovar', baseUrl, credentials } });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.code).toBe('validation.failed');
      expect(res.json.error.fields).toEqual([{ field: 'baseUrl', message: expect.stringMatching(/^is Bluesky's AppView \((public\.)?api\.bsky\.app\), which takes no logins: .*Leave baseUrl unset/) }]);
      expect(res.json.error.message).toContain('baseUrl');
      expect(res.text).not.toContain(credentials.appPassword);
      const stored = await t.db.selectFrom('sources').select('id').where('type', '=', 'bluesky').where('config', '@>', JSON.stringify({ query: 'kávovar' })).execute();
      expect(stored).toEqual([]);
    });
  }

  it('PATCH giving credentials to a source stored with the AppView as baseUrl is a 400 naming baseUrl, and keeps none', async () => {
    const created = await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'चाय', baseUrl: 'http://127.0.0.1:9' } });
    expect(created.status, created.text).toBe(201);
    // As a source saved without credentials, pointed at the AppView (its address looked up then).
    await t.db.updateTable('sources').set({ config: JSON.stringify({ query: 'चाय', baseUrl: 'https://public.api.bsky.app' }) }).where('id', '=', created.json.id).execute();

    const res = await t.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { credentials } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.fields).toEqual([{ field: 'baseUrl', message: expect.stringContaining('public.api.bsky.app') }]);
    const row = await t.db.selectFrom('sources').select('credentials').where('id', '=', created.json.id).executeTakeFirstOrThrow();
    expect(row.credentials).toBeNull();

    // Credentials with baseUrl removed in the same request are taken: they go to the account's service.
    const fixed = await t.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { baseUrl: null, credentials } });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.json.hasCredentials).toBe(true);
  });

  it('credentials with a PDS as baseUrl, and the AppView without credentials, are accepted', async () => {
    const pds = await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'acme pds', baseUrl: 'http://127.0.0.1:9', credentials } });
    expect(pds.status, pds.text).toBe(201);
    const anonymous = await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'acme public', baseUrl: 'https://public.api.bsky.app' } });
    expect(anonymous.status, anonymous.text).toBe(201);
  });
});
