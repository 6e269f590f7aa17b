import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource, type PollDeps } from '../../src/domain/sources/poll.usecases.js';
import { fetchJobId } from '../../src/workers/catalogue.js';
import { rss } from '../support/feed-server.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, getSource, pollDepsOf, upstreamAndStack, type Upstream } from './support.js';

// RELIABILITY 6 through a real poll: the upstream's status becomes the source's health and its
// next fetch time. Sources poll every 60 s (the minimum), so the backoff bands below are
// 48–72 s, 96–144 s, 192–288 s (±20 % jitter) and a Retry-After of 120 s outlasts them.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

const feed = rss([{ guid: 'ok-1', title: 'Acme ok', description: 'Acme is fine' }]);

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Statuses'));
});
afterAll(() => cleanup.run());

/** A source on its own path, answering with `status` and `headers`; returns its id and path. */
async function sourceAnswering(status: number, headers: Record<string, string> = {}, body = 'upstream says no') {
  const path = `/s${upstream.routes.size}`;
  upstream.routes.set(path, { status, headers, body });
  const { id } = await addSource(s, key, { url: upstream.url(path), intervalSeconds: 60 });
  return { id, path };
}

/** Milliseconds from the poll to the next fetch the source got. */
const waitAfterPoll = (source: { lastFetchedAt: string | null; nextFetchAt: string }) =>
  new Date(source.nextFetchAt).getTime() - new Date(source.lastFetchedAt!).getTime();

describe('an upstream that asks us to wait is honoured', () => {
  for (const status of [429, 503]) {
    it(`when the feed answers ${status} with Retry-After in seconds, the next fetch waits exactly that long`, async () => {
      const { id } = await sourceAnswering(status, { 'retry-after': '120' });
      await fetchNow(s, key, id);
      const source = await getSource(s, key, id);
      expect(source).toMatchObject({ consecutiveFailures: 1, lastStatus: status, enabled: true });
      expect(source.lastError).toContain(`HTTP ${status}`);
      expect(waitAfterPoll(source)).toBe(120_000);
    });

    it(`when the feed answers ${status} with Retry-After as an HTTP date, the next fetch waits until that date`, async () => {
      const until = new Date(Date.now() + 600_000);
      const { id } = await sourceAnswering(status, { 'retry-after': until.toUTCString() });
      await fetchNow(s, key, id);
      const source = await getSource(s, key, id);
      expect(source).toMatchObject({ consecutiveFailures: 1, lastStatus: status });
      // The HTTP date has whole seconds: the next fetch is that instant, give or take the second it dropped.
      expect(Math.abs(new Date(source.nextFetchAt).getTime() - until.getTime())).toBeLessThan(1_000);
    });
  }

  it('a Retry-After shorter than the backoff never brings the next fetch forward', async () => {
    const { id } = await sourceAnswering(429, { 'retry-after': '1' });
    await fetchNow(s, key, id);
    const wait = waitAfterPoll(await getSource(s, key, id));
    expect(wait).toBeGreaterThanOrEqual(48_000);
    expect(wait).toBeLessThanOrEqual(72_000);
  });
});

