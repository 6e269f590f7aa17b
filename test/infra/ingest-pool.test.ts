import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFeedItem } from '../../src/connectors/connector.types.js';
import { FeedParseError, type FeedBody } from '../../src/domain/feeds/feed.types.js';
import type { MentionBatch } from '../../src/domain/mentions/batch.js';
import { createLocalCompute, type BrandSet } from '../../src/domain/mentions/compute.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { createIngestPool } from '../../src/infra/ingest-pool/index.js';
import { FEED_URL, FETCHED_AT, FIXTURES, bigRss, watchEventLoop } from '../domain/feeds/support.js';

// The ingest pool runs the same parse and prepare code on worker threads: its answers must be
// the calling thread's answers exactly, its failures the same typed errors, and while a thread
// works the event loop must stay free.

const pool = createIngestPool({ threads: 2 });
/**
 * One thread without the warm-up (seconds of synthetic polls before its first task), for the tests
 * of task order and of closing; shared, as each thread's start loads the sources through tsx anew.
 */
const single = createIngestPool({ threads: 1, warmUp: false });
const local = createLocalCompute({ scorer: createScorer() });
afterAll(() => Promise.all([pool.close(), single.close()]));

const opts = { feedUrl: FEED_URL, fetchedAt: FETCHED_AT };
// A fresh copy per call: the pool takes the bytes over (they are detached here afterwards).
const fixture = (name: string): FeedBody => ({ bytes: readFileSync(FIXTURES + name), contentType: null });
const utf8 = (text: string): FeedBody => ({ bytes: Buffer.from(text), contentType: 'application/rss+xml; charset=utf-8' });
/** A batch as plain data: its rows decoded, so two batches compare by content. */
const rowsOf = (batch: MentionBatch) => batch.rows.flatMap((chunk) => JSON.parse(new TextDecoder().decode(chunk)) as unknown[]);
const asItems = (items: Awaited<ReturnType<typeof local.parseFeed>>['items']) => items.map(fromFeedItem);

// The pool's threads load and warm up (seconds under tsx, more on a busy machine) before the tests,
// outside the first one's time limit: piscina hands a task only to a thread that has warmed up.
beforeAll(async () => {
  const tiny = () => utf8('<rss version="2.0"><channel><title>Ready</title></channel></rss>');
  await Promise.all([pool.parseFeed(tiny(), opts), pool.parseFeed(tiny(), opts)]);
});

const brands: BrandSet = {
  workspaceId: 'ws-1',
  version: '1',
  brands: [
    { id: 'brand-acme', name: 'Acme', query: 'acme OR "example" OR #things' },
    { id: 'brand-hindi', name: 'भारत', query: 'भारत OR हिंदी' },
    { id: 'brand-tamil', name: 'தமிழ்', query: 'தமிழ்' },
  ],
};

async function outcome<T>(work: Promise<T>): Promise<{ ok: T } | { error: { class: string; code: unknown; message: string } }> {
  try {
    return { ok: await work };
  } catch (e) {
    const err = e as Error & { code?: unknown };
    return { error: { class: err.constructor.name, code: err.code, message: err.message } };
  }
}

