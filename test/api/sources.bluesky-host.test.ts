import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// The host a source loads (sources.host: its politeness slot, its share of a tick) is where its
// polls go. A Bluesky source with credentials and no baseUrl reads through the account's service
// (bsky.social), so that is its host, not the public AppView's, whose slot the anonymous sources share.

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await createTestApp({ config: { SECRET_KEY: randomBytes(32).toString('hex') } });
  ({ key } = await t.workspace('Bluesky hosts'));
});
afterAll(() => t.close());

const credentials = { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };
const hostOf = async (id: string) => (await t.db.selectFrom('sources').select('host').where('id', '=', id).executeTakeFirstOrThrow()).host;

describe("a Bluesky source's host", () => {
  it('is bsky.social with credentials and public.api.bsky.app without', async () => {
    const logged = await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'kávovar', credentials } });
    expect(logged.status, logged.text).toBe(201);
    expect(await hostOf(logged.json.id)).toBe('bsky.social');
    const anonymous = await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'چای' } });
    expect(anonymous.status, anonymous.text).toBe(201);
    expect(await hostOf(anonymous.json.id)).toBe('public.api.bsky.app');
  });

  it('moves when credentials are given or removed, and a baseUrl stays its host either way', async () => {
    const source = (await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'चाय' } })).json;
    expect((await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { credentials } })).status).toBe(200);
    expect(await hostOf(source.id)).toBe('bsky.social');
    expect((await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { credentials: null } })).status).toBe(200);
    expect(await hostOf(source.id)).toBe('public.api.bsky.app');

    const pds = (await t.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'தேநீர்', baseUrl: 'http://127.0.0.1:9', credentials } })).json;
    expect(await hostOf(pds.id)).toBe('127.0.0.1:9');
    expect((await t.request('PATCH', `/v1/sources/${pds.id}`, { key, body: { credentials: null } })).status).toBe(200);
    expect(await hostOf(pds.id)).toBe('127.0.0.1:9');
  });
});
