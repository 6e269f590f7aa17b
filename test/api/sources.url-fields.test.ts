import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// A URL Earshot must not fetch is answered the same way whichever field holds it (README, API.md):
// 400 `<module>.url_not_allowed`, whose `fields` names the field. `strict` refuses private
// networks; `open` allows them (ALLOW_PRIVATE_NETWORKS=true).

const PUBLIC = 'http://93.184.216.34';
let strict: TestApp;
let open: TestApp;
let strictKey: string;
let openKey: string;

beforeAll(async () => {
  // A SECRET_KEY, so that sources with credentials can be stored.
  strict = await createTestApp({ config: { ALLOW_PRIVATE_NETWORKS: 'false', SECRET_KEY: 'ab'.repeat(32) } });
  open = await createTestApp({ config: { SECRET_KEY: 'ab'.repeat(32) } });
  strictKey = (await strict.workspace('Strict')).key;
  openKey = (await open.workspace('Open')).key;
});
afterAll(async () => {
  await strict.close();
  await open.close();
});

async function refused(app: TestApp, key: string, method: 'POST' | 'PATCH', path: string, body: Record<string, unknown>, code = 'sources.url_not_allowed') {
  const res = await app.request(method, path, { key, body });
  expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
  expect(res.json.error.code, `${JSON.stringify(body)}: ${res.text}`).toBe(code);
  return res.json.error as { message: string; fields: { field: string; message: string }[] };
}

