import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ADMIN_TOKEN, createTestApp } from '../support/app.js';

// Failed authentications are counted per client address: past a burst of 10 (60 a minute), the
// address's failures get 429 instead of 401, while right tokens from it are still served. Over a
// real socket, since requests made in-process have no address and are not counted.

async function listen(options: Parameters<typeof createTestApp>[0] = {}) {
  const t = await createTestApp(options);
  const server: ServerType = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = (path: string, token: string, init: { method?: string; body?: string; forwardedFor?: string } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body === undefined ? {} : { body: init.body }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.forwardedFor ? { 'x-forwarded-for': init.forwardedFor } : {}) },
    });
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  };
  return { t, call, close };
}

/** Sends wrong keys until the address is limited: the statuses seen. */
async function failUntilLimited(call: (token: string) => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 14; i++) statuses.push((await call(`esk_wrong${i}`)).status);
  return statuses;
}

describe('failed authentications from one address', () => {
  let s: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    s = await listen();
  });
  afterAll(() => s.close());

  it('past the burst get a 429 with Retry-After, while the right key and admin token from the same address are served', async () => {
    const { key } = await s.t.workspace('Guarded');
    const statuses = await failUntilLimited((token) => s.call('/v1/brands', token));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.at(-1)).toBe(429);

    const refused = await s.call('/v1/brands', 'esk_wrong-again');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('auth.too_many_failures');
    // A wrong admin token is a failure like any other; a header the server does not trust changes nothing.
    expect((await s.call('/v1/workspaces', 'wrong-admin-token-0123', { method: 'POST', body: '{"name":"x"}' })).status).toBe(429);
    expect((await s.call('/v1/brands', 'esk_wrong-forwarded', { forwardedFor: '203.0.113.9' })).status).toBe(429);

    // The right credentials are not refused for their neighbours' failures.
    expect((await s.call('/v1/brands', key)).status).toBe(200);
    expect((await s.call('/v1/workspaces', ADMIN_TOKEN, { method: 'POST', body: '{"name":"Neighbour"}' })).status).toBe(201);
  }, 20_000);

  it('counts every attempt at the admin token, right or wrong: past a burst of 10 even the right one waits', async () => {
    const fresh = await listen();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await fresh.call('/v1/workspaces', ADMIN_TOKEN, { method: 'POST', body: `{"name":"Admin burst ${i}"}` })).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
      const limited = await fresh.call('/v1/workspaces', ADMIN_TOKEN, { method: 'POST', body: '{"name":"One too many"}' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/^too many admin calls from this address; retry in \d+ s$/);
      // API keys are not the operator's choice: their holders are not limited by the admin calls.
      const { key } = await fresh.t.workspace('Unaffected');
      expect((await fresh.call('/v1/brands', key)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  }, 20_000);

  it('a token that is no API key, sent to a workspace route, is an attempt at the admin token too: the 401 that names the admin token is no way around its limit', async () => {
    const fresh = await listen();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await fresh.call('/v1/brands', ADMIN_TOKEN)).status);
      for (let i = 0; i < 5; i++) statuses.push((await fresh.call('/v1/brands', `admin-guess-${i}-0123456789`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.at(-1)).toBe(429);
      const limited = await fresh.call('/v1/workspaces', ADMIN_TOKEN, { method: 'POST', body: '{"name":"Too many"}' });
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/^too many admin calls from this address/);
    } finally {
      await fresh.close();
    }
  }, 20_000);

  it('a client sending a wrong key over and over does not lock out the valid keys behind the same address', async () => {
    const { key } = await s.t.workspace('Behind the same NAT');
    const wrong: number[] = [];
    const right: number[] = [];
    for (let i = 0; i < 30; i++) {
      wrong.push((await s.call('/v1/brands', `esk_loop${i}`)).status);
      right.push((await s.call('/v1/brands', key)).status);
    }
    expect(wrong.at(-1)).toBe(429);
    expect(right).toEqual(Array(30).fill(200));
  }, 20_000);
});

describe('with TRUSTED_PROXIES, the client behind the proxy', () => {
  let s: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    s = await listen({ config: { TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' } });
  });
  afterAll(() => s.close());
  const wrongKey = (forwardedFor: string) => s.call('/v1/brands', 'esk_wrong', { forwardedFor });

  it('is the last X-Forwarded-For hop that is not a trusted proxy, and what it writes itself is not believed', async () => {
    // The client 198.51.100.7, through a second trusted proxy (10.1.2.3) in front of this one.
    expect((await failUntilLimited(() => wrongKey('198.51.100.7, 10.1.2.3'))).at(-1)).toBe(429);
    // Another client through the same proxies is not limited.
    expect((await wrongKey('198.51.100.8, 10.1.2.3')).status).toBe(401);
    // The limited client cannot pose as another by writing hops of its own to the left.
    expect((await wrongKey('192.0.2.1, 198.51.100.7, 10.1.2.3')).status).toBe(429);
    // Its IPv4-mapped IPv6 form is the same client.
    expect((await wrongKey('::ffff:198.51.100.7')).status).toBe(429);
  }, 20_000);

  it('is counted per /64 when it has an IPv6 address, so addresses rotated within it share one limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await wrongKey(`2001:db8:1:2::${(i + 1).toString(16)}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect((await wrongKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await wrongKey('2001:db8:1:3::1')).status).toBe(401);
  }, 20_000);
});

describe('TRUSTED_PROXIES', () => {
  it('that names something other than an address or a CIDR network stops start-up, naming the entry', () => {
    for (const entry of ['proxy.internal', '10', '10.0.0.0/33', '10.0.0.0/8x', '1.2.3.4:80']) {
      expect(() => loadConfig({ TRUSTED_PROXIES: `127.0.0.1,${entry}` })).toThrow(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR network`);
    }
    expect(loadConfig({ TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8 ,fd00::/8,' }).TRUSTED_PROXIES).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    expect(loadConfig({}).TRUSTED_PROXIES).toEqual([]);
  });
});
