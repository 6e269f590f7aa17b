import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

/**
 * RELIABILITY 23, oversized bodies over a real socket (validation.test.ts goes through
 * app.request with one route): with and without Content-Length, on every writing route, before
 * auth and before any parse, the answer is the 400 envelope, never a 500 or a hang.
 */
let t: TestApp;
let server: ServerType;
let port: number;
let key: string;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Big bodies')).key;
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

// A fresh connection each time (agent: false): the point is the answer to one oversized body.
function send(method: string, path: string, body: Buffer, { chunked, token }: { chunked: boolean; token: string }) {
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': body.length }) } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    if (chunked) {
      // Sent in 16 KiB pieces, so the limit is met while the body is still arriving.
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

describe('bodies over 256 KiB', () => {
  it('answer 400 validation.failed on every writing route, with or without Content-Length', async () => {
    const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(300 * 1024) }));
    const routes: Array<[string, string, string]> = [
      ['POST', '/v1/brands', key],
      ['PATCH', '/v1/brands/00000000-0000-4000-8000-000000000000', key],
      ['POST', '/v1/sources', key],
      ['POST', '/v1/alert-rules', key],
      ['PATCH', '/v1/workspace', key],
      ['POST', '/v1/digests', key],
      ['POST', '/v1/api-keys', key],
      ['POST', '/v1/workspaces', ADMIN_TOKEN],
      ['POST', '/v1/brands', 'esk_not-a-key'], // refused before the key is even looked at
    ];
    for (const [method, path, token] of routes) {
      for (const chunked of [false, true]) {
        const res = await send(method, path, big, { chunked, token });
        expect(res.status, `${method} ${path} chunked=${chunked}`).toBe(400);
        expect(res.json.error).toMatchObject({ code: 'validation.failed', requestId: expect.any(String) });
        expect(res.json.error.message).toContain('256 KiB');
      }
    }
    // Just under the limit is read and judged on its content.
    const under = Buffer.from(JSON.stringify({ name: 'ok', role: 'own', query: 'ok', pad: 'y'.repeat(250 * 1024) }));
    const res = await send('POST', '/v1/brands', under, { chunked: true, token: key });
    expect(res.status).toBe(400);
    expect(res.json.error.fields.map((f: { field: string }) => f.field)).toContain('pad');
  });
});
