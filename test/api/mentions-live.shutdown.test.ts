import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/runtime.js';
import { ADMIN_TOKEN, startApiRole } from '../support/app.js';

// A shutdown ends live streams cleanly, with a retry hint, at its start: clients reconnect with
// their last event id instead of seeing their connection cut when the server drops it.

let running: Running;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ running, stop } = await startApiRole());
});
afterAll(async () => stop?.());

describe('live streams at shutdown', () => {
  it('end at once with a retry hint, as a complete response', async () => {
    const base = `http://127.0.0.1:${running.port}`;
    const created = await fetch(`${base}/v1/workspaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Živě' }),
    });
    const { apiKey } = (await created.json()) as { apiKey: string };
    const streams = await Promise.all([0, 1].map(() => fetch(`${base}/v1/mentions/live`, { headers: { authorization: `Bearer ${apiKey}` } })));
    for (const res of streams) expect(res.status).toBe(200);
    const readers = streams.map(async (res) => {
      let text = '';
      // A response cut off without its last chunk rejects here (undici: "terminated").
      for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) text += chunk;
      return text;
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // connected and subscribed

    const started = Date.now();
    const stopping = running.shutdown.shutdown('test');
    const texts = await Promise.all(readers);
    // Well before the server's 5 s drain would drop the connections.
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const text of texts) expect(text).toMatch(/^: connected\n\n[\s\S]*retry: 1000\n\n$/);
    expect(await stopping).toBe(true);
  });
});
