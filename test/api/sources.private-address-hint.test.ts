import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// A feed on the user's own machine or intranet is refused on a server that does not allow private
// networks (the default). The 400 says which setting of the server's operator lets it through,
// in the words the refusal of such a fetch is recorded in (a source's lastError), and that no
// setting lets a link-local address through.

const OPERATOR_RULE =
  "this server fetches private, loopback and reserved addresses only when it runs with ALLOW_PRIVATE_NETWORKS=true, which the server's operator can set for feeds and webhooks on their own network";
const LINK_LOCAL_RULE = 'link-local addresses (the cloud metadata address 169.254.169.254 among them) are never fetched, whatever the settings';

let strict: TestApp;
let open: TestApp;
let strictKey: string;
let openKey: string;
beforeAll(async () => {
  [strict, open] = await Promise.all([createTestApp({ config: { ALLOW_PRIVATE_NETWORKS: 'false' } }), createTestApp({ config: { ALLOW_PRIVATE_NETWORKS: 'true' } })]);
  strictKey = (await strict.workspace('Strict')).key;
  openKey = (await open.workspace('Open')).key;
});
afterAll(async () => Promise.all([strict?.close(), open?.close()]));

describe('without ALLOW_PRIVATE_NETWORKS, a URL refused for its address', () => {
  it.each([
    ['http://127.0.0.1:31452/feed.xml', '127.0.0.1 is a loopback address'],
    ['http://[::1]:31452/feed.xml', '::1 is a loopback address'],
    ['http://192.168.1.20/feed.xml', '192.168.1.20 is a private address'],
  ])('%s keeps its code and status, and the message names the setting that allows it', async (url, refusal) => {
    const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('sources.url_not_allowed');
    expect(res.json.error.message).toBe(`url: ${refusal}; ${OPERATOR_RULE}`);
    expect(res.json.error.fields).toEqual([{ field: 'url', message: refusal }]);
  });

  it('a host name that resolves to one names the setting, and that link-local addresses stay refused (what it resolved to is not told)', async () => {
    const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url: 'http://localhost:31452/feed.xml' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('sources.url_not_allowed');
    expect(res.json.error.message).toBe(`url: localhost resolves to a private, loopback or reserved address; ${OPERATOR_RULE}, and link-local ones never`);
  });

  it('a link-local address is told no setting allows it', async () => {
    const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url: 'http://169.254.169.254/latest/meta-data/' } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(`url: 169.254.169.254 is a link-local address; ${LINK_LOCAL_RULE}`);
    expect(res.json.error.message).not.toContain('ALLOW_PRIVATE_NETWORKS');
  });

  it("an API type's baseUrl and a webhook URL are told the same", async () => {
    const api = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'hackernews', query: 'acme', baseUrl: 'http://10.0.0.7/api/v1' } });
    expect(api.json.error).toMatchObject({ code: 'sources.url_not_allowed', message: `baseUrl: 10.0.0.7 is a private address; ${OPERATOR_RULE}` });
    const hook = await strict.request('PATCH', '/v1/workspace', { key: strictKey, body: { digestWebhookUrl: 'http://127.0.0.1:31453/digest' } });
    expect(hook.json.error).toMatchObject({ code: 'workspaces.url_not_allowed', message: `digestWebhookUrl: 127.0.0.1 is a loopback address; ${OPERATOR_RULE}` });
  });
});

describe('with ALLOW_PRIVATE_NETWORKS=true', () => {
  it('a loopback feed is taken, and a link-local one is refused without suggesting the setting it already has', async () => {
    expect((await open.request('POST', '/v1/sources', { key: openKey, body: { type: 'rss', url: 'http://127.0.0.1:31452/feed.xml' } })).status).toBe(201);
    const res = await open.request('POST', '/v1/sources', { key: openKey, body: { type: 'rss', url: 'http://[fe80::1]/feed.xml' } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(`url: fe80::1 is a link-local address; ${LINK_LOCAL_RULE}`);
  });
});
