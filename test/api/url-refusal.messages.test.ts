import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// With private networks refused, a URL whose host resolves to a refused address is a 400; its
// message used to print the address ("vm resolves to 127.0.0.1, a loopback address"), making the
// server's resolver every key holder's oracle for internal names. `localhost` is the name every
// machine resolves to loopback, through the real resolver.

const REFUSED = 'localhost resolves to a private, loopback or reserved address';
/** What the message adds: the operator's setting, and the rule no setting lifts (what it resolved to is not told). */
const RULES =
  "this server fetches private, loopback and reserved addresses only when it runs with ALLOW_PRIVATE_NETWORKS=true, which the server's operator can set for feeds and webhooks on their own network, and link-local ones never";

let t: TestApp;
let key: string;
let brandId: string;
beforeAll(async () => {
  t = await createTestApp({ config: { ALLOW_PRIVATE_NETWORKS: 'false' } });
  key = (await t.workspace('Oracle')).key;
  brandId = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
});
afterAll(async () => t.close());

describe('a URL refused for the address its host resolves to', () => {
  it.each([
    ['POST', '/v1/sources', 'url', () => ({ type: 'rss', url: 'http://localhost:31410/f' })],
    ['PATCH', '/v1/workspace', 'digestWebhookUrl', () => ({ digestWebhookUrl: 'http://localhost:31410/' })],
    ['POST', '/v1/alert-rules', 'webhookUrl', () => ({ brandId, webhookUrl: 'http://localhost:31410/hook' })],
  ])('%s %s names %s and the host, never the address', async (method, path, field, body) => {
    const res = await t.request(method, path, { key, body: body() });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.message).toBe(`${field}: ${REFUSED}; ${RULES}`);
    expect(res.json.error.fields).toEqual([{ field, message: REFUSED }]);
    expect(res.text).not.toMatch(/127\.0\.0\.1|::1|a loopback address/);
  });

  it('an address given as such is named: the client wrote it', async () => {
    const res = await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:31410/f' } });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual([{ field: 'url', message: '127.0.0.1 is a loopback address' }]);
  });
});
