import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, getSource, startUpstream, type Upstream } from './support.js';

// RELIABILITY 6 through a real poll: the upstream's status becomes the source's health and its
// next fetch time. Sources poll every 60 s (the minimum), so the backoff bands below are
// 48–72 s, 96–144 s, 192–288 s (±20 % jitter) and a Retry-After of 120 s outlasts them.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

const feed = rss([{ guid: 'ok-1', title: 'Acme ok', description: 'Acme is fine' }]);

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack();
  cleanup.add(() => s.close());
  key = (await s.workspace('Statuses')).key;
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

    // Neither "poll now" nor the scheduler touches a disabled source.
    await fetchNow(s, key, id);
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
