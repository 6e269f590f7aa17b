import type { Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import type { PreparedMention } from './ingest.js';
import type { MentionRepository } from './mentions.repository.js';

/**
 * Stores prepared mentions inside the caller's transaction: the rows (once per workspace),
 * their brand links, the rollups of exactly the rows inserted, and which sources feed which
 * brands. A retried or duplicated batch inserts nothing and so counts nothing.
 */
export async function storeMentions({
  trx,
  workspaceId,
  sourceId,
  sourceType,
  mentions,
  now,
  mentionRepository,
  rollupRepository,
}: {
  trx: Transaction<DB>;
  workspaceId: string;
  sourceId: string;
  sourceType: string;
  mentions: PreparedMention[];
  now: Date;
  mentionRepository: MentionRepository;
  rollupRepository: RollupRepository;
}) {
  const rows = await mentionRepository.insertMany(trx, { workspaceId, sourceId, sourceType, mentions });
  const linked = rows.flatMap(({ mention }) => mention.brands.map((b) => ({ brandId: b.brandId, mention })));
  await rollupRepository.apply(
    trx,
    workspaceId,
    linked.map(({ brandId, mention }) => ({
      brandId,
      occurredAt: mention.occurredAt,
      sourceType,
      lang: mention.lang,
      label: mention.sentiment.label,
      score: mention.sentiment.score,
      hashtags: mention.hashtags,
      sign: 1 as const,
    })),
  );
  await rollupRepository.noteBrandSources(trx, linked.map(({ brandId }) => ({ brandId, sourceId })), now);
  return rows;
}
