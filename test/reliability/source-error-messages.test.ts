import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { createHttpClient, type HttpClient } from '../../src/infra/http/index.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, getSource, pollDepsOf } from './support.js';
import { createTestStack } from '../support/stack.js';

// A source's health is read by someone deciding what to do: lastStatus is what the upstream
// answered even when its body could not be read, and lastError says what went wrong in words,
// not as a quoted error page, and what setting or choice would mend it.

const cleanup = cleanupList();
let s: TestStack;
let key: string;
let origin: string;
let connections = 0;
const drips = new Set<NodeJS.Timeout>();

const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function answer(path: string, res: ServerResponse): void {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  if (path.startsWith('/huge/')) {
    // 40 MiB announced, a few bytes sent: the client stops at the announcement.
    res.writeHead(200, { ...json, 'content-length': String(40 * 1024 * 1024) });
    res.write('{"hits":[');
  } else if (path.startsWith('/drip/')) {
    res.writeHead(200, json);
    res.write('{"hits":[');
    const timer = setInterval(() => res.write(' '), 50);
    drips.add(timer);
    res.on('close', () => clearInterval(timer));
  } else if (path.startsWith('/bad-gateway/')) {
    res.writeHead(502, { 'content-type': 'text/html', server: 'nginx' }).end(NGINX_502);
  } else if (path.startsWith('/login-401/')) {
    res.writeHead(401, json).end('{"error":"This API requires an authenticated user"}');
  } else if (path.startsWith('/login-422/')) {
    res.writeHead(422, json).end('{"error":"This method requires an authenticated user"}');
  } else if (path.startsWith('/to-metadata/')) {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  } else {
    res.writeHead(404, json).end('{"message":"Not Found"}');
  }
}

beforeAll(async () => {
  const server: Server = createServer((req, res) => answer(req.url ?? '/', res));
  server.on('connection', () => void connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanup.add(async () => {
    for (const timer of drips) clearInterval(timer);
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  s = await createTestStack();
  cleanup.add(() => s.close());
  key = (await s.workspace('Source errors')).key;
});
afterAll(() => cleanup.run());

/** One poll of the source through the fetch job's own use-case, with the given HTTP client. */
async function pollWith(http: HttpClient, id: string) {
  try {
    await pollSource({ ...pollDepsOf(s, { http }), sourceId: id, now: new Date() });
  } finally {
    await http.close();
  }
  return getSource(s, key, id);
}

describe('an answer whose body could not be read keeps its status', () => {
  it('a 200 announcing 40 MiB, over the 16 MiB cap, is recorded as 200 with the size problem', async () => {
    const { id } = await addSource(s, key, { type: 'hackernews', query: 'lumo', baseUrl: `${origin}/huge/api/v1` });
    await fetchNow(s, key, id);
    expect(await getSource(s, key, id)).toMatchObject({ lastStatus: 200, lastError: expect.stringMatching(/is larger than 16777216 bytes/), consecutiveFailures: 1 });
  });

  it('a 200 whose body drips past the deadline is recorded as 200 with the timeout', async () => {
    const { id } = await addSource(s, key, { type: 'hackernews', query: 'káva', baseUrl: `${origin}/drip/api/v1` });
    const source = await pollWith(createHttpClient({ allowPrivateNetworks: true, totalTimeoutMs: 400 }), id);
    expect(source).toMatchObject({ lastStatus: 200, lastError: expect.stringMatching(/took longer than 400 ms/), consecutiveFailures: 1 });
  });
});

describe('lastError says what went wrong in words', () => {
  it("a proxy's HTML error page is quoted as its words, without markup", async () => {
    const { id } = await addSource(s, key, { type: 'hackernews', query: 'lumo', baseUrl: `${origin}/bad-gateway/api/v1` });
    await fetchNow(s, key, id);
    expect(await getSource(s, key, id)).toMatchObject({ lastStatus: 502, lastError: `HTTP 502 from ${origin}/bad-gateway/api/v1/search_by_date: 502 Bad Gateway / nginx` });
  });

  for (const status of [401, 422]) {
    it(`a Mastodon instance that refuses reads without logging in (${status}) is named, with what to do instead`, async () => {
      const { id } = await addSource(s, key, { type: 'mastodon', instance: 'closed.example', hashtag: 'کتاب‌خوانی', baseUrl: `${origin}/login-${status}` });
      await fetchNow(s, key, id);
      const source = await getSource(s, key, id);
      expect(source).toMatchObject({ lastStatus: status, enabled: true });
      expect(source.lastError).toBe(
        `closed.example does not let its hashtag timelines be read without logging in (HTTP ${status}); Earshot reads Mastodon without an account, so pick another instance for this tag`,
      );
    });
  }

  it('a source on a private address, polled by a server that no longer allows them, says the fetch was refused and which setting allows it', async () => {
    const { id } = await addSource(s, key, { type: 'hackernews', query: 'lumo', baseUrl: `${origin}/anything/api/v1` });
    const before = connections;
    const source = await pollWith(createHttpClient({ allowPrivateNetworks: false }), id);
    expect(source).toMatchObject({ lastStatus: null, consecutiveFailures: 1, enabled: true });
    expect(source.lastError).toBe(
      'the fetch was refused as a private address: 127.0.0.1 is a loopback address; this server fetches private, loopback and reserved addresses only when it runs with ALLOW_PRIVATE_NETWORKS=true',
    );
    expect(connections).toBe(before);
  });

  it('a redirect to the cloud metadata address says it was a redirect, and from which origin, without the path or query', async () => {
    const { id } = await addSource(s, key, { type: 'hackernews', query: 'secret-ish', baseUrl: `${origin}/to-metadata/api/v1` });
    await fetchNow(s, key, id);
    const source = await getSource(s, key, id);
    expect(source.lastError).toBe(
      `the fetch was refused at a redirect from ${origin}: 169.254.169.254 is a link-local address; ` +
        'link-local addresses (the cloud metadata address 169.254.169.254 among them) are never fetched, whatever the settings',
    );
    expect(source.lastError).not.toContain('secret-ish');
  });
});
