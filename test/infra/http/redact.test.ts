import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyExcerpt } from '../../../src/connectors/http-status.js';
import { createHttpClient, originOf, redactSecrets } from '../../../src/infra/http/index.js';

// How error messages name URLs (origin only) and what quoted upstream text loses (credentials),
// src/infra/http/redact.ts, on real responses from a server on 127.0.0.1.

let server: Server;
let origin: string;
const client = createHttpClient({ allowPrivateNetworks: true });

beforeAll(async () => {
  server = createServer((req, res) => {
    const echo = `Cannot ${req.method} ${req.url}\nAuthorization: ${req.headers.authorization ?? '-'}\nCookie: ${req.headers.cookie ?? '-'}`;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(echo);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await client.close();
  server.close();
});

describe('originOf', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/XXXX', 'https://hooks.slack.com'],
    ['http://feeds.example.com:8080/feeds/abcdefghijklmnop.rss?token=x#y', 'http://feeds.example.com:8080'],
    ['https://user:pass@example.com/', 'https://example.com'],
    ['https://zprávy.example.cz/kanál?klíč=tajné', 'https://zprávy.example.cz'],
    ['http://مثال.example:8080/خوراک', 'http://مثال.example:8080'],
    ['https://[::1]:8443/x', 'https://[::1]:8443'],
    ['not a url ?token=SECRET', 'an invalid URL'],
  ])('%s is named %s', (url, expected) => {
    expect(originOf(url)).toBe(expected);
  });
});

describe('a quoted error page loses what the request gave away', () => {
  it('the bearer token, Basic credentials and cookie the request sent, and its path and query', async () => {
    const path = '/feeds/FEEDPATHSECRET_0123456789.rss?token=QUERYSECRET&q=%C4%8Desk%C3%BD';
    const bearer = await client.request(`${origin}${path}`, { headers: { authorization: 'Bearer opaque-token-7', cookie: 'a=COOKIEVALUE1; b=COOKIEVALUE2' } });
    expect(bodyExcerpt(bearer)).toBe('Cannot GET [redacted] Authorization: Bearer [redacted] Cookie: a=[redacted]; b=[redacted]');
    const basic = await client.request(`${origin}/api/v1/access_token`, { headers: { authorization: `Basic ${Buffer.from('my-client:CLIENTSECRET').toString('base64')}` } });
    expect(bodyExcerpt(basic)).toBe('Cannot GET [redacted] Authorization: Basic [redacted] Cookie: -');
  });

  it('and anything that reads as a credential, whoever it belongs to; other text, in any script, stays', () => {
    const page = [
      'Chyba: přístup odepřen — دسترسی ممنوع — प्रवेश निषेध',
      'authorization: Bearer someone.elses.token',
      'refresh_token=rt-123456&access_token=at-654321',
      '{"accessJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "refreshJwt":"whatever-it-is"}',
      'Set-Cookie: sessionid=abc123; Path=/',
      'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
      '502 Bad Gateway / nginx',
    ].join('\n');
    expect(redactSecrets(page).split('\n')).toEqual([
      'Chyba: přístup odepřen — دسترسی ممنوع — प्रवेश निषेध',
      'authorization: Bearer [redacted]',
      'refresh_token=[redacted]&access_token=[redacted]',
      '{"accessJwt": "[redacted]", "refreshJwt":"[redacted]"}',
      'Set-Cookie: sessionid=[redacted]; Path=/',
      'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
      '502 Bad Gateway / nginx',
    ]);
  });
});

describe('a failed request names its URL by origin only', () => {
  it('a refused connection and a timeout say which host and what went wrong', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await client.request(`${closedOrigin}/services/T0/B0/HOOKSECRET?token=Q`).catch((e: Error) => e);
    expect((refused as Error).message).toMatch(new RegExp(`^request to ${closedOrigin} failed: ECONNREFUSED connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`));
    expect(refused).toMatchObject({ kind: 'network', origin: closedOrigin });

    const hanging = createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const hangingOrigin = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const quick = createHttpClient({ allowPrivateNetworks: true, totalTimeoutMs: 200 });
    try {
      const slow = await quick.request(`${hangingOrigin}/feeds/SLOWSECRET.rss?token=Q`).catch((e: Error) => e);
      expect(slow).toMatchObject({ kind: 'timeout', message: `request to ${hangingOrigin} took longer than 200 ms`, origin: hangingOrigin });
    } finally {
      await quick.close();
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});
