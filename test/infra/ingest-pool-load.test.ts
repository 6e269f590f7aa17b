import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedParseError, type FeedBody } from '../../src/domain/feeds/feed.types.js';
import type { BrandSet } from '../../src/domain/mentions/compute.js';
import { createIngestPool, IngestThreadLoadError } from '../../src/infra/ingest-pool/index.js';
import { createLogger } from '../../src/logger.js';
import { FEED_URL, FETCHED_AT } from '../domain/feeds/support.js';
import { within } from '../support/process.js';

// A thread that fails outside any task (its module throws when loaded, or an idle thread throws)
// makes piscina emit 'error' on the pool, and an 'error' nobody listens to takes the whole process
// down. A module that cannot load fails every task with an error naming the file, once, instead
// of each poll blaming its feed, at start as when a thread is replaced; the pool starts its
// threads again after a wait, and serves once they load.

const opts = { feedUrl: FEED_URL, fetchedAt: FETCHED_AT };
const body = (text: string): FeedBody => ({ bytes: Buffer.from(text), contentType: 'application/rss+xml; charset=utf-8' });
const brands: BrandSet = { workspaceId: 'ws-1', version: '1', brands: [{ id: 'brand-acme', name: 'Acme', query: 'acme' }] };
const items = { items: [], sourceType: 'hackernews' as const, fetchedAt: FETCHED_AT, isBacklog: false, brands };

