import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redditConnector } from '../../src/connectors/reddit.connector.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { fixtureJson, pollOnce, startApi } from '../connectors/api-server.js';

// The host a source loads (sources.host: its politeness slot, its share of a tick) is where its
// polls go. A Reddit source with credentials reads its listings from the OAuth host
// (oauthBaseUrl, by default oauth.reddit.com; only its token comes from baseUrl, once an hour),
// so that is its host, not www.reddit.com, whose slot the anonymous sources share.

let t: TestApp;
let key: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  t = await createTestApp({ config: { SECRET_KEY: randomBytes(32).toString('hex') } });
  ({ key } = await t.workspace('Reddit hosts'));
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await t.close();
});

const credentials = { clientId: 'earshot-app', clientSecret: 'very-secret-value' };
const stored = async (id: string) => t.db.selectFrom('sources').select(['host', 'config']).where('id', '=', id).executeTakeFirstOrThrow();
const hostOf = async (id: string) => (await stored(id)).host;

describe("a Reddit source's host", () => {
  it('is oauth.reddit.com with credentials and www.reddit.com without', async () => {
    const logged = await t.request('POST', '/v1/sources', { key, body: { type: 'reddit', subreddit: 'r/kavovary', credentials } });
    expect(logged.status, logged.text).toBe(201);
    expect(await hostOf(logged.json.id)).toBe('oauth.reddit.com');
    const anonymous = await t.request('POST', '/v1/sources', { key, body: { type: 'reddit', query: 'چای سبز' } });
    expect(anonymous.status, anonymous.text).toBe(201);
    expect(await hostOf(anonymous.json.id)).toBe('www.reddit.com');
  });

  it('moves when credentials are given or removed, to the oauthBaseUrl and back to the baseUrl where they are set', async () => {
    const source = (await t.request('POST', '/v1/sources', { key, body: { type: 'reddit', query: 'चाय' } })).json;
    expect((await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { credentials } })).status).toBe(200);
    expect(await hostOf(source.id)).toBe('oauth.reddit.com');
    expect((await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { credentials: null } })).status).toBe(200);
    expect(await hostOf(source.id)).toBe('www.reddit.com');

    const proxied = { type: 'reddit', query: 'தேநீர்', baseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:10' };
    const both = (await t.request('POST', '/v1/sources', { key, body: { ...proxied, credentials } })).json;
    expect(await hostOf(both.id)).toBe('127.0.0.1:10');
    expect((await t.request('PATCH', `/v1/sources/${both.id}`, { key, body: { credentials: null } })).status).toBe(200);
    expect(await hostOf(both.id)).toBe('127.0.0.1:9');
    // A new oauthBaseUrl with the credentials given again: the host follows it.
    const moved = await t.request('PATCH', `/v1/sources/${both.id}`, { key, body: { oauthBaseUrl: 'http://127.0.0.1:11', credentials } });
    expect(moved.status, moved.text).toBe(200);
    expect(await hostOf(both.id)).toBe('127.0.0.1:11');
  });

  it('is the host its polls with credentials request their listings from, not the one the token comes from', async () => {
    const token = await startApi(() => ({ body: fixtureJson('reddit/access_token.json') }));
    const listings = await startApi(() => ({ body: { kind: 'Listing', data: { after: null, children: [] } } }));
    cleanups.push(token.close, listings.close);
    const created = await t.request('POST', '/v1/sources', { key, body: { type: 'reddit', subreddit: 'selfhosted', baseUrl: token.origin, oauthBaseUrl: listings.origin, credentials } });
    expect(created.status, created.text).toBe(201);
    const { host, config } = await stored(created.json.id);

    await pollOnce(redditConnector, { config, credentials });
    expect(token.received.map((r) => r.path)).toEqual(['/api/v1/access_token']);
    expect(listings.received.map((r) => r.path)).toEqual(['/r/selfhosted/new', '/r/selfhosted/comments']);
    expect(host).toBe(new URL(listings.origin).host);
  });
});

describe("a credentialed Reddit source's token host", () => {
  // Its client secret is posted to baseUrl's token endpoint (www.reddit.com when unset): moving
  // that host is a credential move even when the listings' OAuth host stays.
  it('going back from a custom baseUrl to www.reddit.com is refused unless the credentials are given again', async () => {
    const token = await startApi(() => ({ body: fixtureJson('reddit/access_token.json') }));
    const listings = await startApi(() => ({ body: { kind: 'Listing', data: { after: null, children: [] } } }));
    cleanups.push(token.close, listings.close);
    const created = await t.request('POST', '/v1/sources', { key, body: { type: 'reddit', subreddit: 'kavarny', baseUrl: token.origin, oauthBaseUrl: listings.origin, credentials } });
    expect(created.status, created.text).toBe(201);
    const before = await t.db.selectFrom('sources').select(['config', 'credentials']).where('id', '=', created.json.id).executeTakeFirstOrThrow();

    const moved = await t.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { baseUrl: null } });
    expect(moved.status, moved.text).toBe(400);
    expect(moved.json.error.code).toBe('validation.failed');
    expect(moved.json.error.fields).toEqual([
      { field: 'credentials', message: expect.stringContaining('must be given again in the same request (or null to remove them) to point this source at https://www.reddit.com') },
    ]);
    expect(moved.json.error.message).toContain(`the stored credentials were given for ${listings.origin} and ${token.origin}, and are never sent anywhere else`);
    expect(await t.db.selectFrom('sources').select(['config', 'credentials']).where('id', '=', created.json.id).executeTakeFirstOrThrow()).toEqual(before);

    const again = await t.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { baseUrl: null, credentials } });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ oauthBaseUrl: listings.origin, hasCredentials: true });
    expect(again.json).not.toHaveProperty('baseUrl');
    // No request went anywhere: the checks are made at save time.
    expect([...token.received, ...listings.received]).toEqual([]);
  });
});
