import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss } from '../support/feed-server.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, fetchNow, getSource, startUpstream, type Upstream } from './support.js';

// RELIABILITY 1 and 2 through the API and the fetch job; the connector-level checks (redirect
// hops, resolvers that change their answer) are proven in test/infra/http.

const cleanup = cleanupList();
let strict: TestStack;
let lenient: TestApp;
let upstream: Upstream;
let strictKey: string;
let strictWorkspaceId: string;
let lenientKey: string;

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  upstream.routes.set('/feed', { body: rss([{ guid: 'x', title: 'Acme', description: 'Acme news' }]) });
  strict = await createTestStack({ config: { ALLOW_PRIVATE_NETWORKS: 'false' } });
  cleanup.add(() => strict.close());
  lenient = await createTestApp({ config: { ALLOW_PRIVATE_NETWORKS: 'true' } });
  cleanup.add(() => lenient.close());
  ({ id: strictWorkspaceId, key: strictKey } = await strict.workspace('Strict'));
  lenientKey = (await lenient.workspace('Lenient')).key;
});
afterAll(() => cleanup.run());

describe('URLs are checked when a source is saved', () => {
  const loopbackSpellings = (port: number) => [
    `http://127.0.0.1:${port}/feed`,
    `http://2130706433:${port}/feed`,
    `http://0x7f.1:${port}/feed`,
    `http://[::ffff:127.0.0.1]:${port}/feed`,
    `http://[::1]:${port}/feed`,
    `http://localhost:${port}/feed`,
  ];

  it('without private networks allowed, every spelling of loopback is refused with sources.url_not_allowed and the server is never contacted', async () => {
    for (const url of loopbackSpellings(upstream.port)) {
      const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url } });
      expect(res.status, url).toBe(400);
      expect(res.json.error.code, url).toBe('sources.url_not_allowed');
      expect(res.json.error.requestId, url).toBeTruthy();
    }
    // The cloud metadata address, which a refused check must never reach either.
    const metadata = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url: 'http://169.254.169.254/latest/meta-data/' } });
    expect(metadata.json.error.code).toBe('sources.url_not_allowed');
    expect(upstream.connections()).toBe(0);
    expect((await strict.request('GET', '/v1/sources', { key: strictKey })).json.items).toEqual([]);
  });

  it('other schemes and credentials in the URL are refused even where private networks are allowed', async () => {
    for (const url of [`ftp://127.0.0.1:${upstream.port}/feed`, `http://user:pw@127.0.0.1:${upstream.port}/feed`, `file:///etc/passwd`]) {
      for (const [t, key] of [
        [strict, strictKey],
        [lenient, lenientKey],
      ] as const) {
        const res = await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url } });
        expect(res.status, url).toBe(400);
        expect(['sources.url_not_allowed', 'validation.failed'], `${url}: ${res.text}`).toContain(res.json.error.code);
      }
    }
    expect(upstream.connections()).toBe(0);
    // The same server is acceptable to an operator who allows private networks: the refusals above are the policy's.
    expect((await lenient.request('POST', '/v1/sources', { key: lenientKey, body: { type: 'rss', url: upstream.url('/feed') } })).status).toBe(201);
  });

  it('a link-local address, the cloud metadata one included, is refused even where private networks are allowed', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/feed', 'http://[::ffff:169.254.169.254]/feed']) {
      const res = await lenient.request('POST', '/v1/sources', { key: lenientKey, body: { type: 'rss', url } });
      expect(res.status, `${url}: ${res.text}`).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'sources.url_not_allowed', fields: [{ field: 'url', message: expect.stringContaining('a link-local address') }] });
    }
  });
});

describe('URLs are checked again when a source is polled', () => {
  it('a loopback source saved while private networks were allowed fails its poll with a clear error once they are not, and the server never sees a connection', async () => {
    // Saved under the earlier, lenient configuration: the row exists without today's save-time check.
    const row = await strict.services.sourceRepository.insert({
      workspaceId: strictWorkspaceId,
      type: 'rss',
      config: { url: upstream.url('/feed') },
      credentials: null,
      host: '127.0.0.1',
      intervalSeconds: 900,
      enabled: true,
    });
    const before = upstream.connections();
    await fetchNow(strict, strictKey, row.id);

    const source = await getSource(strict, strictKey, row.id);
    expect(source.consecutiveFailures).toBe(1);
    expect(source.lastStatus).toBeNull();
    expect(source.lastError).toMatch(/127\.0\.0\.1/);
    expect(source.lastError).toMatch(/loopback|private|not allowed|refused/i);
    expect(source.enabled).toBe(true); // a policy refusal is not the upstream's 410: it stays, and backs off
    expect(upstream.connections()).toBe(before);
    expect(upstream.requests).toEqual([]);
    expect(await strict.db.selectFrom('mentions').select('id').execute()).toEqual([]);
  });
});