let dir: string;
/** Throws when loaded, as a bundle built against packages that are not installed does. */
let broken: string;
/** Answers, and its thread ends on the body "EXIT"; the second thread to load it throws while loading. */
let flaky: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'earshot-threads-'));
  broken = path.join(dir, 'broken-thread.mjs');
  await writeFile(broken, "throw new Error('this bundle is broken');\n");
  flaky = path.join(dir, 'flaky-thread.mjs');
  const loads = path.join(dir, 'flaky-thread.loads');
  await writeFile(
    flaky,
    `import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(loads)}, '.');
if (readFileSync(${JSON.stringify(loads)}, 'utf8').length === 2) throw new Error('the replacement thread could not load');
export async function parseFeed({ body }) {
  const text = new TextDecoder().decode(body.bytes);
  if (text === 'EXIT') process.exit(3);
  return { ok: true, value: { title: text, link: null, items: [] } };
}
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}


/** A thread module that answers at once; its thread ends on the body "EXIT" and never finishes "LOOP". */
const WORKING = `export async function parseFeed({ body }) {
  const text = new TextDecoder().decode(body.bytes);
  if (text === 'EXIT') process.exit(3);
  if (text === 'LOOP') for (;;);
  return { ok: true, value: { title: text, link: null, items: [] } };
}
`;
const BROKEN = "throw new Error('this bundle is broken');\n";

/** Tries a task every 100 ms until one is served (the pool waits a little between starts that fail); the last answer. */
async function servedWithin(task: () => Promise<unknown>, ms: number): Promise<unknown> {
  const until = Date.now() + ms;
  for (;;) {
    const answer = await task().catch((e: unknown) => e);
    if (!(answer instanceof IngestThreadLoadError) || Date.now() > until) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ingest threads that fail outside a task', () => {
  it('a thread module that throws when loaded fails the tasks with an error naming the file, not as their feeds\' parse failures, and the process stays up', async () => {
    const pool = createIngestPool({ threads: 2, filename: broken, log: capturedLog().log });
    try {
      pool.start();
      const err = await pool.parseFeed(body('<rss version="2.0"><channel></channel></rss>'), opts).catch((e: unknown) => e);
      expect(err).not.toBeInstanceOf(FeedParseError);
      expect(err).toBeInstanceOf(IngestThreadLoadError);
      expect((err as Error).message).toBe(`the ingest thread ${broken} could not be loaded: this bundle is broken`);
      // Later tasks fail the same at once, rather than waiting for a thread that never comes.
      const started = Date.now();
      expect(await pool.prepare(items).catch((e: unknown) => e)).toBeInstanceOf(IngestThreadLoadError);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await pool.close();
    }
  });

  it('ready() rejects with that one-line error, which is logged once', async () => {
    const { log, lines } = capturedLog();
    const pool = createIngestPool({ threads: 3, filename: broken, log });
    try {
      const err = await pool.ready().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IngestThreadLoadError);
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).message).toContain(broken);
      // Let the other threads fail too: still one line in the log.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(lines.filter((l) => l.level === 50)).toEqual([expect.objectContaining({ msg: (err as Error).message, thread: broken })]);
    } finally {
      await pool.close();
    }
  });

  it('ready() resolves once the threads have loaded the real thread module', async () => {
    const pool = createIngestPool({ threads: 1, warmUp: false });
    try {
      await pool.ready();
      expect(await pool.parseFeed(body('<rss version="2.0"><channel><title>t</title></channel></rss>'), opts)).toMatchObject({ title: 't' });
    } finally {
      await pool.close();
    }
  });

  it('a thread that dies and whose replacement cannot load is logged as an error, not a crash, and threads started again serve the pool', async () => {
    const { log, lines } = capturedLog();
    const pool = createIngestPool({ threads: 1, filename: flaky, log });
    try {
      expect(await pool.parseFeed(body('before'), opts)).toMatchObject({ title: 'before' });
      // The thread ends while reading this feed: that feed's failure, as before.
      expect(await pool.parseFeed(body('EXIT'), opts).catch((e: unknown) => e)).toMatchObject({ code: 'feeds.parse_failed' });
      // Piscina starts a replacement, which throws while loading, with no task of its own.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 50,
          msg: `the ingest thread ${flaky} could not be loaded: the replacement thread could not load`,
          thread: flaky,
          err: expect.objectContaining({ message: 'the replacement thread could not load' }),
        }),
      );
      // A task after the pool's wait starts threads again: these load.
      expect(await servedWithin(() => pool.parseFeed(body('after'), opts), 5_000)).toMatchObject({ title: 'after' });
    } finally {
      await pool.close();
    }
  });
});

// A thread ended (its task's deadline) or dead (its feed killed it) is replaced by a new thread,
// which loads the module from disk again: an upgrade that deleted or half-wrote the bundle, or a
// host out of memory, makes it fail there. The tasks waiting for it used to wait out their own
// deadline (30 s) and fail as their feeds' parse timeouts, and the sources backed off for it.

describe('ingest threads whose replacement cannot load', () => {
  it('when a dead thread\'s replacement cannot load, the queued task fails at once with IngestThreadLoadError, and once the bundle is back the pool serves again', async () => {
    const thread = path.join(dir, 'replaced-thread.mjs');
    await writeFile(thread, WORKING);
    const { log, lines } = capturedLog();
    const pool = createIngestPool({ threads: 1, filename: thread, log });
    try {
      expect(await pool.parseFeed(body('before'), opts)).toMatchObject({ title: 'before' });
      // The bundle is replaced under the running pool by one that cannot load.
      await writeFile(thread, BROKEN);
      const started = Date.now();
      const dying = pool.parseFeed(body('EXIT'), opts).catch((e: unknown) => e);
      const queued = within(pool.parseFeed(body('queued'), opts), 10_000);
      // The feed that killed its thread is that feed's failure.
      expect(await dying).toMatchObject({ code: 'feeds.parse_failed' });
      // The task queued behind it is not: its poll is retried, its source not blamed.
      const err = await queued;
      expect(err).toBeInstanceOf(IngestThreadLoadError);
      expect((err as Error).message).toBe(`the ingest thread ${thread} could not be loaded: this bundle is broken`);
      expect(Date.now() - started).toBeLessThan(3_000);
      // So is a task that comes while the bundle is still broken, and as promptly.
      const later = Date.now();
      expect(await within(pool.parseFeed(body('meanwhile'), opts), 10_000)).toBeInstanceOf(IngestThreadLoadError);
      expect(Date.now() - later).toBeLessThan(3_000);
      // One error line naming the file: the pool waits before it starts threads again.
      expect(lines.filter((l) => l.level === 50)).toEqual([expect.objectContaining({ msg: (err as Error).message, thread })]);

      // The bundle is back: work resumes without a restart.
      await writeFile(thread, WORKING);
      expect(await servedWithin(() => pool.parseFeed(body('after'), opts), 5_000)).toMatchObject({ title: 'after' });
      expect(lines).toContainEqual(expect.objectContaining({ level: 30, msg: 'the ingest threads load again', thread }));
    } finally {
      await pool.close();
    }
  });

  it('when a thread ended at its task\'s deadline cannot be replaced, the task waiting for it fails with IngestThreadLoadError, not as its feed\'s timeout', async () => {
    const thread = path.join(dir, 'ended-thread.mjs');
    await writeFile(thread, WORKING);
    const pool = createIngestPool({ threads: 1, filename: thread, taskDeadlineMs: 1_000, log: capturedLog().log });
    try {
      expect(await pool.parseFeed(body('before'), opts)).toMatchObject({ title: 'before' });
      // This time the bundle is gone, as during an upgrade.
      await rm(thread);
      const stuck = pool.parseFeed(body('LOOP'), opts).catch((e: unknown) => e);
      const queued = within(pool.parseFeed(body('queued'), opts), 10_000);
      // The stuck feed is that feed's timeout, as before.
      expect(await stuck).toMatchObject({ code: 'feeds.parse_timeout' });
      const ended = Date.now();
      const err = await queued;
      expect(err).toBeInstanceOf(IngestThreadLoadError);
      expect((err as Error).message).toContain(`the ingest thread ${thread} could not be loaded: Cannot find module`);
      expect(Date.now() - ended).toBeLessThan(3_000);

      await writeFile(thread, WORKING);
      expect(await servedWithin(() => pool.parseFeed(body('after'), opts), 5_000)).toMatchObject({ title: 'after' });
    } finally {
      await pool.close();
    }
  });

  it('closing the pool while its threads cannot be replaced ends at once, and the pool then refuses work', async () => {
    const thread = path.join(dir, 'closed-thread.mjs');
    await writeFile(thread, WORKING);
    const pool = createIngestPool({ threads: 2, filename: thread, log: capturedLog().log });
    expect(await pool.parseFeed(body('before'), opts)).toMatchObject({ title: 'before' });
    await writeFile(thread, BROKEN);
    await pool.parseFeed(body('EXIT'), opts).catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    expect(await within(pool.close(), 5_000)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(pool.parseFeed(body('after'), opts)).rejects.toThrow('the ingest pool is closed');
  });
});