describe('ingest pool', () => {
  const fixtures = readdirSync(FIXTURES).filter((f) => !f.startsWith('.'));

  it('parses every feed fixture exactly as the calling thread does, failures included', async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    let failures = 0;
    for (const name of fixtures) {
      const [mine, theirs] = await Promise.all([outcome(local.parseFeed(fixture(name), opts)), outcome(pool.parseFeed(fixture(name), opts))]);
      expect(theirs, name).toEqual(mine);
      if ('error' in theirs) failures++;
    }
    // The corpus has malformed, empty and hostile documents: some must have failed on both sides.
    expect(failures).toBeGreaterThan(3);
  });

  it('throws a feed failure again as the FeedParseError it was, with its code', async () => {
    const err = await pool.parseFeed(fixture('html-page.html'), opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect(err).toMatchObject({ code: 'feeds.not_a_feed', status: 422 });
  });

  it('scores and matches items exactly as the calling thread does, dates and all', async () => {
    let matched = 0;
    for (const name of ['rss-2.0.xml', 'hindi.xml', 'tamil-atom.xml', 'persian-windows-1256.xml', 'rss-entities.xml', 'large-item.xml']) {
      const feed = await local.parseFeed(fixture(name), opts);
      const request = { items: asItems(feed.items), sourceType: 'rss' as const, fetchedAt: FETCHED_AT, isBacklog: false, brands };
      const [mine, theirs] = await Promise.all([local.prepare(request), pool.prepare(request)]);
      expect(theirs.size, name).toBe(feed.items.length);
      expect(rowsOf(theirs), name).toEqual(rowsOf(mine));
      expect(theirs.matched, name).toEqual(mine.matched);
      expect(theirs.matched.every((m) => m.occurredAt instanceof Date && m.fetchedAt instanceof Date)).toBe(true);
      matched += theirs.matched.length;
    }
    expect(matched).toBeGreaterThan(0);
  });

  it('reads a fetched feed and prepares it in one task exactly as the calling thread does, failures included', async () => {
    let read = 0;
    for (const name of fixtures) {
      const request = (feed: FeedBody) => ({ feed: { body: feed, opts }, sourceType: 'rss' as const, fetchedAt: FETCHED_AT, isBacklog: false, brands });
      const [mine, theirs] = await Promise.all([outcome(local.prepare(request(fixture(name)))), outcome(pool.prepare(request(fixture(name))))]);
      if ('error' in mine || 'error' in theirs) {
        expect(theirs, name).toEqual(mine);
        continue;
      }
      // The same answer as parsing first and preparing the items after, on either thread.
      const parsed = await local.parseFeed(fixture(name), opts);
      expect(theirs.ok.size, name).toBe(new Set(parsed.items.map((item) => item.itemKey)).size);
      expect(rowsOf(theirs.ok), name).toEqual(rowsOf(mine.ok));
      expect(theirs.ok.matched, name).toEqual(mine.ok.matched);
      read++;
    }
    expect(read).toBeGreaterThan(20);
  });

  it('runs queued tasks in the order they came, so a feed fetched early is not overtaken by later ones', async () => {
    const finished: number[] = [];
    const tasks = Array.from({ length: 8 }, (_, i) =>
      single
        .prepare({ feed: { body: utf8(bigRss(100, 400)), opts }, sourceType: 'rss', fetchedAt: FETCHED_AT, isBacklog: false, brands })
        .then(() => finished.push(i)),
    );
    await Promise.all(tasks);
    expect(finished).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('recompiles a workspace matcher in the threads when its brand version moves', async () => {
    const items = asItems((await local.parseFeed(utf8(bigRss(20, 200)), opts)).items);
    const prepare = (set: BrandSet) => pool.prepare({ items, sourceType: 'rss', fetchedAt: FETCHED_AT, isBacklog: false, brands: set });
    const before = await Promise.all([prepare(brands), prepare(brands)]);
    for (const run of before) expect(run.matched.length === items.length && run.matched.every((m) => m.brands.some((b) => b.brandId === 'brand-acme'))).toBe(true);
    const requeried: BrandSet = { ...brands, version: '2', brands: [{ id: 'brand-acme', name: 'Acme', query: 'zebra' }] };
    const after = await Promise.all([prepare(requeried), prepare(requeried)]);
    for (const run of after) expect(run.size === items.length && run.matched.length === 0).toBe(true);
  });

  it('keeps the event loop free while a thread parses and prepares a 5,000-item feed', async () => {
    const text = bigRss(5_000, 1_500);
    const before = performance.eventLoopUtilization();
    // As a poll of an rss source does it: the fetched body goes to a thread, rows come back.
    const { result, maxBlockMs } = await watchEventLoop(() =>
      pool.prepare({ feed: { body: utf8(text), opts }, sourceType: 'rss', fetchedAt: FETCHED_AT, isBacklog: false, brands }),
    );
    const busy = performance.eventLoopUtilization(before);
    expect(result.size).toBe(5_000);
    expect(rowsOf(result)).toHaveLength(5_000);
    // Only receiving the answer runs here (matched mentions cloned, rows transferred): on the
    // calling thread the same work keeps the loop busy all the time (utilisation 0.99) and
    // blocks it 150–200 ms at a stretch.
    expect(busy.utilization).toBeLessThan(0.4);
    expect(maxBlockMs).toBeLessThan(250);
  });

  it('parses and prepares the largest feed the limits let through within the threads\' heap limit', async () => {
    const text = bigRss(5_000, 3_000);
    expect(text.length).toBeGreaterThan(15 * 2 ** 20);
    // One task holds the feed's text, its items and their rows at once.
    const batch = await pool.prepare({ feed: { body: utf8(text), opts }, sourceType: 'rss', fetchedAt: FETCHED_AT, isBacklog: false, brands });
    expect(batch.size).toBe(5_000);
  });

  it('works from the TypeScript sources under tsx\'s ESM loader, as `npm run demo` runs it', async () => {
    // The threads inherit `--import tsx`; a pool that hung there when tsx had to compile (an empty
    // transform cache, as on a fresh machine) once left the demo without mentions. No cache here.
    const script = fileURLToPath(new URL('../fixtures/processes/pool-from-sources.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      timeout: 20_000,
      env: { ...process.env, TSX_DISABLE_CACHE: '1' },
    });
    expect(JSON.parse(stdout)).toEqual({ items: 1, hashtags: ['launch'] });
  });

  it('takes a feed body over instead of copying it, and copies a view into a shared buffer instead of detaching it', async () => {
    const owned = utf8(bigRss(50, 400));
    expect(owned.bytes.byteLength).toBe(owned.bytes.buffer.byteLength);
    expect((await pool.parseFeed(owned, opts)).items).toHaveLength(50);
    expect(owned.bytes.byteLength).toBe(0);
    // Small Buffers are slices of one shared pool: detaching it would wipe unrelated bytes.
    const small = Buffer.from('<rss version="2.0"><channel><item><title>Acme</title></item></channel></rss>');
    expect(small.byteLength).toBeLessThan(small.buffer.byteLength);
    const before = Buffer.from(small);
    expect((await pool.parseFeed({ bytes: small, contentType: null }, opts)).items).toHaveLength(1);
    expect(small.equals(before)).toBe(true);
  });

  it('records a feed whose parser thread dies as a parse failure of that feed, and goes on with a new thread', async () => {
    const dying = createIngestPool({ threads: 1, filename: fileURLToPath(new URL('../fixtures/processes/dying-thread.mjs', import.meta.url)) });
    try {
      for (const body of ['EXIT', 'THROW']) {
        const err = await dying.parseFeed(utf8(body), opts).catch((e: unknown) => e);
        expect(err, body).toBeInstanceOf(FeedParseError);
        expect(err, body).toMatchObject({ code: 'feeds.parse_failed', message: expect.stringContaining('its worker thread stopped') });
        expect(await dying.parseFeed(utf8('still here'), opts), body).toMatchObject({ title: 'still here' });
        // The same when the feed is read as part of preparing it.
        const request = { feed: { body: utf8(body), opts }, sourceType: 'rss' as const, fetchedAt: FETCHED_AT, isBacklog: false, brands };
        const died = await dying.prepare(request).catch((e: unknown) => e);
        expect(died, body).toBeInstanceOf(FeedParseError);
        expect(died, body).toMatchObject({ code: 'feeds.parse_failed', message: expect.stringContaining('its worker thread stopped') });
      }
    } finally {
      await dying.close();
    }
  });

  it('refuses work once closed instead of starting threads again', async () => {
    // The last test of `single`: its threads run (started here if this test runs alone), then close.
    expect(await single.parseFeed(fixture('rss-2.0.xml'), opts)).toMatchObject({ items: expect.any(Array) });
    await single.close();
    await expect(single.parseFeed(fixture('rss-2.0.xml'), opts)).rejects.toThrow('the ingest pool is closed');
  });
});
