import type { Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { compileWorkspace } from '../query/index.js';
import type { LinkRepository } from '../mentions/links.repository.js';
import type { SourceType } from '../items/item.types.js';
import type { BrandRepository } from './brands.repository.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import type { SentimentLabel } from '../scoring/scorer.js';

const BATCH = 2000;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Matches one brand against stored history after it was created or its query changed: every
 * item of the raw window (unmatched ones included) and every older mention linked to it. Runs
 * in batches, each its own transaction, so ingestion is never blocked for long.
 */
export async function rematchBrand({
  workspaceId,
  brandId,
  rawWindowDays,
  now,
  db,
  brandRepository,
  linkRepository,
  rollupRepository,
}: {
  workspaceId: string;
  brandId: string;
  rawWindowDays: number;
  rollupRepository: RollupRepository;
  now: Date;
  db: Kysely<DB>;
  brandRepository: BrandRepository;
  linkRepository: LinkRepository;
}): Promise<{ evaluated: number; linked: number } | null> {
  const brand = await brandRepository.get(workspaceId, brandId);
  if (!brand) return null;
  const matcher = compileWorkspace([{ id: brand.id, query: brand.query }]);
  const since = new Date(now.getTime() - rawWindowDays * 86_400_000);
  let afterId = 0;
  let evaluated = 0;
  let linked = 0;
  for (;;) {
    const rows = await linkRepository.candidates(workspaceId, brandId, { since, afterId, limit: BATCH });
    if (!rows.length) break;
    const links: Array<{ mentionId: number; occurredAt: Date; sentimentLabel: string; keywords: string[] }> = [];
    for (const row of rows) {
      const [match] = matcher.match({
        title: row.title,
        text: row.text,
        url: row.url,
        author: row.author,
        lang: row.lang,
        sourceType: row.source_type as SourceType,
        hashtags: row.hashtags,
        handles: row.handles,
      });
      if (match) links.push({ mentionId: Number(row.id), occurredAt: row.occurred_at, sentimentLabel: row.sentiment_label, keywords: match.keywords });
    }
    const ids = rows.map((r) => Number(r.id));
    await db.transaction().execute(async (trx) => {
      const before = await linkRepository.replaceBrandLinks(trx, { workspaceId, brandId, evaluated: ids, links });
      const after = new Set(links.map((l) => l.mentionId));
      // Rollups change only for mentions that gained or lost this brand.
      const entries = rows
        .filter((r) => before.has(Number(r.id)) !== after.has(Number(r.id)))
        .map((r) => ({
          brandId,
          occurredAt: r.occurred_at,
          sourceType: r.source_type,
          lang: r.lang,
          label: r.sentiment_label as SentimentLabel,
          score: r.sentiment_score,
          hashtags: r.hashtags,
          sign: after.has(Number(r.id)) ? (1 as const) : (-1 as const),
        }));
      await rollupRepository.apply(trx, workspaceId, entries);
      const fed = rows.filter((r) => r.source_id && after.has(Number(r.id))).map((r) => ({ brandId, sourceId: r.source_id! }));
      await rollupRepository.noteBrandSources(trx, fed, now);
      await linkRepository.refreshMentions(trx, ids);
    });
    evaluated += rows.length;
    linked += links.length;
    afterId = ids[ids.length - 1]!;
    await yieldToLoop();
  }
  await brandRepository.markMatched(brand.id, brand.query_version);
  return { evaluated, linked };
}

/** After a brand is deleted (its links cascade away), clears it from the mentions that carried it. */
export async function unlinkBrand({
  workspaceId,
  brandId,
  db,
  brandRepository,
  linkRepository,
}: {
  workspaceId: string;
  brandId: string;
  db: Kysely<DB>;
  brandRepository: BrandRepository;
  linkRepository: LinkRepository;
}): Promise<number> {
  // Only a brand that is really gone: refreshing a live brand's mentions would keep it and never end.
  if (await brandRepository.get(workspaceId, brandId)) return 0;
  let total = 0;
  for (;;) {
    const ids = await linkRepository.carrying(workspaceId, brandId, BATCH);
    if (!ids.length) return total;
    await db.transaction().execute((trx) => linkRepository.refreshMentions(trx, ids));
    total += ids.length;
  }
}
