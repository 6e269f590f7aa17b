import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { IngestCompute } from '../../domain/mentions/compute.js';
import { FEED_LIMITS, FeedParseError, type FeedBody, type ParseFeedOptions } from '../../domain/feeds/feed.types.js';
import { createLogger, type Logger } from '../../logger.js';
import { DependencyUnavailableError } from '../dependency-errors.js';
import { expectDetachedBuffers } from './detaching.js';
import { fromOutcome, THREAD_LOADED } from './outcome.js';

// Built (scripts/build.mjs), this module is part of dist/cli.mjs and the thread is dist/ingest-thread.mjs
// beside it; run from the sources, the thread loads them through thread.cjs.
const BUILT_THREAD = fileURLToPath(new URL('./ingest-thread.mjs', import.meta.url));
const THREAD = existsSync(BUILT_THREAD) ? BUILT_THREAD : fileURLToPath(new URL('./thread.cjs', import.meta.url));

/**
 * A thread's young generation: half V8's default (8 MB semi-spaces, ~17 MB less committed). A
 * task's garbage (a feed's text, its items, the encoded rows) dies within the task, so this costs
 * a few more scavenges; `npm run bench -- ingest` throughput stayed within run-to-run noise, and
 * side by side with a repeated size as the control (`npm run bench -- threads --young 24,96,24,96`)
 * 96 MB differed from 24 MB no more than 24 MB from itself (docs/benchmarks.md).
 */
const YOUNG_GENERATION_MB = 24;

/**
 * A thread's old generation limit. V8 scales how far the old generation may grow past its live
 * data before a full collection by this limit: 4× under Node's default here (a quarter of the RAM,
 * up to 4 GB), ~1.6× at 1 GB. A thread keeps ~50 MB live (models, memos) and turns a feed's text
 * and rows into garbage every task, so under the default it sat on its garbage for long. At 1 GB,
 * `npm run bench -- ingest --rounds 6` peaked at 274-346 MB instead of 372-453, for ~10 µs more
 * GC work per item. The largest feed the limits let through (16 MiB, 5,000 items) still parses
 * and prepares well inside it (test/infra/ingest-pool.test.ts).
 */
const OLD_GENERATION_MB = 1024;

/**
 * How long a task may hold its thread. The largest feed the limits let through is read and
 * prepared in ~2 s (test/infra/ingest-pool.test.ts); a task still running after the parser's own
 * budget is stuck in code that will not yield (a regex or a loop on a hostile document), which
 * the parser's timer cannot interrupt. Without this the poll waited for ever while the free event
 * loop kept renewing its job's lock, so the job never stalled or ended and the source was never
 * polled again, and a few such feeds took every thread.
 */
const TASK_DEADLINE_MS = FEED_LIMITS.timeoutMs;

/** What the pool tells each thread at start (piscina's workerData). */
export interface ThreadData {
  /** Run the warm-up polls (./warm-up.ts) before the first task. */
  warmUp: boolean;
}

/** A pool thread stopped while it ran a task. */
class ThreadDiedError extends Error {
  constructor(cause: unknown) {
    super(`its worker thread stopped (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'ThreadDiedError';
  }
}

/**
 * The pool's threads cannot load their module (a bundle that throws, a dependency missing): every
 * thread would fail alike, so the pool stops and its tasks fail with this, which blames no feed.
 * One line, naming the file, as a start-up error shows it.
 */
export class IngestThreadLoadError extends DependencyUnavailableError {
  constructor(readonly filename: string, cause: unknown) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n', 1)[0];
    super(`the ingest thread ${filename} could not be loaded: ${reason}`, { cause });
    this.name = 'IngestThreadLoadError';
  }
}

/** An ingest pool: IngestCompute on threads, which can say whether their module loads. */
export interface IngestPool extends IngestCompute {
  /**
   * Starts the threads (as start() does) and resolves once one has loaded the thread module,
   * before its warm-up; rejects with IngestThreadLoadError when the module cannot be loaded.
   */
  ready(): Promise<void>;
}

export const isIngestPool = (compute: IngestCompute): compute is IngestPool => 'ready' in compute;

/**
 * What the pool first asks of its threads: an empty body, which every thread module answers (as a
 * parse failure, carried back as data), while a thread that cannot load its module dies first.
 * Earshot's own thread says it has loaded sooner (THREAD_LOADED, before its warm-up); the probe
 * also covers other modules (tests', other builds').
 */
const LOAD_PROBE: { body: FeedBody; opts: ParseFeedOptions } = {
  body: { bytes: new Uint8Array(0), contentType: null },
  opts: { feedUrl: 'http://earshot.invalid/', fetchedAt: new Date(0) },
};

/** A task ran past its deadline: its thread was ended (piscina starts a new one). */
class TaskDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the ingest task took longer than ${deadlineMs} ms; its worker thread was stopped`);
    this.name = 'TaskDeadlineError';
  }
}

