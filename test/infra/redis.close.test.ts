import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closeRedis, createRedis, waitForRedis } from '../../src/infra/redis.js';
import { REDIS_URL } from '../support/app.js';
import { silentLog } from '../support/db.js';

// Shutting down while Redis is away must not wait for it: a QUIT on a client that is not connected
// waits behind the commands queued for its reconnection, and the workers' connection keeps such a
// queue (BullMQ fills it), so a worker stopped during an outage hung until the shutdown timed out.

describe('closeRedis', () => {
  it('closes at once a workers’ connection that is not connected, with commands queued for its reconnection, and it tries no more', async () => {
    const client = createRedis('redis://127.0.0.1:9', { role: 'worker', log: silentLog });
    // A command queued for the reconnection, as BullMQ's worker leaves them.
    void client.get('anything').catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.status).not.toBe('ready');
    const started = Date.now();
    await closeRedis(client);
    expect(Date.now() - started).toBeLessThan(500);
    let attempts = 0;
    client.on('connecting', () => attempts++);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(attempts).toBe(0);
  });

  it('quits a connected client after the commands already sent are answered', async () => {
    const client = createRedis(REDIS_URL, { role: 'worker', log: silentLog });
    await waitForRedis(client);
    const key = `test:close:${randomUUID()}`;
    const written = client.set(key, 'kept', 'PX', 10_000);
    await closeRedis(client);
    expect(await written).toBe('OK');
    for (let i = 0; i < 50 && client.status !== 'end'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.status).toBe('end');
    const reader = createRedis(REDIS_URL, { role: 'producer', log: silentLog });
    try {
      await waitForRedis(reader);
      expect(await reader.get(key)).toBe('kept');
    } finally {
      await closeRedis(reader);
    }
  });
});
