import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { IngestCompute } from '../../domain/mentions/compute.js';
import { fromOutcome } from './outcome.js';

// Built (scripts/build.mjs), this module is part of dist/cli.mjs and the thread is dist/ingest-thread.mjs
// beside it; run from the sources, the thread loads them through thread.cjs.
const BUILT_THREAD = fileURLToPath(new URL('./ingest-thread.mjs', import.meta.url));
const THREAD = existsSync(BUILT_THREAD) ? BUILT_THREAD : fileURLToPath(new URL('./thread.cjs', import.meta.url));

/**
 * A thread's young generation: half V8's default. A task's garbage (a feed's text, its items, the
 * encoded rows) dies within the task, so smaller semi-spaces cost a few more scavenges and save
 * ~17 MB of resident memory per thread (npm run bench -- ingest: throughput within run-to-run noise,
 * peak RSS over six rounds 383 and 372 MB where runs without it reached 358-452 MB).
 */
const YOUNG_GENERATION_MB = 24;

/**
 * A thread's old generation limit. V8 scales how far the old generation may grow past its live
 * data before a full collection by this limit: 4× under Node's default here (a quarter of the RAM,
 * up to 4 GB), ~1.6× at 1 GB. A thread keeps ~50 MB live (models, memos) and turns a feed's text
 * and rows into garbage every task, so the default let it sit on ~160 MB of heap. At 1 GB,
 * `npm run bench -- ingest --rounds 6` peaked at 274-346 MB instead of 372-453, for ~10 µs more
 * GC work per item; a 15.5 MiB feed of 5,000 items peaks at ~160 MB of heap while parsed and prepared.
 */
const OLD_GENERATION_MB = 1024;

/**
 * The bytes on an ArrayBuffer of their own, ready to be transferred: a view into a larger buffer
 * (Node's pooled small Buffers) is copied rather than detaching memory others use.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array & { buffer: ArrayBuffer } {
  const exclusive = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (exclusive ? bytes : bytes.slice()) as Uint8Array & { buffer: ArrayBuffer };
}

/**
 * Feed parsing, scoring and matching on `threads` worker threads, so a busy ingest uses every
 * core while the event loop stays free for fetching, storing, queue locks and the API. Threads
 * start with `start()` (the worker role calls it) or on the first task, so an API-only process
 * never starts any, and then stay up until `close()`, after which the pool refuses work rather
 * than starting threads again behind a shutdown. Tasks queue without bound: the fetch workers'
 * concurrency already bounds how many are in flight.
 */
export function createIngestPool({ threads }: { threads: number }): IngestCompute {
  let pool: Piscina | null = null;
  let closed = false;
  const started = () => {
    if (closed) throw new Error('the ingest pool is closed');
    return (pool ??= new Piscina({
      filename: THREAD,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: OLD_GENERATION_MB },
    }));
  };
  const run = async <T>(name: string, task: unknown, transferList?: ArrayBuffer[]): Promise<T> =>
    fromOutcome(await started().run(task, transferList ? { name, transferList } : { name }));
  return {
    parseFeed: ({ bytes, contentType }, opts) => {
      const owned = ownBuffer(bytes);
      return run('parseFeed', { body: { bytes: owned, contentType }, opts }, [owned.buffer]);
    },
    prepare: (request) => run('prepare', request),
    start: () => void started(),
    async close() {
      closed = true;
      await pool?.destroy();
      pool = null;
    },
  };
}
