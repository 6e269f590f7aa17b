// One thread of the ingest pool: the same parse and prepare code as the calling thread runs with
// INGEST_THREADS=0, its own scorer (language models load on first use) and its own matcher cache.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { createLocalCompute, type PrepareRequest } from '../../domain/mentions/compute.js';
import type { FeedBody, ParseFeedOptions } from '../../domain/feeds/feed.types.js';
import { createScorer } from '../../domain/scoring/scorer.js';
import { toOutcome } from './outcome.js';

const local = createLocalCompute({ scorer: createScorer() });

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
