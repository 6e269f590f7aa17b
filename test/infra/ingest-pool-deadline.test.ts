import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FeedParseError, type FeedBody } from '../../src/domain/feeds/feed.types.js';
import type { BrandSet } from '../../src/domain/mentions/compute.js';
import { createIngestPool } from '../../src/infra/ingest-pool/index.js';
import { FEED_URL, FETCHED_AT } from '../domain/feeds/support.js';
import { within } from '../support/process.js';

// A task that never finishes must not hold its thread, and the poll that waits for it, for ever:
// the event loop stays free meanwhile, so BullMQ keeps renewing the job's lock, the job never
// stalls and never ends, the source is never polled again, and a few such feeds take every
// thread. Past its deadline the task's thread is ended and replaced, and the poll fails as that
// feed's parse timeout (recorded on the source and backed off). The deadline counts from when a
// thread takes the task, not from when it was queued.

const SLOW_THREAD = fileURLToPath(new URL('./fixtures/slow-thread.mjs', import.meta.url));
const opts = { feedUrl: FEED_URL, fetchedAt: FETCHED_AT };
const body = (text: string): FeedBody => ({ bytes: Buffer.from(text), contentType: 'application/rss+xml; charset=utf-8' });
const brands: BrandSet = { workspaceId: 'ws-1', version: '1', brands: [{ id: 'brand-acme', name: 'Acme', query: 'acme' }] };
const feedRequest = (text: string) => ({ feed: { body: body(text), opts }, sourceType: 'rss' as const, fetchedAt: FETCHED_AT, isBacklog: false, brands });


describe('ingest pool deadlines', () => {
  it('a feed whose reading never finishes fails as that feed\'s parse timeout, and a new thread serves the next feed', async () => {
    const pool = createIngestPool({ threads: 1, filename: SLOW_THREAD, taskDeadlineMs: 1_000 });
    try {
      const started = Date.now();
      const err = await within(pool.parseFeed(body('LOOP'), opts), 10_000);
      expect(err).toBeInstanceOf(FeedParseError);
      expect(err).toMatchObject({ code: 'feeds.parse_timeout', message: expect.stringContaining('1000 ms') });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await within(pool.parseFeed(body('fine'), opts), 10_000)).toMatchObject({ title: 'fine' });

      // The same when the feed is read as part of preparing it.
      const died = await within(pool.prepare(feedRequest('LOOP')), 10_000);
      expect(died).toBeInstanceOf(FeedParseError);
      expect(died).toMatchObject({ code: 'feeds.parse_timeout' });
      expect(await within(pool.prepare(feedRequest('fine')), 10_000)).toMatchObject({ title: 'fine' });
    } finally {
      await pool.close();
    }
  });

  it('items whose scoring never finishes fail the poll with an error that says so, and the pool goes on', async () => {
    const pool = createIngestPool({ threads: 1, filename: SLOW_THREAD, taskDeadlineMs: 1_000 });
    try {
      const request = (title: string) => ({
        items: [{ itemKey: 'k', title, text: '', url: null, author: null, publishedAt: null, dateQuality: 'unknown' as const, hashtags: [], handles: [], categories: [] }],
        sourceType: 'hackernews' as const,
        fetchedAt: FETCHED_AT,
        isBacklog: false,
        brands,
      });
      const err = await within(pool.prepare(request('LOOP') as never), 10_000);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/took longer than 1000 ms/);
      expect(await within(pool.prepare(request('fine') as never), 10_000)).toMatchObject({ size: 1 });
    } finally {
      await pool.close();
    }
  });

  it('one stuck feed holds one thread only until its deadline: the other threads keep serving meanwhile', async () => {
    const pool = createIngestPool({ threads: 2, filename: SLOW_THREAD, taskDeadlineMs: 1_500 });
    try {
      const stuck = pool.parseFeed(body('LOOP'), opts).catch((e: unknown) => e);
      const served = await Promise.all(Array.from({ length: 4 }, (_, i) => within(pool.parseFeed(body(`feed ${i}`), opts), 1_200)));
      expect(served.map((r) => (r as { title?: string }).title)).toEqual(['feed 0', 'feed 1', 'feed 2', 'feed 3']);
      expect(await within(stuck, 10_000)).toMatchObject({ code: 'feeds.parse_timeout' });
    } finally {
      await pool.close();
    }
  });

  it('a task waiting for a thread is not charged for the wait: queued feeds that each fit the deadline all finish, in order', async () => {
    const pool = createIngestPool({ threads: 1, filename: SLOW_THREAD, taskDeadlineMs: 1_500 });
    try {
      const finished: number[] = [];
      // Four 500 ms feeds behind one thread: the last waits 1.5 s before it starts.
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) => pool.parseFeed(body('BUSY 500'), opts).then(
          (r) => (finished.push(i), r),
          (e: unknown) => e,
        )),
      );
      for (const r of results) expect(r).toMatchObject({ title: 'BUSY 500' });
      expect(finished).toEqual([0, 1, 2, 3]);
    } finally {
      await pool.close();
    }
  });

  it('closing the pool while a thread is stuck ends it at once and fails the waiting tasks instead of hanging', async () => {
    const pool = createIngestPool({ threads: 1, filename: SLOW_THREAD, taskDeadlineMs: 60_000 });
    const stuck = pool.parseFeed(body('LOOP'), opts).catch((e: unknown) => e);
    const waiting = pool.parseFeed(body('fine'), opts).catch((e: unknown) => e);
    // Let the thread take the stuck task.
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    expect(await within(pool.close(), 10_000)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await within(stuck, 1_000)).toBeInstanceOf(Error);
    expect(await within(waiting, 1_000)).toBeInstanceOf(Error);
  });
});
