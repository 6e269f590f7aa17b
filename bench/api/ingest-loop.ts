// The background ingest of the analytics bench, in a process of its own as a worker would be:
// `rate` mentions a second, stored every `tickMs` through storeMentions (rows, brand links,
// rollups, brand sources) in one transaction per batch. A batch that falls behind is made up
// by the next ones, so the achieved rate says whether the store kept up.
// Started by api.bench.ts with one JSON argument; answers a 'stop' message with its summary.
import type { PreparedMention } from '../../src/domain/mentions/ingest.js';
import { toMentionBatch } from '../../src/domain/mentions/batch.js';
import { storeMentions } from '../../src/domain/mentions/store.js';
import { createMentionRepository } from '../../src/domain/mentions/mentions.repository.js';
import { createRollupRepository } from '../../src/domain/analytics/rollups.repository.js';
import { SENTIMENT_MODEL } from '../../src/domain/scoring/scorer.js';
import { createDb } from '../../src/infra/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createRandom } from '../../src/infra/seeded-random.js';
import { percentile } from '../support/stack.js';
import { SOURCE_MIX, createModel, type Brand, type GeneratedMention } from './model.js';

export interface IngestLoopOptions {
  url: string;
  workspaceId: string;
  sourceIds: string[];
  brands: Brand[];
  rate: number;
  tickMs: number;
}

export interface IngestLoopSummary {
  stored: number;
  seconds: number;
  batches: number;
  batchMs: { p50: number; p95: number; max: number };
}

/** Largest batch a late tick may send, so one slow commit cannot snowball into a huge one. */
const MAX_BATCH = 2000;

function prepared(m: GeneratedMention, key: string): PreparedMention {
  return {
    itemKey: key,
    canonicalUrl: null,
    url: null,
    title: null,
    text: m.text,
    author: m.author,
    publishedAt: m.occurredAt,
    dateQuality: 'exact',
    fetchedAt: new Date(),
    occurredAt: m.occurredAt,
    lang: m.lang,
    langConfidence: m.lang ? 0.9 : 0,
    sentiment: { score: m.score, label: m.label, model: SENTIMENT_MODEL },
    hashtags: m.hashtags,
    handles: [],
    engagement: null,
    authorFollowers: null,
    brands: m.brands.map((b) => ({ brandId: b.id, keywords: [b.keyword] })),
    brandSentiments: null,
    isBacklog: false,
  };
}

async function run(options: IngestLoopOptions): Promise<void> {
  const db = createDb({ url: options.url, poolSize: 2, log: createLogger({ level: 'error' }) });
  const mentionRepository = createMentionRepository({ db });
  const rollupRepository = createRollupRepository();
  const model = createModel({ brands: options.brands, end: new Date(), days: 180 });
  const random = createRandom(process.pid);
  const started = performance.now();
  const batchMs: number[] = [];
  let stored = 0;
  let stopping = false;
  process.on('message', (message) => {
    if (message === 'stop') stopping = true;
  });
  process.send?.('ready');
  while (!stopping) {
    const due = Math.min(MAX_BATCH, Math.floor(((performance.now() - started) / 1000) * options.rate) - stored);
    if (due > 0) {
      const now = Date.now();
      // Items of one poll come from one source and were published up to two minutes ago.
      const sourceIndex = batchMs.length % options.sourceIds.length;
      const mentions = Array.from({ length: due }, (_, i) => prepared(model.mention(random, now - Math.floor(random.next() * 120_000)), `live-${process.pid}-${stored + i}`));
      const t0 = performance.now();
      await db.transaction().execute((trx) =>
        storeMentions({
          trx,
          workspaceId: options.workspaceId,
          sourceId: options.sourceIds[sourceIndex]!,
          sourceType: SOURCE_MIX[sourceIndex % SOURCE_MIX.length]!.type,
          batch: toMentionBatch(mentions),
          now: new Date(),
          mentionRepository,
          rollupRepository,
        }),
      );
      batchMs.push(performance.now() - t0);
      stored += due;
    }
    await new Promise((resolve) => setTimeout(resolve, options.tickMs));
  }
  const sorted = [...batchMs].sort((a, b) => a - b);
  const summary: IngestLoopSummary = {
    stored,
    seconds: (performance.now() - started) / 1000,
    batches: batchMs.length,
    batchMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN },
  };
  process.send?.(summary);
  await db.destroy();
  process.disconnect?.();
}

await run(JSON.parse(process.argv[2]!) as IngestLoopOptions);