describe('a source URL that is not http(s) is refused as url_not_allowed, naming its field', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['an API baseUrl of ftp://', { type: 'hackernews', query: 'acme', baseUrl: 'ftp://93.184.216.34/' }, 'baseUrl', /scheme ftp: is not allowed/],
    ['a baseUrl with credentials in it', { type: 'bluesky', query: 'acme', baseUrl: 'http://user:pw@93.184.216.34' }, 'baseUrl', /credentials/],
    ["a reddit oauthBaseUrl of file://", { type: 'reddit', subreddit: 'acme', oauthBaseUrl: 'file:///etc/passwd' }, 'oauthBaseUrl', /scheme file: is not allowed/],
    ['a Mastodon instance of file://', { type: 'mastodon', instance: 'file:///x', hashtag: 'acme' }, 'instance', /scheme file: is not allowed/],
    ['a Mastodon instance URL with credentials', { type: 'mastodon', instance: 'https://user:pw@mastodon.example', hashtag: 'acme' }, 'instance', /credentials/],
  ];
  for (const [what, body, field, reason] of cases) {
    it(`${what}, even where private networks are allowed`, async () => {
      for (const [app, key] of [[strict, strictKey], [open, openKey]] as const) {
        const error = await refused(app, key, 'POST', '/v1/sources', body);
        expect(error.fields).toEqual([{ field, message: expect.stringMatching(reason) }]);
        expect(error.message.startsWith(`${field}: `), error.message).toBe(true);
      }
    });
  }

  it('a baseUrl that is no URL at all is a malformed field, validation.failed naming it, not a URL refused', async () => {
    for (const [app, key] of [[strict, strictKey], [open, openKey]] as const) {
      const body = { type: 'youtube', channelId: 'UC0123456789abcdefghijKL', baseUrl: 'not a url' };
      const error = await refused(app, key, 'POST', '/v1/sources', body, 'validation.failed');
      expect(error.fields).toEqual([{ field: 'baseUrl', message: 'is not a valid URL' }]);
    }
  });

  it('on edit too, and the stored value stays', async () => {
    const created = await open.request('POST', '/v1/sources', { key: openKey, body: { type: 'hackernews', query: 'edited', baseUrl: PUBLIC } });
    expect(created.status, created.text).toBe(201);
    const error = await refused(open, openKey, 'PATCH', `/v1/sources/${created.json.id}`, { baseUrl: 'gopher://93.184.216.34' });
    expect(error.fields).toEqual([{ field: 'baseUrl', message: expect.stringMatching(/scheme gopher: is not allowed/) }]);
    expect((await open.request('GET', `/v1/sources/${created.json.id}`, { key: openKey })).json.baseUrl).toBe(PUBLIC);
  });

  it('other problems in the same body are still one validation.failed naming them all', async () => {
    const res = await open.request('POST', '/v1/sources', { key: openKey, body: { type: 'hackernews', query: '', baseUrl: 'ftp://x' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation.failed');
    expect(res.json.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['baseUrl', 'query']);
  });
});

describe('a Mastodon instance on a private address is refused for that reason', () => {
  it('instance "localhost" is url_not_allowed naming instance and saying it is not public, not "must be a host name"', async () => {
    const error = await refused(strict, strictKey, 'POST', '/v1/sources', { type: 'mastodon', instance: 'localhost', hashtag: 'acme' });
    expect(error.fields).toEqual([{ field: 'instance', message: expect.stringMatching(/loopback|private/i) }]);
    expect(error.message).not.toMatch(/host name such as/);
  });

  it('and accepted where private networks are allowed', async () => {
    const res = await open.request('POST', '/v1/sources', { key: openKey, body: { type: 'mastodon', instance: 'localhost:3000', hashtag: 'acme' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.instance).toBe('localhost:3000');
  });

  it('what is not a host name at all is still validation.failed', async () => {
    const res = await open.request('POST', '/v1/sources', { key: openKey, body: { type: 'mastodon', instance: 'not a host', hashtag: 'acme' } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation.failed', fields: [{ field: 'instance', message: 'must be a host name such as mastodon.social' }] });
  });
});

describe('webhook URLs refused on save name their field', () => {
  it('alert_rules.url_not_allowed names webhookUrl', async () => {
    const brand = await strict.request('POST', '/v1/brands', { key: strictKey, body: { name: 'Acme', role: 'own', query: 'acme' } });
    expect(brand.status, brand.text).toBe(201);
    const error = await refused(strict, strictKey, 'POST', '/v1/alert-rules', { brandId: brand.json.id, webhookUrl: 'http://127.0.0.1:9/hook' }, 'alert_rules.url_not_allowed');
    expect(error.fields).toEqual([{ field: 'webhookUrl', message: expect.stringMatching(/loopback|private|not allowed/i) }]);
    expect(error.message.startsWith('webhookUrl: '), error.message).toBe(true);
  });

  it('workspaces.url_not_allowed names digestWebhookUrl', async () => {
    const error = await refused(strict, strictKey, 'PATCH', '/v1/workspace', { digestWebhookUrl: 'http://10.0.0.1/digest' }, 'workspaces.url_not_allowed');
    expect(error.fields).toEqual([{ field: 'digestWebhookUrl', message: expect.stringMatching(/private|not allowed/i) }]);
    expect(error.message.startsWith('digestWebhookUrl: '), error.message).toBe(true);
  });
});

describe('credentials are sent only over https, unless private networks are allowed', () => {
  const bluesky = { type: 'bluesky', query: 'acme', credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' }, enabled: false };
  const reddit = { type: 'reddit', subreddit: 'acme', credentials: { clientId: 'client', clientSecret: 'secret' }, enabled: false };

  it('a source with credentials and an http:// baseUrl or oauthBaseUrl is refused, naming the field', async () => {
    const http = await refused(strict, strictKey, 'POST', '/v1/sources', { ...bluesky, baseUrl: PUBLIC }, 'validation.failed');
    expect(http.fields).toEqual([{ field: 'baseUrl', message: expect.stringContaining('https://') }]);
    const oauth = await refused(strict, strictKey, 'POST', '/v1/sources', { ...reddit, baseUrl: PUBLIC.replace('http:', 'https:'), oauthBaseUrl: PUBLIC }, 'validation.failed');
    expect(oauth.fields).toEqual([{ field: 'oauthBaseUrl', message: expect.stringContaining('unencrypted') }]);
    const https = await strict.request('POST', '/v1/sources', { key: strictKey, body: { ...bluesky, baseUrl: PUBLIC.replace('http:', 'https:') } });
    expect(https.status, https.text).toBe(201);
  });

  it('on edit: giving credentials to an http source, or moving one with credentials to http, is refused; other edits are not', async () => {
    const { credentials, ...plain } = bluesky;
    const source = (await strict.request('POST', '/v1/sources', { key: strictKey, body: { ...plain, query: 'plain', baseUrl: PUBLIC } })).json;
    expect(source.id).toBeDefined();
    await refused(strict, strictKey, 'PATCH', `/v1/sources/${source.id}`, { credentials }, 'validation.failed');
    expect((await strict.request('PATCH', `/v1/sources/${source.id}`, { key: strictKey, body: { intervalSeconds: 600 } })).status).toBe(200);
    const secure = (await strict.request('POST', '/v1/sources', { key: strictKey, body: { ...bluesky, query: 'secure', baseUrl: PUBLIC.replace('http:', 'https:') } })).json;
    await refused(strict, strictKey, 'PATCH', `/v1/sources/${secure.id}`, { baseUrl: PUBLIC, credentials }, 'validation.failed');
  });

  it('where private networks are allowed (an intranet API, a test server), http is accepted', async () => {
    const res = await open.request('POST', '/v1/sources', { key: openKey, body: { ...bluesky, baseUrl: 'http://127.0.0.1:9' } });
    expect(res.status, res.text).toBe(201);
  });
});
