import type { Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import { readingOf } from '../themes/brand-readings.js';
import type { MentionBatch } from './batch.js';
import type { MentionRepository } from './mentions.repository.js';

/**
 * Stores a batch of prepared mentions inside the caller's transaction: the rows (once per
 * workspace), their brand links, the rollups of exactly the rows inserted (per brand, and per
 * workspace for the matched ones), and which sources feed which brands. A retried or duplicated
 * batch inserts nothing and so counts nothing.
 */
export async function storeMentions({
  trx,
  workspaceId,
  sourceId,
  sourceType,
  batch,
  now,
  mentionRepository,
  rollupRepository,
}: {
  trx: Transaction<DB>;
  workspaceId: string;
  sourceId: string;
  sourceType: string;
  batch: MentionBatch;
  now: Date;
  mentionRepository: MentionRepository;
  rollupRepository: RollupRepository;
}) {
  const stored = await mentionRepository.insertMany(trx, { workspaceId, sourceId, sourceType, batch });
  const linked = stored.matched.flatMap(({ mention }) => mention.brands.map((b) => ({ brandId: b.brandId, mention })));
  await rollupRepository.apply(
    trx,
    workspaceId,
    linked.map(({ brandId, mention }) => ({
      brandId,
      occurredAt: mention.occurredAt,
      sourceType,
      lang: mention.lang,
      ...readingOf(mention.brandSentiments, brandId, mention.sentiment),
      hashtags: mention.hashtags,
      sign: 1 as const,
    })),
  );
  // Each inserted matched mention once for the workspace-wide counts, whatever its number of brands.
  await rollupRepository.applyMatched(
    trx,
    workspaceId,
    stored.matched.map(({ mention }) => ({ occurredAt: mention.occurredAt, hashtags: mention.hashtags, sign: 1 as const })),
  );
  await rollupRepository.noteBrandSources(trx, linked.map(({ brandId }) => ({ brandId, sourceId })), now);
  return stored;
}
