import type { LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { blueskyConnector } from '../../src/connectors/bluesky.connector.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { sourceHost } from '../../src/domain/sources/sources.config.js';
import { createHttpClient } from '../../src/infra/http/index.js';
import { fixtureJson, pollFailure, pollOnce, startApi, type ApiServer } from './api-server.js';

// Bluesky's AppView (public.api.bsky.app, api.bsky.app) serves reads and takes no logins: a
// source with credentials must never send the account's identifier and app password there. A
// local server stands in for the AppView: the test's resolver sends Bluesky's names to it.

const credentials = { identifier: 'earshot.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };

/** Bluesky's host names, answered with 127.0.0.1, so their requests reach the local server. */
const toLocal: LookupFunction = (hostname, options, callback) => {
  const all = typeof options === 'object' && options?.all;
  if (all) (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
  void hostname;
};

let api: ApiServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** A stand-in AppView that answers search and would answer a login too, as a careless server might. */
async function appView() {
  api = await startApi((req) => {
    if (req.path === '/xrpc/com.atproto.server.createSession') return { body: fixtureJson('bluesky/createSession.json') };
    if (req.path === '/xrpc/app.bsky.feed.searchPosts') return { body: fixtureJson('bluesky/searchPosts.json') };
    return { status: 404, body: { error: 'MethodNotImplemented' } };
  });
  return new URL(api.origin).port;
}

describe('Bluesky credentials and the AppView', () => {
  for (const host of ['public.api.bsky.app', 'API.bsky.app.']) {
    it(`a source with credentials and baseUrl on ${host} stops before any request, naming baseUrl`, async () => {
      const port = await appView();
      const http = createHttpClient({ allowPrivateNetworks: true, lookup: toLocal });
      try {
        const err = await pollFailure(pollOnce(blueskyConnector, { config: { query: 'acme', baseUrl: `http://${host}:${port}` }, credentials, http }));
        expect(err).toBeInstanceOf(SourceFetchError);
        expect(err.message).toMatch(/^the Bluesky credentials were not sent: baseUrl is Bluesky's AppView \((public\.)?api\.bsky\.app\), which takes no logins/);
        expect((err as SourceFetchError).details).toMatchObject({ permanent: true });
        expect(err.message).not.toContain(credentials.appPassword);
      } finally {
        await http.close();
      }
      // Nothing reached the stand-in: no login, no search.
      expect(api!.received).toEqual([]);
    });
  }

  it('without credentials the same AppView baseUrl is searched as before', async () => {
    const port = await appView();
    const http = createHttpClient({ allowPrivateNetworks: true, lookup: toLocal });
    try {
      const result = await pollOnce(blueskyConnector, { config: { query: 'acme', baseUrl: `http://public.api.bsky.app:${port}` }, http });
      expect(result.items.length).toBeGreaterThan(0);
    } finally {
      await http.close();
    }
    expect(api!.received.length).toBeGreaterThan(0);
    expect(new Set(api!.received.map((r) => r.path))).toEqual(new Set(['/xrpc/app.bsky.feed.searchPosts']));
    expect(api!.received.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('the save-time check names baseUrl for the AppView and nothing for the account service or a PDS', () => {
    const problems = (baseUrl?: string) => blueskyConnector.credentialTargetProblems!(blueskyConnector.config.parse({ query: 'acme', ...(baseUrl ? { baseUrl } : {}) }));
    expect(problems('https://public.api.bsky.app')).toEqual([{ field: 'baseUrl', message: expect.stringMatching(/^is Bluesky's AppView \(public\.api\.bsky\.app\), which takes no logins/) }]);
    expect(problems('https://API.BSKY.APP/')).toEqual([{ field: 'baseUrl', message: expect.stringContaining('(api.bsky.app)') }]);
    expect(problems()).toEqual([]);
    expect(problems('https://bsky.social')).toEqual([]);
    expect(problems('https://pds.example.org')).toEqual([]);
    expect(problems('https://public.api.bsky.app.example.org')).toEqual([]);
  });

  it("a source with credentials and no baseUrl loads the account service's host, not the public AppView's", () => {
    const config = blueskyConnector.config.parse({ query: 'acme' });
    expect(sourceHost(blueskyConnector, config)).toBe('public.api.bsky.app');
    expect(sourceHost(blueskyConnector, config, { credentialed: true })).toBe('bsky.social');
    // A baseUrl is where the polls go, with or without credentials.
    const own = blueskyConnector.config.parse({ query: 'acme', baseUrl: 'https://PDS.example.org:8443' });
    expect(sourceHost(blueskyConnector, own, { credentialed: true })).toBe('pds.example.org:8443');
  });
});
