import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { EventSource } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents } from '../support/sse.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, waitUntil } from '../reliability/support.js';

// GET /v1/mentions/live against a real stack: a stream whose key stops being valid says why in
// one last `event: error` before it ends, so its client stops reconnecting into 401s.

const HEARTBEAT_MS = 200;
const cleanup = cleanupList();
let s: TestStack;

beforeAll(async () => {
  s = await createTestStack({ config: { LIVE_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
  cleanup.add(() => s.close());
});
afterAll(() => cleanup.run());

interface Envelope {
  error: { code: string; message: string; requestId: string };
}

/** A workspace and a second key of it, which can be revoked (the last usable key cannot). */
async function workspaceWithSecondKey(name: string, expiresAt?: string) {
  const ws = await s.workspace(name);
  const res = await s.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'dashboard', ...(expiresAt ? { expiresAt } : {}) } });
  expect(res.status).toBe(201);
  const second = res.json as { id: string; key: string };
  return { ...ws, second };
}

async function openLive(key: string) {
  const res = await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const stream = collectEvents(res);
  cleanup.add(() => stream.close());
  await waitUntil('the stream to open', () => stream.comments.includes('connected'), 5_000, 10);
  return { ...stream, requestId: res.headers.get('x-request-id') };
}

const endsWithin = (ended: Promise<void>, ms: number) =>
  Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('a live stream whose key stops being valid', () => {
  it('when the key is revoked, the stream sends event: error auth.key_revoked, then ends', async () => {
    const ws = await workspaceWithSecondKey('Revoked key stream');
    const client = await openLive(ws.second.key);
    await waitUntil('a heartbeat', () => client.comments.includes('heartbeat'));
    expect(client.others).toEqual([]);

    expect((await s.request('DELETE', `/v1/api-keys/${ws.second.id}`, { key: ws.key })).status).toBe(204);
    expect(await endsWithin(client.ended, HEARTBEAT_MS * 10)).toBe(true);

    expect(client.others).toHaveLength(1);
    const [last] = client.others as Array<{ event: string; data: Envelope }>;
    expect(last!.event).toBe('error');
    expect(last!.data.error.code).toBe('auth.key_revoked');
    expect(last!.data.error.message).toMatch(/revoked/);
    expect(last!.data.error.requestId).toBe(client.requestId);
    // What the reason spares the client: a reconnection is refused.
    expect((await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${ws.second.key}` } })).status).toBe(401);
    const metrics = (await s.request('GET', '/metrics')).text;
    expect(metrics).toMatch(/earshot_live_streams_cut_total\{reason="key"\} [1-9]/);
  });

  it('when the key expires, the stream sends event: error auth.key_expired naming when, then ends', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const ws = await workspaceWithSecondKey('Expiring key stream', expiresAt);
    const client = await openLive(ws.second.key);
    expect(await endsWithin(client.ended, 1_500 + HEARTBEAT_MS * 10)).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));

    const [last] = client.others as Array<{ event: string; data: Envelope }>;
    expect(client.others).toHaveLength(1);
    expect(last!.event).toBe('error');
    expect(last!.data.error.code).toBe('auth.key_expired');
    expect(last!.data.error.message).toContain(expiresAt);
  });

  it('an EventSource gets the reason as an error event with data, and can close instead of reconnecting', async () => {
    const ws = await workspaceWithSecondKey('Revoked key EventSource');
    // A real HTTP server in front of the app that adds the key, which an EventSource cannot send.
    const requests: number[] = [];
    const server = serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req: Request) => {
        requests.push(Date.now());
        const headers = new Headers(req.headers);
        headers.set('authorization', `Bearer ${ws.second.key}`);
        return s.app.fetch(new Request(req.url, { headers, signal: req.signal }));
      },
    });
    cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    const es = new EventSource(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/mentions/live`);
    cleanup.add(() => es.close());
    await new Promise<void>((resolve) => es.addEventListener('open', () => resolve(), { once: true }));

    const reasons: string[] = [];
    es.addEventListener('error', (e) => {
      // The EventSource's own error event (a dropped connection) has no data; the server's has the envelope.
      const data = (e as unknown as { data?: string }).data;
      if (data === undefined) return;
      reasons.push((JSON.parse(data) as Envelope).error.code);
      es.close();
    });
    expect((await s.request('DELETE', `/v1/api-keys/${ws.second.id}`, { key: ws.key })).status).toBe(204);

    await waitUntil('the reason', () => reasons.length > 0, HEARTBEAT_MS * 10);
    expect(reasons).toEqual(['auth.key_revoked']);
    expect(es.readyState).toBe(EventSource.CLOSED);
    await new Promise((r) => setTimeout(r, 500));
    expect(requests).toHaveLength(1);
  });
});
