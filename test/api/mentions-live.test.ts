import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { EventSource } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/domain/mentions/mentions.usecases.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import { mention, seed } from '../support/seed.js';
import { collectEvents } from '../support/sse.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, startUpstream, waitUntil, type Upstream } from '../reliability/support.js';

// GET /v1/mentions/live against real Postgres, Redis and workers: what a connected client gets
// when polls commit out of id order, what a reconnecting client gets, and when a stream ends.

const HEARTBEAT_MS = 200;
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

/** Opens the stream and collects its events until closed. */
async function openLive(key: string, query = '', lastEventId?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const res = await s.app.request(`/v1/mentions/live${query}`, { headers });
  expect(res.status).toBe(200);
  const stream = collectEvents<{ id: string; title: string; text: string }>(res);
  // The stream is subscribed once its first comment arrives.
  await waitUntil('the stream to open', () => stream.comments.includes('connected'), 5_000, 10);
  return { ...stream, heartbeats: () => stream.comments.filter((c) => c === 'heartbeat').length };
}

/** The route's REPLAY_MAX: mentions sent at most by one response to a resuming client. */
const REPLAY_MAX = 1000;
/** How far one response's `q=` scan reaches: the route's REPLAY_SCAN_PAGES × REPLAY_PAGE events. */
const REPLAY_SCAN = 20 * 1000;

interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  retry?: string;
}

/**
 * Opens the stream with a Last-Event-ID and keeps every message field by field, as an
 * EventSource parses them: also those without `data:`, which set the client's last event id or
 * reconnection time without dispatching an event.
 */
async function openResume(key: string, query: string, lastEventId: string) {
  const res = await s.app.request(`/v1/mentions/live${query}`, { headers: { authorization: `Bearer ${key}`, 'last-event-id': lastEventId } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  let done = false;
  const ended = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return void (done = true);
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const message: SseMessage = {};
        for (const line of buffer.slice(0, cut).split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') message.data = message.data === undefined ? text : `${message.data}\n${text}`;
          else if (field === 'event' || field === 'id' || field === 'retry') message[field] = text;
        }
        buffer = buffer.slice(cut + 2);
        if (Object.keys(message).length) messages.push(message);
      }
    }
  })();
  return {
    messages,
    mentions: () => messages.filter((m) => m.data !== undefined).map((m) => ({ id: m.id!, data: JSON.parse(m.data!) as Mention })),
    hasEnded: () => done,
    async close(): Promise<void> {
      await reader.cancel().catch(() => {});
      await ended.catch(() => {});
    },
  };
}

/** The workspace's event seqs, oldest first, as the SSE ids they are sent as. */
async function eventSeqs(workspaceId: string): Promise<string[]> {
  const rows = await s.db.selectFrom('mention_events').select('seq').where('workspace_id', '=', workspaceId).orderBy('seq').execute();
  return rows.map((r) => String(r.seq));
}

/** A mention published straight to the workspace's channel, as a poll would: shows a stream is live. */
async function publishLive(workspaceId: string, brandId: string, seq: number, text: string) {
  const now = new Date().toISOString();
  const m = { id: String(seq), title: text, text, brandIds: [brandId], keywords: [], hashtags: [], lang: 'en', source: { id: null, type: 'rss' }, sentiment: { label: 'neutral', score: 0, model: 'm' }, publishedAt: now, fetchedAt: now };
  await s.services.publisher.publish(workspaceId, [{ seq, mention: m as unknown as Mention }]);
}

const story = (guid: string, title: string): FeedItem => ({ guid, title, description: `${title}.`, link: `https://live.example.com/${guid}` });

/** `count` stories titled `${title} <i>` served at `path`, polled once as a new source, and everything that caused done. */
async function publishStories(key: string, path: string, title: string, count: number) {
  upstream.routes.set(path, { body: rss(Array.from({ length: count }, (_, i) => story(`${path.slice(1)}-${i}`, `${title} ${i}`))) });
  const source = await addSource(s, key, { url: upstream.url(path) });
  await s.request('POST', `/v1/sources/${source.id}/fetch`, { key });
  await s.drain();
}

