import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

// Failed authentications are counted per client address: past a burst of 10 (60 a minute), the
// address's tokens are not looked at until the limit allows again. Over a real socket, since
// requests made in-process have no address and are not counted.

let t: TestApp;
let server: ServerType;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const call = (path: string, token: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

describe('failed authentications from one address', () => {
  it('past the burst get a 429 with Retry-After, for API keys and the admin token alike, without the token being looked at', async () => {
    const { key } = await t.workspace('Guarded');
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await call('/v1/brands', `esk_wrong${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.at(-1)).toBe(429);

    // Blocked: even the right key is not looked at until the limit allows again, and the admin route too.
    const blocked = await call('/v1/brands', key);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('auth.too_many_failures');
    expect((await call('/v1/workspaces', ADMIN_TOKEN, { method: 'POST', body: JSON.stringify({ name: 'x' }) })).status).toBe(429);

    // In-process requests (no address) are not counted: the key works there.
    expect((await t.request('GET', '/v1/brands', { key })).status).toBe(200);

    // Once the limit allows again, the right key works over the socket too.
    const retryAfter = Number(blocked.headers.get('retry-after'));
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    expect((await call('/v1/brands', key)).status).toBe(200);
  }, 20_000);
});
