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
 * The pool's threads cannot load their module (a bundle that throws, a dependency missing, a
 * thread out of memory at start), whether at start or when a thread is replaced: every thread
 * would fail alike, so the pool stops its threads and its tasks fail with this, which blames no
 * feed, until a later start loads. One line, naming the file, as a start-up error shows it.
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

/**
 * How long the pool waits before starting its threads again after one could not load the module,
 * doubling with each failed start in a row up to the maximum, so a bundle that stays broken costs
 * a few thread starts a minute. Meanwhile tasks fail at once with the start's IngestThreadLoadError.
 * No timer: the first task (or ready()) after the wait starts them.
 */
const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 30_000;

/** One start of the pool's threads (a piscina pool), from the first load until it fails or the pool closes. */
interface Start {
  threads: Piscina;
  /** One of its threads has loaded the module. */
  loaded: boolean;
  /** Settles once a thread has loaded the module, or with why none can. */
  loading: Promise<void>;
  settle: (error?: Error) => void;
  /** Set when one of its threads could not load the module: its threads are then stopped. */
  failed: IngestThreadLoadError | null;
}

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
 * than starting threads again behind a shutdown. A thread that cannot load the module (at start,
 * or replacing one) stops them all, fails the tasks with IngestThreadLoadError, and a later task
 * starts them again (see RESTART_FIRST_MS). Tasks queue without bound: the fetch workers'
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
  let closed = false;
  /** The threads serving tasks, or loading; null before the first task, and after a start failed. */
  let current: Start | null = null;
  /** Why the last start failed, and until when tasks fail with that instead of starting threads again. */
  let outage: { error: IngestThreadLoadError; retryAt: number } | null = null;
  /** Starts that failed since threads last loaded the module. */
  let failedStarts = 0;
  /** Failed starts' threads being stopped, awaited by close(). */
  const stopping = new Set<Promise<void>>();
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
  const stop = (start: Start) => {
    const stopped = start.threads.destroy().finally(() => stopping.delete(stopped));
    stopping.add(stopped);
  };
  /**
   * One of the start's threads cannot load the module: its other threads could do nothing once they
   * are gone, and piscina would not replace them or would start them again on every task (a task
   * waiting for them waited out its deadline, and failed as its feed's timeout). So they are
   * stopped now, tasks running on them included, and every task fails with the error until a later
   * start loads.
   */
  const fail = (start: Start, error: IngestThreadLoadError) => {
    if (start.failed || closed) return;
    start.failed = error;
    failedStarts++;
    const retryInMs = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (failedStarts - 1));
    outage = { error, retryAt: Date.now() + retryInMs };
    log.error({ err: error.cause, thread: filename, retryInMs }, error.message);
    start.settle(error);
    for (const task of waiting.splice(0)) task.fail(error);
    current = null;
    stop(start);
  };
  const loaded = (start: Start) => {
    if (start.loaded || start.failed) return;
    start.loaded = true;
    failedStarts = 0;
    if (outage) log.info({ thread: filename }, 'the ingest threads load again');
    outage = null;
    start.settle();
  };
  const started = (): Start => {
    if (closed) throw new Error('the ingest pool is closed');
    if (current) return current;
    if (outage && Date.now() < outage.retryAt) throw outage.error;
    expectDetachedBuffers();
    let settle: Start['settle'] = () => {};
    const loading = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
    // Awaited by ready() and by tasks; not every pool is asked.
    loading.catch(() => {});
    const start: Start = { threads: createPiscina(), loaded: false, loading, settle, failed: null };
    // Piscina emits 'error' for a thread that fails with no task of its own: one that throws while
    // loading, whether at start or replacing a thread that died or was ended at a deadline (then
    // it starts no other); unheard, it would end the process.
    start.threads.on('error', (err: unknown) => fail(start, new IngestThreadLoadError(filename, err)));
    start.threads.on('message', (message: unknown) => {
      if (message === THREAD_LOADED) loaded(start);
    });
    start.threads.run(LOAD_PROBE, { name: 'parseFeed' }).then(
      () => loaded(start),
      (err: unknown) => {
        fail(start, new IngestThreadLoadError(filename, err));
        start.settle(start.failed ?? new Error('the ingest pool is closed'));
      },
    );
    current = start;
    return start;
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
    let start = started();
    if (!start.loaded) await start.loading;
    await place();
    try {
      // Closed, or its threads stopped, while the task waited for its place: refused like any task then.
      start = started();
      if (!start.loaded) await start.loading;
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), taskDeadlineMs);
      let outcome;
      try {
        outcome = await start.threads.run(task, { name, signal: deadline.signal, ...(transferList ? { transferList } : {}) });
      } catch (err) {
        // Piscina ended the task's thread on the abort, and starts a new one.
        if (deadline.signal.aborted) throw new TaskDeadlineError(taskDeadlineMs);
        // Stopped, running or queued, with threads of which one could not load the module.
        if (start.failed) throw start.failed;
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
      await started().loading;
    },
    async close() {
      closed = true;
      const error = new Error('the ingest pool is closed');
      for (const task of waiting.splice(0)) task.fail(error);
      if (current) {
        current.settle(error);
        stop(current);
        current = null;
      }
      await Promise.all(stopping);
    },
  };
}