/** A stream its client had stopped reading, read at last: what it holds, and whether the server ended it (within 5 s). */
async function readStalled(res: Response) {
  const client = collectEvents<{ title: string }>(res);
  cleanup.add(() => client.close());
  const ended = await Promise.race([client.ended.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
  return { client, ended };
}

async function workspaceWithBrand(name: string, query: string) {
  const ws = await s.workspace(name);
  const brand = (await s.request('POST', '/v1/brands', { key: ws.key, body: { name: query, role: 'own', query } })).json.id as string;
  return { ...ws, brand };
}

describe('the live stream', () => {
  it('delivers every mention when two polls commit out of id order, and a resume gets the poll that committed last', async () => {
    const ws = await workspaceWithBrand('Out of order', 'acme');
    upstream.routes.set('/slow', { body: rss(['a1', 'a2', 'a3'].map((g) => story(g, `Acme slow ${g}`))) });
    upstream.routes.set('/fast', { body: rss(['b1', 'b2'].map((g) => story(g, `Acme fast ${g}`))) });
    const slow = await addSource(s, ws.key, { url: upstream.url('/slow') });
    const fast = await addSource(s, ws.key, { url: upstream.url('/fast') });
    const client = await openLive(ws.key);
    cleanup.add(() => client.close());

    // The slow poll inserts its mentions first, then waits for its source row, which this
    // connection holds: it commits only after the fast poll has committed and published.
    const blocker = new pg.Client({ connectionString: s.config.DATABASE_URL });
    await blocker.connect();
    cleanup.add(() => blocker.end());
    await blocker.query('begin');
    await blocker.query('select 1 from sources where id = $1 for update', [slow.id]);
    await s.request('POST', `/v1/sources/${slow.id}/fetch`, { key: ws.key });
    await waitUntil('the slow poll to wait for its source row', async () => {
      const { rows } = await blocker.query(`select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid) where not l.granted and a.datname = current_database()`);
      return rows[0].n > 0;
    });
    await s.request('POST', `/v1/sources/${fast.id}/fetch`, { key: ws.key });
    await waitUntil('the fast poll to be delivered', () => client.events.length === 2);
    await blocker.query('commit');
    await s.drain();
    await waitUntil('the slow poll to be delivered', () => client.events.length === 5);

    const byTitle = new Map(client.events.map((e) => [e.data.title, e]));
    expect([...byTitle.keys()].sort()).toEqual(['Acme fast b1', 'Acme fast b2', 'Acme slow a1', 'Acme slow a2', 'Acme slow a3']);
    // The scenario: the slow poll's mentions have the lower ids, its events the higher seqs.
    const slowMentionIds = ['a1', 'a2', 'a3'].map((g) => Number(byTitle.get(`Acme slow ${g}`)!.data.id));
    const fastEvents = ['b1', 'b2'].map((g) => byTitle.get(`Acme fast ${g}`)!);
    expect(Math.max(...slowMentionIds)).toBeLessThan(Math.min(...fastEvents.map((e) => Number(e.data.id))));

    // A client that saw the fast poll and dropped resumes with the slow poll's three.
    const lastSeen = String(Math.max(...fastEvents.map((e) => Number(e.id))));
    const resumed = await openLive(ws.key, '', lastSeen);
    cleanup.add(() => resumed.close());
    await waitUntil('the replay', () => resumed.events.length === 3);
    expect(resumed.events.map((e) => e.data.title).sort()).toEqual(['Acme slow a1', 'Acme slow a2', 'Acme slow a3']);
    await resumed.close();
    await client.close();
  });

  it('a filtered resume finds the filter\'s mentions behind more than a thousand others', async () => {
    const ws = await workspaceWithBrand('Filtered resume', 'acme');
    const other = (await s.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Globex', role: 'competitor', query: 'globex' } })).json.id as string;
    const source = (await s.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: upstream.url('/unused') } })).json.id as string;
    const at = new Date(Date.now() - 3_600_000);
    await seed(s.services, { workspaceId: ws.id, sourceId: source, mentions: Array.from({ length: 1100 }, (_, i) => mention({ at, brands: [other], text: `globex ${i}` })) });
    await seed(s.services, { workspaceId: ws.id, sourceId: source, mentions: [1, 2, 3].map((i) => mention({ at, brands: [ws.brand], text: `acme ${i}` })) });

    const client = await openLive(ws.key, `?brand=${ws.brand}`, '0');
    cleanup.add(() => client.close());
    await waitUntil('the replay', () => client.events.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(client.events.map((e) => e.data.text).sort()).toEqual(['acme 1', 'acme 2', 'acme 3']);
    await client.close();
  });

  it('a Last-Event-ID above any event replays nothing and does not silence what comes next', async () => {
    const ws = await workspaceWithBrand('Future id', 'initech');
    upstream.routes.set('/future', { body: rss([story('f1', 'Initech news')]) });
    const source = await addSource(s, ws.key, { url: upstream.url('/future') });
    const client = await openLive(ws.key, '', '999999999999');
    cleanup.add(() => client.close());
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key: ws.key });
    await s.drain();
    await waitUntil('the new mention', () => client.events.length === 1);
    expect(client.events[0]!.data.title).toBe('Initech news');
    await client.close();
  });

  it('an event stored but never published (its publisher died) reaches connected clients within a few heartbeats', async () => {
    const ws = await workspaceWithBrand('Lost publish', 'hooli');
    const client = await openLive(ws.key);
    cleanup.add(() => client.close());
    await publishStories(ws.key, '/lost', 'Hooli news', 1);
    await waitUntil('the published mention', () => client.events.length === 1);
    // As a poll's transaction stores it; the process dies before publishing.
    const mentionId = Number(client.events[0]!.data.id);
    const { rows } = await sql<{ seq: string }>`insert into mention_events (workspace_id, mention_id) values (${ws.id}, ${mentionId}) returning seq`.execute(s.db);
    await waitUntil('the unpublished event', () => client.events.some((e) => e.id === String(rows[0]!.seq)), 5_000);
    expect(client.events.map((e) => e.data.title)).toEqual(['Hooli news 0', 'Hooli news 0']);
    // Found once: later heartbeats send it no more.
    await new Promise((r) => setTimeout(r, 5 * HEARTBEAT_MS));
    expect(client.events).toHaveLength(2);
    await client.close();
  });

  it('a brand or source id in upper case filters the stream as it filters the list', async () => {
    const ws = await workspaceWithBrand('Upper-case ids', 'vandelay');
    upstream.routes.set('/upper', { body: rss([story('u1', 'Vandelay imports')]) });
    const source = await addSource(s, ws.key, { url: upstream.url('/upper') });
    const byBrand = await openLive(ws.key, `?brand=${ws.brand.toUpperCase()}`);
    const bySource = await openLive(ws.key, `?source=${String(source.id).toUpperCase()}`);
    cleanup.add(() => byBrand.close());
    cleanup.add(() => bySource.close());
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key: ws.key });
    await s.drain();
    await waitUntil('both streams to get the mention', () => byBrand.events.length === 1 && bySource.events.length === 1);
    expect(byBrand.events[0]!.data.title).toBe('Vandelay imports');
    await byBrand.close();
    await bySource.close();
  });

  it('since and until filter what is delivered by when it occurred; since must be before until', async () => {
    const ws = await workspaceWithBrand('Window', 'umbrella');
    upstream.routes.set('/window', { body: rss([story('w1', 'Umbrella today')]) });
    const source = await addSource(s, ws.key, { url: upstream.url('/window') });
    const past = await openLive(ws.key, '?until=2020-01-01T00:00:00Z');
    const current = await openLive(ws.key, '?since=2020-01-01T00:00:00Z');
    cleanup.add(() => past.close());
    cleanup.add(() => current.close());
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key: ws.key });
    await s.drain();
    await waitUntil('the current window to get it', () => current.events.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(past.events).toEqual([]);
    const bad = await s.request('GET', '/v1/mentions/live?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', { key: ws.key });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields).toEqual([{ field: 'since', message: 'must be before until' }]);
    await past.close();
    await current.close();
  });

  it('a stream opened with a key that is then revoked ends at its next heartbeat', async () => {
    const ws = await workspaceWithBrand('Revoked', 'hooli');
    const second = (await s.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'dashboard' } })).json as { id: string; key: string };
    const client = await openLive(second.key);
    cleanup.add(() => client.close());
    await waitUntil('a heartbeat', () => client.heartbeats() > 0);
    expect((await s.request('DELETE', `/v1/api-keys/${second.id}`, { key: ws.key })).status).toBe(204);
    const ended = await Promise.race([client.ended.then(() => true), new Promise((r) => setTimeout(() => r(false), HEARTBEAT_MS * 10))]);
    expect(ended).toBe(true);
  });

  it('a client that stops reading gets nothing committed after its key is revoked, and its stream is cut', async () => {
    const ws = await workspaceWithBrand('Stalled revoked', 'pied');
    const second = (await s.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'kiosk' } })).json as { id: string; key: string };
    // Opened and then not read: the server's writes wait for it after the first few events.
    const res = await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${second.key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    await new Promise((r) => setTimeout(r, 100));
    await publishStories(ws.key, '/stalled-before', 'Pied before', 30);

    expect((await s.request('DELETE', `/v1/api-keys/${second.id}`, { key: ws.key })).status).toBe(204);
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 2));
    await publishStories(ws.key, '/stalled-after', 'Pied after', 5);
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 3));

    // The client reads at last: what was written while the key was valid, then the end.
    const { client, ended } = await readStalled(res);
    expect(ended).toBe(true);
    expect(client.events.filter((e) => e.data.title.startsWith('Pied after'))).toEqual([]);
    expect(client.events.length).toBeLessThan(30);
  });

  it('a client that stops reading with a valid key is cut after two heartbeats, and resumes from its last event', async () => {
    const ws = await workspaceWithBrand('Stalled', 'hooli');
    const res = await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${ws.key}` } });
    await new Promise((r) => setTimeout(r, 100));
    await publishStories(ws.key, '/stalled', 'Hooli', 30);
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 4));

    const { client, ended } = await readStalled(res);
    expect(ended).toBe(true);
    expect(client.events.length).toBeLessThan(30);
    const metrics = (await s.request('GET', '/metrics')).text;
    expect(metrics).toMatch(/earshot_live_streams_cut_total\{reason="stalled"\} [1-9]/);
    expect(metrics).toMatch(/^earshot_live_streams \d+$/m);
    // Reconnecting with the last id it got replays the rest from Postgres.
    const resumed = await openLive(ws.key, '', client.events.at(-1)?.id ?? '0');
    cleanup.add(() => resumed.close());
    await waitUntil('the rest', () => client.events.length + resumed.events.length === 30);
    expect(new Set([...client.events, ...resumed.events].map((e) => e.data.title)).size).toBe(30);
  });

  it('an empty Last-Event-ID is no id: the stream goes live', async () => {
    const ws = await workspaceWithBrand('Empty id', 'globex');
    const client = await openLive(ws.key, '', '');
    cleanup.add(() => client.close());
    await waitUntil('a heartbeat', () => client.heartbeats() > 0);
  });

  it('a message in another shape on the channel (an older process during an upgrade) is skipped, and the stream goes on', async () => {
    const ws = await workspaceWithBrand('Mixed versions', 'acme');
    upstream.routes.set('/mixed', { body: rss([story('m1', 'Acme after the odd message')]) });
    const source = await addSource(s, ws.key, { url: upstream.url('/mixed') });
    const client = await openLive(ws.key);
    cleanup.add(() => client.close());
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      // Bare mentions without event seqs (the previous version's shape), and not JSON at all.
      const redis = s.services.redis;
      await redis.publish(`${s.config.QUEUE_PREFIX}:live-events:${ws.id}`, JSON.stringify([{ id: '1', title: 'old shape' }]));
      await redis.publish(`${s.config.QUEUE_PREFIX}:live-events:${ws.id}`, 'not json');
      await s.request('POST', `/v1/sources/${source.id}/fetch`, { key: ws.key });
      await s.drain();
      await waitUntil('the new mention', () => client.events.length === 1);
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    expect(client.events[0]!.data.title).toBe('Acme after the odd message');
    await client.close();
  });

  it('a client that reads slower than events come is cut off rather than buffered without end', async () => {
    const ws = await workspaceWithBrand('Slow reader', 'acme');
    const res = await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${ws.key}` } });
    const reader = res.body!.getReader();
    await reader.read(); // ': connected': subscribed
    const now = new Date().toISOString();
    const base = { title: 'Acme', text: 'acme', brandIds: [ws.brand], keywords: [], hashtags: [], lang: 'en', source: { id: null, type: 'rss' }, sentiment: { label: 'neutral', score: 0, model: 'm' }, publishedAt: now, fetchedAt: now };
    // Published straight to the workspace's channel while this client reads nothing.
    const events = Array.from({ length: 10_050 }, (_, i) => ({ seq: 1_000_000 + i, mention: { ...base, id: String(1_000_000 + i) } as unknown as Mention }));
    await s.services.publisher.publish(ws.id, events);
    let received = 0;
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += (new TextDecoder().decode(value).match(/event: mention/g) ?? []).length;
      if (Date.now() > deadline) throw new Error('the stream was not ended');
    }
    expect(received).toBeLessThan(events.length);
  });

  it('a resume behind more than REPLAY_MAX mentions is sent in parts: each ends with where to resume, and following it loses none', async () => {
    const ws = await workspaceWithBrand('Long resume', 'acme');
    const source = (await s.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: upstream.url('/unused') } })).json.id as string;
    const at = new Date(Date.now() - 3_600_000);
    await seed(s.services, { workspaceId: ws.id, sourceId: source, mentions: Array.from({ length: 1500 }, (_, i) => mention({ at, brands: [ws.brand], text: `acme ${i}` })) });
    const seqs = await eventSeqs(ws.id);
    expect(seqs).toHaveLength(1500);

    const first = await openResume(ws.key, '', '0');
    cleanup.add(() => first.close());
    await waitUntil('the first part to end', () => first.hasEnded(), 5_000);
    expect(first.mentions().map((e) => e.id)).toEqual(seqs.slice(0, REPLAY_MAX));
    // Last: no data, so no event; the id to resume from and a short reconnection time.
    const resume = first.messages.at(-1)!;
    expect(resume).toEqual({ id: seqs[REPLAY_MAX - 1], retry: expect.stringMatching(/^\d+$/) });
    expect(Number(resume.retry)).toBeLessThanOrEqual(1000);

    const second = await openResume(ws.key, '', resume.id!);
    cleanup.add(() => second.close());
    await waitUntil('the rest', () => second.mentions().length === 1500 - REPLAY_MAX);
    // The rest reaches the newest event, so this response goes live.
    await publishLive(ws.id, ws.brand, Number(seqs.at(-1)) + 1_000_000, 'acme live');
    await waitUntil('the live mention', () => second.mentions().length === 1500 - REPLAY_MAX + 1);
    expect(second.hasEnded()).toBe(false);
    expect(second.messages.some((m) => m.data === undefined && m.id !== undefined)).toBe(false);
    // A later drop is retried at the usual pace again, not the catch-up one.
    expect(second.messages).toContainEqual({ retry: '3000' });
    const ids = [...first.mentions(), ...second.mentions()].map((e) => e.id);
    expect(ids).toEqual([...seqs, String(Number(seqs.at(-1)) + 1_000_000)]);
    await first.close();
    await second.close();
  });

  it('a q= resume whose matches lie past one scan sends no mention but moves the id on, and following the ids reaches them', async () => {
    const ws = await workspaceWithBrand('Long filtered resume', 'acme');
    const source = (await s.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: upstream.url('/unused') } })).json.id as string;
    const at = new Date(Date.now() - 3_600_000);
    const [noise] = await seed(s.services, { workspaceId: ws.id, sourceId: source, mentions: [mention({ at, brands: [ws.brand], text: 'globex only' })] });
    // More events than one scan reads, all of the one mention q= does not match: one statement.
    await sql`insert into mention_events (workspace_id, mention_id) select ${ws.id}::uuid, ${noise!.id}::bigint from generate_series(1, ${REPLAY_SCAN + 500})`.execute(s.db);
    await seed(s.services, { workspaceId: ws.id, sourceId: source, mentions: [1, 2, 3].map((i) => mention({ at, brands: [ws.brand], text: `acme ${i}` })) });
    const seqs = await eventSeqs(ws.id);

    const first = await openResume(ws.key, '?q=acme', '0');
    cleanup.add(() => first.close());
    await waitUntil('the first scan to end', () => first.hasEnded(), 10_000);
    expect(first.mentions()).toEqual([]);
    // The id moves on to the last event scanned, so the next response does not scan the same ones.
    expect(first.messages).toEqual([{ id: seqs[REPLAY_SCAN - 1], retry: expect.stringMatching(/^\d+$/) }]);

    const second = await openResume(ws.key, '?q=acme', first.messages[0]!.id!);
    cleanup.add(() => second.close());
    await waitUntil('the matches', () => second.mentions().length === 3);
    expect(second.mentions().map((e) => e.data.text)).toEqual(['acme 1', 'acme 2', 'acme 3']);
    expect(second.mentions().map((e) => e.id)).toEqual(seqs.slice(-3));
    await publishLive(ws.id, ws.brand, Number(seqs.at(-1)) + 1_000_000, 'acme live');
    await waitUntil('the live mention', () => second.mentions().length === 4);
    expect(second.hasEnded()).toBe(false);
    await first.close();
    await second.close();
  });

  it('an EventSource that resumes far behind follows the resume ids by itself and gets every mention once, in order', async () => {
    const ws = await workspaceWithBrand('EventSource resume', 'acme');
    const source = (await s.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: upstream.url('/unused') } })).json.id as string;
    const at = new Date(Date.now() - 3_600_000);
    await seed(s.services, { workspaceId: ws.id, sourceId: source, mentions: Array.from({ length: 2500 }, (_, i) => mention({ at, brands: [ws.brand], text: `acme ${i}` })) });
    const seqs = await eventSeqs(ws.id);

    // A real HTTP server in front of the app that adds the key, which an EventSource cannot send,
    // and on the first request the Last-Event-ID a browser sends after a drop: event 0.
    const lastEventIds: Array<string | null> = [];
    const server = serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req: Request) => {
        const headers = new Headers(req.headers);
        lastEventIds.push(headers.get('last-event-id'));
        headers.set('authorization', `Bearer ${ws.key}`);
        if (!headers.has('last-event-id')) headers.set('last-event-id', '0');
        return s.app.fetch(new Request(req.url, { headers, signal: req.signal }));
      },
    });
    cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    const es = new EventSource(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/mentions/live`);
    cleanup.add(() => es.close());
    const received: string[] = [];
    let unnamed = 0;
    es.addEventListener('mention', (e) => received.push((e as MessageEvent).lastEventId));
    es.onmessage = () => unnamed++;

    await waitUntil('every mention', () => received.length === seqs.length, 15_000);
    expect(received).toEqual(seqs);
    // The resume messages dispatched nothing; each reconnection asked for the next part.
    expect(unnamed).toBe(0);
    expect(lastEventIds).toEqual([null, seqs[REPLAY_MAX - 1], seqs[2 * REPLAY_MAX - 1]]);
    es.close();
  });
});
