// One thread of the ingest pool: the same parse and prepare code as the calling thread runs with
// INGEST_THREADS=0, its own scorer and its own matcher cache. A worker starts its threads at boot,
// so each builds every sentiment profile then (~0.4 s, ~13 MB) rather than stalling the first
// polls of each language after a deploy: measured, a fresh process's first burst ran ~15% faster.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { createLocalCompute, type PrepareRequest } from '../../domain/mentions/compute.js';
import type { FeedBody, ParseFeedOptions } from '../../domain/feeds/feed.types.js';
import { createScorer } from '../../domain/scoring/scorer.js';
import { toOutcome } from './outcome.js';

const local = createLocalCompute({ scorer: createScorer({ preload: true }) });

export const parseFeed = ({ body, opts }: { body: FeedBody; opts: ParseFeedOptions }) => toOutcome(() => local.parseFeed(body, opts));

/** The batch's encoded rows are handed over to the calling thread, not copied. */
export const prepare = async (request: PrepareRequest) => {
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
};
