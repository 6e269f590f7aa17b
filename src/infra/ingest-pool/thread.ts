// One thread of the ingest pool: the same parse and prepare code as the calling thread runs with
// INGEST_THREADS=0, its own scorer and its own matcher cache. A worker starts its threads at boot,
// so each builds every sentiment profile then (~0.4 s, ~13 MB) rather than stalling the first
// polls of each language after a deploy: measured, a fresh process's first burst ran ~15% faster.
// Then, unless INGEST_WARM_UP=false, it runs the warm-up polls (./warm-up.ts).
import { parentPort } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { createLocalCompute, type PrepareRequest } from '../../domain/mentions/compute.js';
import type { FeedBody, ParseFeedOptions } from '../../domain/feeds/feed.types.js';
import { createScorer } from '../../domain/scoring/scorer.js';
import { expectDetachedBuffers } from './detaching.js';
import { THREAD_LOADED, toOutcome } from './outcome.js';
import { warmUp } from './warm-up.js';
import type { ThreadData } from './index.js';

expectDetachedBuffers();
const scorer = createScorer({ preload: true });
const local = createLocalCompute({ scorer });
// Loaded: the pool's start-up check need not wait for the warm-up.
parentPort?.postMessage(THREAD_LOADED);
// Only speed is at stake: a warm-up that fails leaves a thread that compiles on real work instead.
const ready = (workerData as ThreadData).warmUp
  ? warmUp({ compute: local }).then(
      () => {},
      (error: unknown) => process.emitWarning(`the ingest thread's warm-up failed: ${String(error)}`),
    )
  : Promise.resolve();

// The handlers are exported as promises: piscina awaits the pool's default handler (parseFeed)
// before it marks a thread ready, so no task waits behind the warm-up inside a thread.
export const parseFeed = ready.then(
  () =>
    ({ body, opts }: { body: FeedBody; opts: ParseFeedOptions }) =>
      toOutcome(() => local.parseFeed(body, opts)),
);

/** The batch's encoded rows are handed over to the calling thread, not copied. */
export const prepare = ready.then(() => async (request: PrepareRequest) => {
  const outcome = await toOutcome(() => local.prepare(request));
  const buffers = outcome.ok ? outcome.value.rows.map((chunk) => chunk.buffer) : [];
  return move({
    get [transferableSymbol]() {
      return buffers;
    },
    get [valueSymbol]() {
      return outcome;
    },
  });
});