/**
 * The bytes on an ArrayBuffer of their own, ready to be transferred: a view into a larger buffer
 * (Node's pooled small Buffers) is copied rather than detaching memory others use.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array & { buffer: ArrayBuffer } {
  const exclusive = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // new Uint8Array(view) copies; a Buffer's own slice() would be another view of the same memory.
  return (exclusive ? bytes : new Uint8Array(bytes)) as Uint8Array & { buffer: ArrayBuffer };
}

/**
 * Feed parsing, scoring and matching on `threads` worker threads, so a busy ingest uses every
 * core while the event loop stays free for fetching, storing, queue locks and the API. Threads
 * start with `start()` (the worker role calls it) or on the first task, so an API-only process
 * never starts any, and then stay up until `close()`, after which the pool refuses work rather
 * than starting threads again behind a shutdown. Tasks queue without bound: the fetch workers'
 * concurrency already bounds how many are in flight. They queue here, first in first out, and
 * piscina is given one per thread, so a task's deadline runs from when a thread takes it rather
 * than from when it was queued (piscina's own queue also serves cancellable tasks last in, first out).
 */
export function createIngestPool({
  threads,
  warmUp = true,
  filename = THREAD,
  youngGenerationMb = YOUNG_GENERATION_MB,
  taskDeadlineMs = TASK_DEADLINE_MS,
  log = createLogger({ level: 'info' }),
}: {
  threads: number;
  warmUp?: boolean;
  /** Tests and benchmarks only: another thread module (e.g. another build's). */
  filename?: string;
  /** Benchmarks only: another young generation size per thread. */
  youngGenerationMb?: number;
  /** Tests only: a shorter deadline per task. */
  taskDeadlineMs?: number;
  /** Where threads that fail outside a task are reported. */
  log?: Logger;
}): IngestPool {
  let pool: Piscina | null = null;
  let closed = false;
  /** Settles once a thread has loaded the module, or with why none can. */
  let loading: Promise<void> | null = null;
  let loaded = false;
  let markLoaded = () => {};
  /** Set when the module cannot be loaded: the pool is then stopped for good, and refuses work with it. */
  let broken: IngestThreadLoadError | null = null;
  let stopping: Promise<void> | undefined;
  /** Tasks handed to piscina, at most one per thread, and those waiting for one of those places. */
  let running = 0;
  const waiting: Array<{ go: () => void; fail: (err: Error) => void }> = [];
  const place = () => (running < threads ? void running++ : new Promise<void>((go, fail) => waiting.push({ go, fail })));
  /** Passes a finished task's place straight to the oldest waiting task. */
  const leave = () => {
    const next = waiting.shift();
    if (next) next.go();
    else running--;
  };
  const fail = (error: IngestThreadLoadError) => {
    if (broken || closed) return;
    broken = error;
    log.error({ err: error.cause, thread: filename }, error.message);
    for (const task of waiting.splice(0)) task.fail(error);
    // Its threads can do nothing, and piscina would start them again on every task.
    stopping = pool?.destroy();
    pool = null;
  };
  /** A thread failed with no task of its own, or while answering the probe. */
  const threadFailed = (err: unknown) => {
    if (closed) return;
    // Before any thread has loaded the module, the module is what fails.
    if (!loaded) fail(new IngestThreadLoadError(filename, err));
    else log.error({ err, thread: filename }, 'an ingest thread failed');
  };
  const started = () => {
    if (closed) throw new Error('the ingest pool is closed');
    if (broken) throw broken;
    if (pool) return pool;
    expectDetachedBuffers();
    const threadPool = createPiscina();
    // Piscina emits 'error' for a thread that fails with no task of its own (one that throws while
    // loading, whether at start or replacing a thread that died); unheard, it would end the process.
    threadPool.on('error', threadFailed);
    threadPool.on('message', (message: unknown) => {
      if (message === THREAD_LOADED) markLoaded();
    });
    pool = threadPool;
    loading = new Promise<void>((resolve, reject) => {
      markLoaded = () => {
        loaded = true;
        resolve();
      };
      threadPool.run(LOAD_PROBE, { name: 'parseFeed' }).then(markLoaded, (err: unknown) => {
        threadFailed(err);
        reject(broken ?? new Error('the ingest pool is closed'));
      });
    });
    // Awaited by ready() and by tasks; not every pool is asked.
    loading.catch(() => {});
    return threadPool;
  };
  const createPiscina = () =>
    new Piscina({
      filename,
      // The handler piscina loads (and awaits: see thread.ts) before it calls a thread ready.
      name: 'parseFeed',
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      // First in, first out. By default piscina puts a task it cannot hand to a busy thread back
      // at the tail of its queue, so every finished task sent the next-oldest one to the back:
      // with one thread, a feed fetched early waited behind later ones, up to a second. (Tasks now
      // wait for their place above, in order; this keeps the few piscina holds in order too.)
      stricterFIFO: true,
      workerData: { warmUp } satisfies ThreadData,
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb, maxOldGenerationSizeMb: OLD_GENERATION_MB },
    });
  const run = async <T>(name: string, task: unknown, transferList?: ArrayBuffer[]): Promise<T> => {
    started();
    if (!loaded) await loading;
    await place();
    try {
      // Closed while the task waited for its place: refused like any task after close().
      const threadPool = started();
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), taskDeadlineMs);
      let outcome;
      try {
        outcome = await threadPool.run(task, { name, signal: deadline.signal, ...(transferList ? { transferList } : {}) });
      } catch (err) {
        // Piscina ended the task's thread on the abort, and starts a new one.
        if (deadline.signal.aborted) throw new TaskDeadlineError(taskDeadlineMs);
        // Handed to piscina just before the module was found unloadable, and dropped with it.
        if (broken) throw broken;
        // Not an answer from our code (those come back as outcomes): the thread itself died, out of
        // memory or crashed. Piscina starts a new one for the next task.
        throw new ThreadDiedError(err);
      } finally {
        clearTimeout(timer);
      }
      return fromOutcome(outcome);
    } finally {
      leave();
    }
  };
  /** Hands a feed's bytes to a thread; a thread that dies on them fails the source's poll, not the job. */
  const readingFeed = async <T>(name: string, body: FeedBody, task: (body: FeedBody) => object): Promise<T> => {
    const owned = ownBuffer(body.bytes);
    try {
      return await run<T>(name, task({ bytes: owned, contentType: body.contentType }), [owned.buffer]);
    } catch (err) {
      // The body killed its parser (the limits keep real feeds far below the thread's heap):
      // a failure of this source, recorded and backed off, not a job that fails on every tick.
      if (err instanceof ThreadDiedError) throw new FeedParseError('feeds.parse_failed', `the feed could not be read: ${err.message}`, { cause: err });
      if (err instanceof TaskDeadlineError) throw new FeedParseError('feeds.parse_timeout', `reading the feed took longer than ${err.deadlineMs} ms`, { cause: err });
      throw err;
    }
  };
  return {
    parseFeed: (body, opts) => readingFeed('parseFeed', body, (owned) => ({ body: owned, opts })),
    prepare: (request) =>
      request.feed ? readingFeed('prepare', request.feed.body, (owned) => ({ ...request, feed: { ...request.feed, body: owned } })) : run('prepare', request),
    start: () => void started(),
    async ready() {
      started();
      await loading;
    },
    async close() {
      closed = true;
      for (const task of waiting.splice(0)) task.fail(new Error('the ingest pool is closed'));
      await Promise.all([pool?.destroy(), stopping]);
      pool = null;
    },
  };
}