describe('a failing source backs off and recovers', () => {
  it('when the feed keeps answering 500, each failure doubles the wait (with jitter), and a success resets the count', async () => {
    const { id, path } = await sourceAnswering(500, {}, 'Internal Server Error');
    const bands = [
      [48_000, 72_000],
      [96_000, 144_000],
      [192_000, 288_000],
    ] as const;
    const waits: number[] = [];
    for (const [i, [low, high]] of bands.entries()) {
      await fetchNow(s, key, id);
      const source = await getSource(s, key, id);
      expect(source).toMatchObject({ consecutiveFailures: i + 1, lastStatus: 500, enabled: true });
      expect(source.lastError).toMatch(/HTTP 500: Internal Server Error/);
      const wait = waitAfterPoll(source);
      expect(wait, `failure ${i + 1}`).toBeGreaterThanOrEqual(low);
      expect(wait, `failure ${i + 1}`).toBeLessThanOrEqual(high);
      waits.push(wait);
    }
    expect(waits[2]! > waits[1]! && waits[1]! > waits[0]!).toBe(true);
    expect(upstream.requests.filter((r) => r.path === path)).toHaveLength(3);

    upstream.routes.set(path, { body: feed });
    await fetchNow(s, key, id);
    const healthy = await getSource(s, key, id);
    expect(healthy).toMatchObject({ consecutiveFailures: 0, lastStatus: 200, lastError: null, enabled: true });
    // Back on its own interval: 60 s ± 10 %.
    expect(waitAfterPoll(healthy)).toBeGreaterThanOrEqual(54_000);
    expect(waitAfterPoll(healthy)).toBeLessThanOrEqual(66_000);
  });

  it('when the feed answers 410, the source is disabled with the reason, no longer polled, and re-enabling it starts afresh', async () => {
    const { id, path } = await sourceAnswering(410, {}, 'this feed has moved on');
    await fetchNow(s, key, id);
    const gone = await getSource(s, key, id);
    expect(gone).toMatchObject({ enabled: false, lastStatus: 410, consecutiveFailures: 1 });
    expect(gone.disabledReason).toMatch(/410/);
    expect(gone.lastError).toMatch(/410/);

    // Neither "poll now" (refused: 409) nor the scheduler touches a disabled source.
    const pollNow = await s.request('POST', `/v1/sources/${id}/fetch`, { key });
    expect(pollNow.status).toBe(409);
    expect(pollNow.json.error.code).toBe('sources.disabled');
    await s.drain();
    await s.db.updateTable('sources').set({ next_fetch_at: new Date(0) }).where('id', '=', id).execute();
    await s.tick();
    expect(upstream.requests.filter((r) => r.path === path)).toHaveLength(1);

    upstream.routes.set(path, { body: feed });
    const reenabled = await s.request('PATCH', `/v1/sources/${id}`, { key, body: { enabled: true } });
    expect(reenabled.json).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    await fetchNow(s, key, id);
    expect(await getSource(s, key, id)).toMatchObject({ enabled: true, lastStatus: 200, consecutiveFailures: 0, lastError: null });
  });
});

