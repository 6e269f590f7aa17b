import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { createMentionSubscriber } from '../../src/infra/mention-events.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { rss } from '../support/feed-server.js';
import { silentLog } from '../support/db.js';
import { collectEvents } from '../support/sse.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, startUpstream, waitUntil, type Upstream } from '../reliability/support.js';

// GET /v1/mentions/live against a real stack: a key revoked because it leaked sends nothing more.
// The revocation is announced through Redis, so the key's streams end at once, in every API
// process, rather than at their next check of the key in Postgres (a heartbeat, 10 s here).
// Should the announcement be lost, a write still asks Postgres when its last answer is a second old.

const HEARTBEAT_MS = 10_000;
/** Well under a heartbeat: what "at once" must meet. */
const AT_ONCE_MS = 1_000;
const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack({ config: { LIVE_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
  cleanup.add(() => s.close());
});
afterAll(() => cleanup.run());

interface Envelope {
  error: { code: string; message: string; requestId: string };
}

/** A workspace with a brand, and a second key of it that can be revoked (the last usable key cannot). */
async function workspaceWithSecondKey(name: string) {
  const ws = await s.workspace(name);
  expect((await s.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Acme', role: 'own', query: 'acme' } })).status).toBe(201);
  const res = await s.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'leaked dashboard' } });
  expect(res.status).toBe(201);
  return { ...ws, second: res.json as { id: string; key: string } };
}

async function openLive(key: string, app: { request: typeof s.app.request } = s.app) {
  const res = await app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const stream = collectEvents<{ title: string }>(res);
  cleanup.add(() => stream.close());
  await waitUntil('the stream to open', () => stream.comments.includes('connected'), 5_000, 10);
  return stream;
}

const endsWithin = (ended: Promise<void>, ms: number) =>
  Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

/** A new source serving one Acme story, polled now, and everything that caused done: a mention stored and published. */
async function storeMention(key: string, path: string, title: string) {
  upstream.routes.set(path, { body: rss([{ guid: path.slice(1), title, description: `${title}.`, link: `https://revoked.example.com${path}` }]) });
  const source = await addSource(s, key, { url: upstream.url(path) });
  await fetchNow(s, key, source.id);
}

function expectRevokedOnly(stream: Awaited<ReturnType<typeof openLive>>) {
  expect(stream.events).toEqual([]);
  expect(stream.others).toHaveLength(1);
  const [last] = stream.others as Array<{ event: string; data: Envelope }>;
  expect(last!.event).toBe('error');
  expect(last!.data.error.code).toBe('auth.key_revoked');
}

describe('a live stream whose key is revoked', () => {
  it('ends at once with auth.key_revoked, and a mention stored right after the revocation never reaches it', async () => {
    const ws = await workspaceWithSecondKey('Leaked key');
    const leaked = await openLive(ws.second.key);
    // The workspace's other key keeps its stream: the mention is published, just not to the revoked key.
    const kept = await openLive(ws.key);

    const revokedAt = Date.now();
    expect((await s.request('DELETE', `/v1/api-keys/${ws.second.id}`, { key: ws.key })).status).toBe(204);
    await storeMention(ws.key, '/right-after', 'Acme right after the revocation');

    await waitUntil('the mention on the kept stream', () => kept.events.length === 1, 10_000);
    expect(kept.events[0]!.data.title).toBe('Acme right after the revocation');
    expect(await endsWithin(leaked.ended, 1)).toBe(true);
    expectRevokedOnly(leaked);
    expect(kept.others).toEqual([]);
    // Ended by the announcement, long before a heartbeat would have asked Postgres.
    expect(Date.now() - revokedAt).toBeLessThan(HEARTBEAT_MS);
  }, 20_000);

  it('ends at once with nothing else to write, before any heartbeat', async () => {
    const ws = await workspaceWithSecondKey('Idle leaked key');
    const leaked = await openLive(ws.second.key);
    expect((await s.request('DELETE', `/v1/api-keys/${ws.second.id}`, { key: ws.key })).status).toBe(204);
    expect(await endsWithin(leaked.ended, AT_ONCE_MS)).toBe(true);
    expectRevokedOnly(leaked);
    expect(leaked.comments).not.toContain('heartbeat');
  });

  it('ends at once on another API process too, which has its own subscriber connection', async () => {
    const ws = await workspaceWithSecondKey('Leaked key elsewhere');
    // A second API process: the same database and Redis prefix, its own subscriber and stream counts.
    const subscriber = createMentionSubscriber({ url: s.config.REDIS_URL, prefix: s.config.QUEUE_PREFIX, log: silentLog });
    cleanup.add(() => subscriber.close());
    const other = createApp({ ...s.deps, metrics: createMetrics(), subscriber });
    const leaked = await openLive(ws.second.key, other);

    expect((await s.request('DELETE', `/v1/api-keys/${ws.second.id}`, { key: ws.key })).status).toBe(204);
    expect(await endsWithin(leaked.ended, AT_ONCE_MS)).toBe(true);
    expectRevokedOnly(leaked);
  });

  it('when the announcement is lost, a mention stored more than a second after the last check is not sent: the write finds the key revoked', async () => {
    const ws = await workspaceWithSecondKey('Unannounced revocation');
    const leaked = await openLive(ws.second.key);
    // Its write asks Postgres about the key: valid then.
    await storeMention(ws.key, '/before', 'Acme before the revocation');
    await waitUntil('the mention before the revocation', () => leaked.events.length === 1, 10_000);
    // Revoked in Postgres only, as if Redis had lost the announcement.
    await s.db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', ws.second.id).execute();
    await new Promise((r) => setTimeout(r, 1_200));
    await storeMention(ws.key, '/unannounced', 'Acme after an unannounced revocation');

    // Ended by that write, not by the heartbeat 10 s after the stream opened.
    expect(await endsWithin(leaked.ended, AT_ONCE_MS)).toBe(true);
    expect(leaked.events.map((e) => e.data.title)).toEqual(['Acme before the revocation']);
    const [last] = leaked.others as Array<{ event: string; data: Envelope }>;
    expect(leaked.others).toHaveLength(1);
    expect(last!.data.error.code).toBe('auth.key_revoked');
  }, 20_000);
});
