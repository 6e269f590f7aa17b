import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, fetchNow, getSource } from '../reliability/support.js';
import { fixtureJson, startApi, type ApiServer, type Received, type Reply } from './api-server.js';

// A Bluesky source created without credentials, polled through the whole stack (real Postgres and
// Redis, the API's "poll now") against a server on 127.0.0.1 that refuses search without an account
// as Bluesky's public AppView does. It used to stay enabled, backing off to a poll every six hours,
// each failing the same way. Now it stops with the reason and the way out in words, and giving it
// credentials starts it again.

const recorded = fixtureJson('bluesky/searchPosts.json');
const session = fixtureJson('bluesky/createSession.json');
const credentials = { identifier: 'earshot.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };

/** Bluesky's public AppView refusing search: its proxy's page, or XRPC's AuthMissing. */
const REFUSALS: Record<string, Reply> = {
  'a proxy page (403)': {
    status: 403,
    headers: { 'content-type': 'text/html' },
    body: '<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1><p>Request forbidden by administrative rules.</p></body></html>',
  },
  'AuthMissing (403)': { status: 403, body: { error: 'AuthMissing', message: 'Authentication Required' } },
  'AuthMissing (401)': { status: 401, body: { error: 'AuthMissing', message: 'Authentication Required' } },
};
let refusal: Reply = REFUSALS['a proxy page (403)']!;

function route(req: Received): Reply {
  if (req.path === '/xrpc/com.atproto.server.createSession') {
    const body = JSON.parse(req.body);
    return body.identifier === credentials.identifier && body.password === credentials.appPassword
      ? { body: session }
      : { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
  }
  if (req.path === '/xrpc/app.bsky.feed.searchPosts') {
    return req.headers.authorization === `Bearer ${session.accessJwt}` ? { body: { posts: recorded.posts } } : refusal;
  }
  return { status: 404, body: { error: 'MethodNotImplemented' } };
}

let s: TestStack;
let api: ApiServer;
let key: string;

beforeAll(async () => {
  s = await createTestStack({ config: { INGEST_THREADS: '0', SECRET_KEY: randomBytes(32).toString('hex') } });
  api = await startApi(route);
  key = (await s.workspace('Bluesky account')).key;
  const brand = await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
  expect(brand.status, brand.text).toBe(201);
});
afterAll(async () => {
  await s?.close();
  await api?.close();
});

const host = () => api.origin.slice('http://'.length);
const howToGiveIt =
  'Give this source credentials, a Bluesky handle and an app password (created in Bluesky under Settings, Privacy and security, App passwords), ' +
  'with PATCH /v1/sources/:id and {"credentials": {"identifier": "yourname.bsky.social", "appPassword": "xxxx-xxxx-xxxx-xxxx"}}; that starts it again';

describe('a Bluesky source without credentials whose search is refused', () => {
  it.each([
    ['a proxy page (403)', 403, '403 Forbidden / Request forbidden by administrative rules.'],
    ['AuthMissing (403)', 403, 'AuthMissing'],
    ['AuthMissing (401)', 401, 'AuthMissing'],
  ])('answered with %s, is stopped with the reason and how to give an account', async (name, status, said) => {
    refusal = REFUSALS[name]!;
    const { id } = await addSource(s, key, { type: 'bluesky', query: `acme ${status} ${said.length}`, baseUrl: api.origin });
    await fetchNow(s, key, id);

    const reason = `Bluesky search needs an account: ${host()} refused to search without one (HTTP ${status}: ${said}), so polling stopped. ${howToGiveIt}`;
    const source = await getSource(s, key, id);
    expect(source).toMatchObject({ enabled: false, disabledReason: reason, lastError: reason, lastStatus: status, consecutiveFailures: 1, nextFetchAt: null });
    const listed = (await s.request('GET', '/v1/sources?limit=100', { key })).json.items.find((item: { id: string }) => item.id === id);
    expect(listed).toMatchObject({ enabled: false, disabledReason: reason, hasCredentials: false });
    // Not polled again by itself, and "poll now" says why.
    const again = await s.request('POST', `/v1/sources/${id}/fetch`, { key });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain('Bluesky search needs an account');
  });

  it('starts again once given credentials, and reads the search with them', async () => {
    refusal = REFUSALS['AuthMissing (401)']!;
    const { id } = await addSource(s, key, { type: 'bluesky', query: 'acme restarted', baseUrl: api.origin });
    await fetchNow(s, key, id);
    expect(await getSource(s, key, id)).toMatchObject({ enabled: false });

    const patched = await s.request('PATCH', `/v1/sources/${id}`, { key, body: { credentials } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ enabled: true, disabledReason: null, lastError: null, hasCredentials: true, consecutiveFailures: 0 });

    await fetchNow(s, key, id);
    const read = await s.request('GET', `/v1/sources/${id}`, { key });
    expect(read.json).toMatchObject({ enabled: true, lastStatus: 200, lastError: null, consecutiveFailures: 0, lastPoll: { items: recorded.posts.length } });
    expect(api.to('createSession')).toHaveLength(1);
  });
});
