import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/infra/http/index.js';
import { httpFailure, startServer, text, type TestServer } from './http-test-server.js';

describe('redirects', () => {
  let server: TestServer;
  let other: TestServer;
  const client = createHttpClient({ allowPrivateNetworks: true });

  beforeAll(async () => {
    other = await startServer((req, res) => text(res, JSON.stringify({ authorization: req.headers.authorization ?? null })));
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
      if (hop) {
        const left = Number(hop[1]);
        if (left === 0) return text(res, 'arrived');
        res.writeHead(302, { location: `/hop/${left - 1}` });
        return res.end();
      }
      const redirects: Record<string, [number, string]> = {
        '/to-ftp': [301, 'ftp://example.com/feed.xml'],
        '/to-credentials': [302, `${other.url('/')}`.replace('http://', 'http://user:secret@')],
        '/to-other-origin': [307, other.url('/echo')],
        '/to-same-origin': [307, '/echo'],
        '/see-other': [303, '/echo'],
        '/broken': [302, 'http://[::1'],
      };
      const redirect = redirects[url.pathname];
      if (redirect) {
        res.writeHead(redirect[0], { location: redirect[1] });
        return res.end();
      }
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => text(res, JSON.stringify({ method: req.method, body, authorization: req.headers.authorization ?? null })));
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
    await other.close();
  });

  it('five redirects are followed and the final URL and hop count are reported', async () => {
    const response = await client.request(server.url('/hop/5'));
    expect(response.body.toString()).toBe('arrived');
    expect(response.redirects).toBe(5);
    expect(response.url).toBe(server.url('/hop/0'));
  });

  it('a sixth redirect fails with too_many_redirects', async () => {
    const err = await httpFailure(client.request(server.url('/hop/6')));
        expect(err.kind).toBe('too_many_redirects');
  });

  it('a redirect to ftp: is refused, naming the scheme', async () => {
    const err = await httpFailure(client.request(server.url('/to-ftp')));
    expect(err.kind).toBe('url_not_allowed');
    expect(err.message).toMatch(/scheme ftp: is not allowed/);
  });

  it('credentials in the URL are refused before any connection', async () => {
    const before = other.connections;
    const err = await httpFailure(client.request(other.url('/').replace('http://', 'http://user:secret@')));
    expect(err.kind).toBe('url_not_allowed');
    expect(err.message).not.toContain('secret');
    expect(other.connections).toBe(before);
  });

  it('a redirect to a URL with credentials is refused', async () => {
    const err = await httpFailure(client.request(server.url('/to-credentials')));
    expect(err.kind).toBe('url_not_allowed');
    expect(err.message).toMatch(/credentials in the URL are not allowed/);
  });

  it('an unparseable Location fails with bad_redirect', async () => {
    const err = await httpFailure(client.request(server.url('/broken')));
    expect(err.kind).toBe('bad_redirect');
  });

  it('with followRedirects false, the 3xx comes back as the response', async () => {
    const response = await client.request(server.url('/hop/3'), { followRedirects: false });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/hop/2');
    expect(response.redirects).toBe(0);
  });

  it('Authorization is dropped on a cross-origin redirect and kept on a same-origin one', async () => {
    const headers = { authorization: 'Bearer s3cret' };
    const cross = await client.request(server.url('/to-other-origin'), { headers });
    expect(JSON.parse(cross.body.toString())).toEqual({ authorization: null });
    const same = await client.request(server.url('/to-same-origin'), { headers });
    expect(JSON.parse(same.body.toString())).toMatchObject({ authorization: 'Bearer s3cret' });
  });

  it('a 303 after a POST is followed with a GET and no body', async () => {
    const response = await client.request(server.url('/see-other'), { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(JSON.parse(response.body.toString())).toMatchObject({ method: 'GET', body: '' });
  });

  it('a 307 to another origin does not re-send a body there (it can hold a password), and says so', async () => {
    const before = other.connections;
    const err = await httpFailure(client.request(server.url('/to-other-origin'), { method: 'POST', body: '{"password":"app-pass"}', headers: { 'content-type': 'application/json' } }));
    expect(err.kind).toBe('bad_redirect');
    expect(err.message).toContain(`answered 307 to ${new URL(other.url('/')).origin}: a POST with a body is not re-sent to another origin`);
    expect(other.connections).toBe(before);
  });

  it('a 307 keeps the method and body', async () => {
    const response = await client.request(server.url('/to-same-origin'), { method: 'POST', body: 'payload' });
    expect(JSON.parse(response.body.toString())).toMatchObject({ method: 'POST', body: 'payload' });
  });
});
