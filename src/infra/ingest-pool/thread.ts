// One thread of the ingest pool: the same parse and prepare code as the calling thread runs with
// INGEST_THREADS=0, its own scorer (language models load on first use) and its own matcher cache.
import { createLocalCompute, type PrepareRequest } from '../../domain/mentions/compute.js';
import type { ParseFeedOptions } from '../../domain/feeds/feed.types.js';
import { createScorer } from '../../domain/scoring/scorer.js';
import { toOutcome } from './outcome.js';

const local = createLocalCompute({ scorer: createScorer() });

export const parseFeed = ({ text, opts }: { text: string; opts: ParseFeedOptions }) => toOutcome(() => local.parseFeed(text, opts));
export const prepare = (request: PrepareRequest) => toOutcome(() => local.prepare(request));
