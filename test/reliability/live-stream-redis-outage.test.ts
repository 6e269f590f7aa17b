import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { rss } from '../support/feed-server.js';
import { collectEvents } from '../support/sse.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, pollDepsOf, startPrivateRedis, startUpstream, waitUntil, type Upstream } from './support.js';

// RELIABILITY 13 for the live stream. Live events travel by Redis pub/sub, which keeps nothing:
// what is published while the API's subscriber connection is away is gone. A client that
// reconnects catches up with Last-Event-ID, but a stream that stays open across the outage never
// reconnects, so without more it would miss every mention committed meanwhile, for good and
// without knowing. The stream must deliver them once its subscription is back.

const cleanup = cleanupList();
let s: TestStack;
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let upstream: Upstream;
let key: string;

beforeAll(async () => {
  redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack({ config: { REDIS_URL: redis.url, LIVE_HEARTBEAT_MS: '200' } });
  cleanup.add(() => s.close());
  cleanup.add(() => redis.ensureRunning());
  await s.stopWorkers();
  key = (await s.workspace('Live outage')).key;
  expect((await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).status).toBe(201);
});
afterAll(() => cleanup.run());

/** The fetch job's work with the real publisher, and no host slot (Redis may be away). */
const poll = (sourceId: string) =>
  pollSource({
    ...pollDepsOf(s, {
      acquireHost: async () => async () => {},
      publish: (workspaceId, events) => s.services.publisher.publish(workspaceId, events),
    }),
    sourceId,
    now: new Date(),
  });

describe('a live stream open while Redis goes away and comes back', () => {
  it('gets the mentions committed during the outage once its subscription is back, then the new ones, each once', async () => {
    const res = await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const stream = collectEvents<{ id: string; title: string }>(res);
    cleanup.add(() => stream.close());
    await waitUntil('the stream to open', () => stream.comments.includes('connected'), 5_000, 10);

    upstream.routes.set('/before', { body: rss([{ guid: 'before', title: 'Acme before', description: 'Acme before the outage' }]) });
    upstream.routes.set('/during', { body: rss([{ guid: 'during', title: 'Acme during', description: 'Acme during the outage' }]) });
    upstream.routes.set('/after', { body: rss([{ guid: 'after', title: 'Acme after', description: 'Acme after the outage' }]) });
    const before = await addSource(s, key, { url: upstream.url('/before') });
    const during = await addSource(s, key, { url: upstream.url('/during') });
    const after = await addSource(s, key, { url: upstream.url('/after') });

    expect(await poll(before.id)).toMatchObject({ outcome: 'polled', matched: 1 });
    await waitUntil('the first mention to arrive live', () => stream.events.length === 1, 5_000);

    await redis.stop();
    // Stored in Postgres; its publish fails (and is only logged), as a worker's would.
    expect(await poll(during.id)).toMatchObject({ outcome: 'polled', matched: 1 });
    await redis.start();
    await waitUntil('the API to see Redis again', async () => (await s.request('GET', '/readyz')).status === 200, 30_000, 100);

    // Published once the subscriber is back; give it the time its reconnection takes.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await poll(after.id)).toMatchObject({ outcome: 'polled', matched: 1 });
    await waitUntil('the outage mention and the new one to arrive', () => stream.events.length >= 3, 10_000).catch(() => {});

    const titles = stream.events.map((e) => e.data.title);
    expect(titles.sort()).toEqual(['Acme after', 'Acme before', 'Acme during']);
    expect(new Set(stream.events.map((e) => e.id)).size).toBe(3);
  }, 60_000);
});
