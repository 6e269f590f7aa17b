import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssConnector } from '../../../src/connectors/rss.connector.js';
import { createHttpClient, DEFAULT_USER_AGENT, parseRetryAfter } from '../../../src/infra/http/index.js';
import { startServer, type TestServer } from './http-test-server.js';

const ETAG = '"feed-v1"';
const LAST_MODIFIED = 'Sat, 21 Nov 2026 10:00:00 GMT';
const FEED = '<rss version="2.0"><channel><title>Unchanged</title></channel></rss>';

describe('conditional GET and body hashes', () => {
  let server: TestServer;
  let version = 1;
  const client = createHttpClient({ allowPrivateNetworks: true });

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/etag') {
        if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304, { etag: ETAG }).end();
        return void res.writeHead(200, { etag: ETAG, 'content-type': 'application/rss+xml' }).end(FEED);
      }
      if (req.url === '/last-modified') {
        if (req.headers['if-modified-since'] === LAST_MODIFIED) return void res.writeHead(304).end();
        return void res.writeHead(200, { 'last-modified': LAST_MODIFIED }).end(FEED);
      }
      if (req.url === '/no-validators') return void res.writeHead(200).end(version === 1 ? FEED : FEED.replace('Unchanged', 'Changed'));
      if (req.url === '/always-304') return void res.writeHead(304).end();
      if (req.url === '/user-agent') return void res.writeHead(200).end(req.headers['user-agent'] ?? '');
      if (req.url === '/busy') return void res.writeHead(429, { 'retry-after': '120' }).end('slow down');
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('an ETag sent back as If-None-Match gets a 304 that reads as not modified with an empty body', async () => {
    const first = await client.request(server.url('/etag'));
    expect(first).toMatchObject({ status: 200, notModified: false, etag: ETAG });
    const second = await client.request(server.url('/etag'), {
      conditional: { etag: first.etag, lastModified: first.lastModified },
      previousBodyHash: first.bodyHash,
    });
    expect(second).toMatchObject({ status: 304, notModified: true, etag: ETAG, bodyHash: first.bodyHash });
    expect(second.body.length).toBe(0);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe(ETAG);
  });

  it('a Last-Modified sent back as If-Modified-Since gets a 304, keeping the validator', async () => {
    const first = await client.request(server.url('/last-modified'));
    expect(first.lastModified).toBe(LAST_MODIFIED);
    const second = await client.request(server.url('/last-modified'), { conditional: { lastModified: first.lastModified } });
    expect(second).toMatchObject({ status: 304, notModified: true, lastModified: LAST_MODIFIED });
  });

  it('a server without validators: the same body hash reads as not modified, a changed body does not', async () => {
    version = 1;
    const first = await client.request(server.url('/no-validators'));
    const same = await client.request(server.url('/no-validators'), { previousBodyHash: first.bodyHash });
    expect(same).toMatchObject({ status: 200, notModified: true, bodyHash: first.bodyHash });
    version = 2;
    const changed = await client.request(server.url('/no-validators'), { previousBodyHash: first.bodyHash });
    expect(changed.notModified).toBe(false);
    expect(changed.bodyHash).not.toBe(first.bodyHash);
  });

  it('a 304 to a request that carried no validators is not "not modified", and fails an rss poll', async () => {
    const response = await client.request(server.url('/always-304'));
    expect(response).toMatchObject({ status: 304, notModified: false });
    const poll = rssConnector.poll({
      config: { url: server.url('/always-304') },
      credentials: null,
      state: null,
      http: client,
      parseFeed: () => Promise.reject(new Error('nothing to parse')),
      now: new Date(),
    });
    await expect(poll).rejects.toThrow('HTTP 304 Not Modified to a request that carried no ETag or Last-Modified');
  });

  it('the User-Agent naming Earshot arrives at the server, and can be replaced', async () => {
    const response = await client.request(server.url('/user-agent'));
    expect(response.body.toString()).toBe(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).toMatch(/^Earshot\/\S+ \(\+https?:\/\/\S+\)$/);
    const custom = createHttpClient({ allowPrivateNetworks: true, userAgent: 'Earshot-test/1' });
    try {
      expect((await custom.request(server.url('/user-agent'))).body.toString()).toBe('Earshot-test/1');
    } finally {
      await custom.close();
    }
  });

  it('a 429 is a response, not an error, and its Retry-After is readable', async () => {
    const response = await client.request(server.url('/busy'));
    expect(response.status).toBe(429);
    expect(response.body.toString()).toBe('slow down');
    expect(parseRetryAfter(response.headers['retry-after'] ?? null, new Date())).toBe(120_000);
    expect(response.elapsedMs).toBeGreaterThan(0);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 30 ', 30_000],
    ['Sun, 22 Nov 2026 12:01:30 GMT', 90_000],
    ['Sunday, 22-Nov-26 12:00:10 GMT', 10_000],
    ['Sun Nov 22 12:00:05 2026', 5_000],
    ['Sat, 21 Nov 2026 12:00:00 GMT', 0],
    ['9'.repeat(400), 365 * 86_400_000],
    ['Sun, 22 Nov 2099 12:00:00 GMT', 365 * 86_400_000],
  ])('%j is %d ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it.each([null, '', 'soon', '-5', '1.5', 'Thu, 99 Foo 2026'])('%j is unreadable (null)', (header) => {
    expect(parseRetryAfter(header, now)).toBeNull();
  });
});
