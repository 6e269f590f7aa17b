import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertUrlAllowed, classifyAddress, createAddressPolicy, createHttpClient, UrlNotAllowedError } from '../../../src/infra/http/index.js';
import { fakeLookup, httpFailure, startServer, text, type TestServer } from './http-test-server.js';

describe('addresses that are never dialled', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.0.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'an unspecified address'],
    ['224.0.0.251', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['192.0.2.10', 'a documentation address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fd00::2', 'a unique local address'],
    ['fe80::1', 'a link-local address'],
    ['ff02::1', 'a multicast address'],
    ['2001:db8::1', 'a documentation address'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped address embedding 127.0.0.1, a loopback address'],
    ['64:ff9b::a9fe:a9fe', 'a NAT64 address embedding 169.254.169.254, a link-local address'],
    ['2002:c0a8:0101::1', 'a 6to4 address embedding 192.168.1.1, a private address'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'a Teredo address embedding 127.0.0.1, a loopback address'],
  ])('%s is refused as %s', (address, reason) => {
    expect(classifyAddress(address)).toEqual({ allowed: false, reason });
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s, a public address, is allowed',
    (address) => {
      expect(classifyAddress(address)).toEqual({ allowed: true });
    },
  );
});

describe('a refused fetch never reaches the loopback server', () => {
  let server: TestServer;
  let server6: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => text(res, 'secret'));
    server6 = await startServer((_req, res) => text(res, 'secret'), '::1');
  });
  afterAll(async () => {
    await server.close();
    await server6.close();
  });

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`],
    ['2130706433', (port: number) => `http://2130706433:${port}/`],
    ['0x7f.1', (port: number) => `http://0x7f.1:${port}/`],
    ['0177.0.0.1', (port: number) => `http://0177.0.0.1:${port}/`],
    ['[::ffff:127.0.0.1]', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
  ])('the literal %s is refused and the server sees no connection', async (_spelling, urlFor) => {
    const client = createHttpClient({ allowPrivateNetworks: false });
    try {
      const err = await httpFailure(client.request(urlFor(server.port)));
      expect(err.kind).toBe('address_not_allowed');
      expect(err.message).toMatch(/loopback address/);
      expect(server.connections).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('the literal [::1] is refused and the IPv6 server sees no connection', async () => {
    const client = createHttpClient({ allowPrivateNetworks: false });
    try {
      const err = await httpFailure(client.request(server6.url()));
      expect(err.kind).toBe('address_not_allowed');
      expect(server6.connections).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('the cloud metadata address is refused at once, without waiting for a connect timeout', async () => {
    const client = createHttpClient({ allowPrivateNetworks: false });
    const started = Date.now();
    try {
      const err = await httpFailure(client.request('http://169.254.169.254/latest/meta-data/'));
      expect(err.kind).toBe('address_not_allowed');
      expect(err.message).toBe('169.254.169.254 is a link-local address');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await client.close();
    }
  });

  it('a public-looking name whose resolver answers 127.0.0.1 is refused at connect', async () => {
    const { lookup, calls } = fakeLookup({ 'news.example.com': ['127.0.0.1'] });
    const client = createHttpClient({ allowPrivateNetworks: false, lookup });
    try {
      const err = await httpFailure(client.request(`http://news.example.com:${server.port}/feed`));
      expect(err.kind).toBe('address_not_allowed');
      expect(err.message).toBe('news.example.com resolves to a private, loopback or reserved address');
      expect(err).toMatchObject({ address: '127.0.0.1' });
      expect(calls).toEqual(['news.example.com']);
      expect(server.connections).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('a name resolving to a public and a private address is refused, not raced', async () => {
    const { lookup } = fakeLookup({ 'mixed.example.com': ['93.184.216.34', '127.0.0.1'] });
    const client = createHttpClient({ allowPrivateNetworks: false, lookup });
    try {
      const err = await httpFailure(client.request(`http://mixed.example.com:${server.port}/`));
      expect(err.kind).toBe('address_not_allowed');
      expect(server.connections).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('a resolver that answers public at save time and loopback at connect time is refused at connect', async () => {
    const { lookup, calls } = fakeLookup({ 'rebind.example.com': (call) => (call === 0 ? ['93.184.216.34'] : ['127.0.0.1']) });
    const url = `http://rebind.example.com:${server.port}/feed`;
    await expect(assertUrlAllowed(url, { allowPrivateNetworks: false, lookup })).resolves.toBeInstanceOf(URL);
    const client = createHttpClient({ allowPrivateNetworks: false, lookup });
    try {
      const err = await httpFailure(client.request(url));
      expect(err.kind).toBe('address_not_allowed');
      expect(calls).toEqual(['rebind.example.com', 'rebind.example.com']);
      expect(server.connections).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('with private networks allowed, the same server is reached (the refusals above are not a dead server)', async () => {
    const client = createHttpClient({ allowPrivateNetworks: true });
    try {
      const response = await client.request(`http://2130706433:${server.port}/`);
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe('secret');
      expect(server.connections).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('every redirect hop is checked at connect time', () => {
  // The first server sits on 127.0.0.2, which the client trusts explicitly (as an operator would
  // an intranet feed host); the redirect target on 127.0.0.1 is not trusted and must never be dialled.
  let start: TestServer;
  let target: TestServer;
  beforeAll(async () => {
    target = await startServer((_req, res) => text(res, 'internal'));
    start = await startServer((req, res) => {
      const location = req.url === '/to-literal' ? target.url('/admin') : `http://internal.example.com:${target.port}/admin`;
      res.writeHead(302, { location });
      res.end();
    }, '127.0.0.2');
  });
  afterAll(async () => {
    await start.close();
    await target.close();
  });

  const client = () =>
    createHttpClient({
      allowPrivateNetworks: false,
      allowedNetworks: ['127.0.0.2/32'],
      lookup: fakeLookup({ 'feeds.example.com': ['127.0.0.2'], 'internal.example.com': ['127.0.0.1'] }).lookup,
    });

  it('the trusted first hop is reached and answers with its redirect', async () => {
    const c = client();
    try {
      const response = await c.request(`http://feeds.example.com:${start.port}/to-literal`, { followRedirects: false });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe(target.url('/admin'));
    } finally {
      await c.close();
    }
  });

  it.each([
    ['/to-literal', /^redirect from http:\/\/feeds\.example\.com:\d+ refused: 127\.0\.0\.1 is a loopback address$/],
    ['/to-name', /^redirect from http:\/\/feeds\.example\.com:\d+ refused: internal\.example\.com resolves to a private, loopback or reserved address$/],
  ])('a redirect %s on loopback is refused, saying from which origin, and the target sees no connection', async (path, message) => {
    const c = client();
    try {
      const before = start.requests.length;
      const err = await httpFailure(c.request(`http://feeds.example.com:${start.port}${path}`));
      expect(err.kind).toBe('address_not_allowed');
      expect(err.message).toMatch(message);
      expect(start.requests.length).toBe(before + 1);
      expect(target.connections).toBe(0);
    } finally {
      await c.close();
    }
  });
});

describe('save-time URL validation', () => {
  const lookup = fakeLookup({
    'public.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'intranet.example.com': ['10.0.0.5'],
  }).lookup;
  const check = (url: string, allowPrivateNetworks = false) => assertUrlAllowed(url, { allowPrivateNetworks, lookup });

  it('accepts a public http or https URL', async () => {
    expect((await check('https://public.example.com/feed.xml')).href).toBe('https://public.example.com/feed.xml');
    expect((await check('http://public.example.com/')).protocol).toBe('http:');
  });

  it.each([
    ['ftp://public.example.com/feed', 'scheme', 'scheme ftp: is not allowed; use http or https'],
    ['file:///etc/passwd', 'scheme', 'scheme file: is not allowed; use http or https'],
    ['https://user:pass@public.example.com/', 'credentials', 'credentials in the URL are not allowed'],
    ['http://intranet.example.com/', 'address', 'intranet.example.com resolves to a private, loopback or reserved address'],
    ['http://127.0.0.1/', 'address', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', 'address', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'address', '::ffff:7f00:1 is an IPv4-mapped address embedding 127.0.0.1, a loopback address'],
    ['http://nowhere.example.com/', 'unresolvable', 'nowhere.example.com does not resolve (ENOTFOUND)'],
    ['not a url', 'invalid', 'the URL is not valid'],
  ])('refuses %s (%s)', async (url, reason, message) => {
    const err = await check(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UrlNotAllowedError);
    expect(err).toMatchObject({ kind: 'url_not_allowed', reason, message });
  });

  it('allowing private networks lets loopback through but still refuses other schemes and credentials', async () => {
    await expect(check('http://127.0.0.1:8080/', true)).resolves.toBeInstanceOf(URL);
    await expect(check('gopher://127.0.0.1/', true)).rejects.toMatchObject({ reason: 'scheme' });
    await expect(check('http://a:b@127.0.0.1/', true)).rejects.toMatchObject({ reason: 'credentials' });
  });
});

describe('link-local addresses are refused even where private networks are allowed', () => {
  // The metadata address of every large cloud, and IPv6 link-local: never a feed, an API or a
  // webhook, so ALLOW_PRIVATE_NETWORKS=true (and a trusted network) does not open them.
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/to-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      } else text(res, 'feed');
    });
  });
  afterAll(async () => server.close());

  it.each(['169.254.169.254', '169.254.0.1', 'fe80::1', 'febf::ffff', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe'])(
    'the policy refuses %s with private networks allowed and with it trusted',
    (address) => {
      expect(createAddressPolicy({ allowPrivateNetworks: true })(address)).toMatchObject({ allowed: false, reason: expect.stringMatching(/a link-local address$/) });
      expect(createAddressPolicy({ allowedNetworks: ['169.254.0.0/16', 'fe80::/10', '::ffff:0:0/96', '64:ff9b::/96'] })(address)).toMatchObject({ allowed: false });
    },
  );

  it.each(['127.0.0.1', '10.0.0.5', '192.168.1.1', '::1', 'fd00::2'])('the policy still lets %s through with private networks allowed', (address) => {
    expect(createAddressPolicy({ allowPrivateNetworks: true })(address)).toEqual({ allowed: true });
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[fe80::1]/hook', 'fe80::1 is a link-local address'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe is an IPv4-mapped address embedding 169.254.169.254, a link-local address'],
    ['http://metadata.example.com/computeMetadata/v1/', 'metadata.example.com resolves to a private, loopback or reserved address'],
  ])('%s is refused when saved', async (url, message) => {
    const lookup = fakeLookup({ 'metadata.example.com': ['169.254.169.254'] }).lookup;
    await expect(assertUrlAllowed(url, { allowPrivateNetworks: true, lookup })).rejects.toMatchObject({ kind: 'url_not_allowed', reason: 'address', message });
  });

  it('a loopback URL, or a name that does not resolve, is still accepted when saved', async () => {
    const lookup = fakeLookup({ 'intranet.example.com': ['10.0.0.5'] }).lookup;
    await expect(assertUrlAllowed(server.url('/feed'), { allowPrivateNetworks: true, lookup })).resolves.toBeInstanceOf(URL);
    await expect(assertUrlAllowed('http://intranet.example.com/feed', { allowPrivateNetworks: true, lookup })).resolves.toBeInstanceOf(URL);
    await expect(assertUrlAllowed('http://nowhere.example.com/feed', { allowPrivateNetworks: true, lookup })).resolves.toBeInstanceOf(URL);
  });

  it('at connect time the literal, a name resolving to it and a redirect to it are refused at once; loopback is reached', async () => {
    const { lookup } = fakeLookup({ 'metadata.example.com': ['169.254.169.254'], 'feeds.example.com': ['127.0.0.1'] });
    const client = createHttpClient({ allowPrivateNetworks: true, connectTimeoutMs: 500, lookup });
    try {
      const started = Date.now();
      const literal = await httpFailure(client.request('http://169.254.169.254/latest/meta-data/'));
      expect(literal).toMatchObject({ kind: 'address_not_allowed', message: '169.254.169.254 is a link-local address' });
      const v6 = await httpFailure(client.request('http://[fe80::1]/'));
      expect(v6).toMatchObject({ kind: 'address_not_allowed', message: 'fe80::1 is a link-local address' });
      const named = await httpFailure(client.request('http://metadata.example.com/computeMetadata/v1/'));
      expect(named).toMatchObject({ kind: 'address_not_allowed', address: '169.254.169.254' });
      // Refused before any socket: no connect timeout was waited for.
      expect(Date.now() - started).toBeLessThan(400);

      const feed = await client.request(`http://feeds.example.com:${server.port}/feed`);
      expect(feed.body.toString()).toBe('feed');
      const redirected = await httpFailure(client.request(server.url('/to-metadata')));
      expect(redirected).toMatchObject({ kind: 'address_not_allowed', message: `redirect from ${new URL(server.url('/')).origin} refused: 169.254.169.254 is a link-local address` });
      expect(redirected).toMatchObject({ refusal: '169.254.169.254 is a link-local address', redirectedFrom: new URL(server.url('/')).origin, linkLocal: true, byName: false });
      expect(server.requests.map((r) => r.url)).toEqual(['/feed', '/to-metadata']);
    } finally {
      await client.close();
    }
  });
});
