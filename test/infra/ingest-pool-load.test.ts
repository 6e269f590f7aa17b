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

// A thread that fails outside any task (its module throws when loaded, or an idle thread throws)
// makes piscina emit 'error' on the pool, and an 'error' nobody listens to takes the whole process
// down. A module that cannot load fails every task with an error naming the file, once, instead
// of each poll blaming its feed; a thread that dies later is logged and replaced.

const opts = { feedUrl: FEED_URL, fetchedAt: FETCHED_AT };
const body = (text: string): FeedBody => ({ bytes: Buffer.from(text), contentType: 'application/rss+xml; charset=utf-8' });
const brands: BrandSet = { workspaceId: 'ws-1', version: '1', brands: [{ id: 'brand-acme', query: 'acme' }] };
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

  it('a thread that dies and whose replacement cannot load is logged as an error, not a crash, and the next thread serves the pool', async () => {
    const { log, lines } = capturedLog();
    const pool = createIngestPool({ threads: 1, filename: flaky, log });
    try {
      expect(await pool.parseFeed(body('before'), opts)).toMatchObject({ title: 'before' });
      // The thread ends while reading this feed: that feed's failure, as before.
      expect(await pool.parseFeed(body('EXIT'), opts).catch((e: unknown) => e)).toMatchObject({ code: 'feeds.parse_failed' });
      // Piscina starts a replacement, which throws while loading, with no task of its own.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 50, msg: 'an ingest thread failed', thread: flaky, err: expect.objectContaining({ message: 'the replacement thread could not load' }) }),
      );
      expect(await pool.parseFeed(body('after'), opts)).toMatchObject({ title: 'after' });
    } finally {
      await pool.close();
    }
  });
});
