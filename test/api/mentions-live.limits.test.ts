import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { collectEvents } from '../support/sse.js';
import { waitUntil } from '../reliability/support.js';

// Each live stream holds a subscription and a queue of up to 10,000 events: one workspace may
// hold LIVE_STREAMS_PER_WORKSPACE of them open on a process, and another workspace is not
// limited by its streams.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { LIVE_STREAMS_PER_WORKSPACE: '2', LIVE_HEARTBEAT_MS: '1000' } });
});
afterAll(async () => t.close());

const open = async (key: string) => {
  const res = await t.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) return { res, stream: null };
  const stream = collectEvents(res);
  await waitUntil('the stream to open', () => stream.comments.includes('connected'), 5_000, 10);
  return { res, stream };
};

describe('live streams per workspace', () => {
  it('past the limit a new stream is a 429 with Retry-After; a closed one frees its place; other workspaces are not counted', async () => {
    const ws = await t.workspace('Many screens');
    const other = await t.workspace('Other screens');
    const first = await open(ws.key);
    const second = await open(ws.key);
    expect([first.res.status, second.res.status]).toEqual([200, 200]);

    const third = await open(ws.key);
    expect(third.res.status).toBe(429);
    expect(third.res.headers.get('retry-after')).toBe('1');
    const body = (await third.res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('mentions.too_many_streams');
    expect(body.error.message).toContain('already has 2 live streams open on this server');

    const elsewhere = await open(other.key);
    expect(elsewhere.res.status).toBe(200);

    await first.stream!.close();
    await waitUntil('its place to be free', async () => {
      const again = await open(ws.key);
      if (again.stream) await again.stream.close();
      return again.res.status === 200;
    }, 5_000, 50);
    await second.stream!.close();
    await elsewhere.stream!.close();
  });
});