describe('a poll that fails on our side is recorded and backed off like an upstream failure', () => {
  it('an item without a guid whose 4,000-character link is its key is stored under the key\'s hash, with the rest of the feed', async () => {
    const long = `https://long.example.com/${'a'.repeat(4000)}`;
    const path = '/long-link';
    const items = `<item><guid>normal-1</guid><title>Acme normal</title><description>Acme</description></item>
      <item><title>Acme long</title><description>Acme long link</description><link>${long}</link></item>`;
    upstream.routes.set(path, { body: `<rss version="2.0"><channel><title>Long links</title>${items}</channel></rss>` });
    const { id } = await addSource(s, key, { url: upstream.url(path), intervalSeconds: 60 });
    await fetchNow(s, key, id);
    expect(await getSource(s, key, id)).toMatchObject({ consecutiveFailures: 0, lastStatus: 200, lastError: null });
    const rows = await s.db.selectFrom('mentions').select(['item_key', 'url']).where('source_id', '=', id).orderBy('item_key').execute();
    expect(rows.map((r) => r.item_key)).toEqual(['normal-1', expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    expect(rows[1]!.url).toBe(long);
  });

  it('items Postgres refuses fail the poll with a message, a failure count and a backed-off next fetch, not a job retried every tick', async () => {
    // A real refusal from the database: a constraint this test adds to its own database.
    await sql`alter table mentions add constraint refuse_for_test check (title is distinct from 'Acme refused')`.execute(s.db);
    cleanup.add(() => sql`alter table mentions drop constraint if exists refuse_for_test`.execute(s.db));
    const path = '/refused';
    upstream.routes.set(path, { body: rss([{ guid: 'refused-1', title: 'Acme refused', description: 'Acme' }]) });
    const { id } = await addSource(s, key, { url: upstream.url(path), intervalSeconds: 60 });
    const requestsBefore = upstream.requests.filter((r) => r.path === path).length;
    await fetchNow(s, key, id);
    const source = await getSource(s, key, id);
    expect(source).toMatchObject({ consecutiveFailures: 1 });
    expect(source.lastError).toContain("the poll's items could not be stored");
    expect(source.lastError).toContain('refuse_for_test');
    expect(waitAfterPoll(source)).toBeGreaterThanOrEqual(48_000);
    // One fetch, not three job attempts.
    expect(upstream.requests.filter((r) => r.path === path).length - requestsBefore).toBe(1);
    await sql`alter table mentions drop constraint refuse_for_test`.execute(s.db);
  });

  it('a source deleted while its fetch is in flight is skipped, and nothing of it is stored', async () => {
    const path = '/deleted-mid-poll';
    upstream.routes.set(path, { body: feed });
    const { id } = await addSource(s, key, { url: upstream.url(path), intervalSeconds: 60 });
    // The fetch job's own work, as src/workers/index.ts runs it, so its outcome can be read.
    const deps: PollDeps = pollDepsOf(s);
    upstream.hold();
    const poll = pollSource({ ...deps, sourceId: id, now: new Date() });
    await upstream.arrived(path, 1);
    expect((await s.request('DELETE', `/v1/sources/${id}`, { key })).status).toBe(204);
    upstream.release();
    expect(await poll).toEqual({ outcome: 'skipped', reason: 'deleted' });
    expect(await s.db.selectFrom('mentions').select('id').where('source_id', '=', id).execute()).toEqual([]);
  });
});

describe('edits to a source take effect at once', () => {
  it('a URL changed while a fetch of the old one is in flight is polled on the next tick, without the old validators', async () => {
    upstream.routes.set('/edit-old', { body: feed, headers: { etag: '"old-etag"' } });
    upstream.routes.set('/edit-new', { body: rss([{ guid: 'new-1', title: 'Acme new', description: 'Acme on the new URL' }]) });
    const { id } = await addSource(s, key, { url: upstream.url('/edit-old'), intervalSeconds: 604800 });
    upstream.hold();
    await s.request('POST', `/v1/sources/${id}/fetch`, { key });
    await upstream.arrived('/edit-old', 1);
    const patched = await s.request('PATCH', `/v1/sources/${id}`, { key, body: { url: upstream.url('/edit-new') } });
    expect(patched.status).toBe(200);
    upstream.release();
    await s.drain();
    // The old URL's poll did not push the next fetch a week away, nor leave its ETag behind.
    const source = await getSource(s, key, id);
    expect(new Date(source.nextFetchAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect((await s.db.selectFrom('sources').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBeNull();
    await s.tick();
    expect(upstream.requests.filter((r) => r.path === '/edit-new')).toHaveLength(1);
    const titles = await s.db.selectFrom('mentions').select('title').where('source_id', '=', id).execute();
    expect(titles.map((r) => r.title)).toContain('Acme new');
  });

  it('a new interval moves the next poll forward or back; an enabled source PATCHed enabled keeps its failure count', async () => {
    upstream.routes.set('/weekly', { body: feed });
    const weekly = await addSource(s, key, { url: upstream.url('/weekly'), intervalSeconds: 604800 });
    await fetchNow(s, key, weekly.id);
    const polled = await getSource(s, key, weekly.id);
    const shorter = (await s.request('PATCH', `/v1/sources/${weekly.id}`, { key, body: { intervalSeconds: 60 } })).json;
    expect(new Date(shorter.nextFetchAt).getTime()).toBeLessThanOrEqual(new Date(polled.lastFetchedAt!).getTime() + 60_000 + 1_000);
    // And a longer one pushes it back: to the last poll plus the new interval, not one more poll at the old pace.
    const longer = (await s.request('PATCH', `/v1/sources/${weekly.id}`, { key, body: { intervalSeconds: 86_400 } })).json;
    expect(new Date(longer.nextFetchAt).getTime()).toBe(new Date(polled.lastFetchedAt!).getTime() + 86_400_000);
    // A source never polled keeps its first poll, whatever its interval becomes.
    const fresh = (await addSource(s, key, { url: upstream.url('/never-polled'), intervalSeconds: 60 })) as { id: string; nextFetchAt: string };
    const lengthened = (await s.request('PATCH', `/v1/sources/${fresh.id}`, { key, body: { intervalSeconds: 86_400 } })).json;
    expect(lengthened.nextFetchAt).toBe(fresh.nextFetchAt);

    const { id } = await sourceAnswering(500);
    await fetchNow(s, key, id);
    await fetchNow(s, key, id);
    const failing = await getSource(s, key, id);
    expect(failing.consecutiveFailures).toBe(2);
    const same = (await s.request('PATCH', `/v1/sources/${id}`, { key, body: { enabled: true } })).json;
    expect(same).toMatchObject({ consecutiveFailures: 2, nextFetchAt: failing.nextFetchAt });
  });
});

describe('a fetch the tick enqueued for a source that is no longer due', () => {
  it('is skipped (its last poll moved next_fetch_at on after the tick read it), while "poll now" still polls', async () => {
    upstream.routes.set('/not-due', { body: feed });
    const { id } = await addSource(s, key, { url: upstream.url('/not-due'), intervalSeconds: 3600 });
    await fetchNow(s, key, id);
    const count = () => upstream.requests.filter((r) => r.path === '/not-due').length;
    expect(count()).toBe(1);
    // What a tick that read the source as due a moment before its poll committed enqueues.
    await s.services.queues.add('sources.fetch', { sourceId: id }, { jobId: fetchJobId(id) });
    await s.drain();
    expect(count()).toBe(1);
    await fetchNow(s, key, id);
    expect(count()).toBe(2);
  });
});
