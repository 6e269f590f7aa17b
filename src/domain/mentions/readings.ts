import { sql, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { RollupEntry } from '../analytics/rollups.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import type { SentimentLabel } from '../scoring/scorer.js';
import { createBrandReader, readingOf, type BrandReader, type BrandSentiments } from '../themes/brand-readings.js';

/** A brand link's reading as stored: its label, and its own score (null: the post's). */
export interface StoredLink {
  brandId: string;
  label: string;
  score: number | null;
}

/** A mention as its brand readings are read and counted. */
export interface ReadMention {
  id: number;
  occurredAt: Date;
  sourceType: string;
  title: string | null;
  text: string;
}

/** What one mention's readings come to: rows to write and rollup deltas. */
interface Reread {
  links: Array<{ mentionId: number; brandId: string; label: SentimentLabel; score: number | null }>;
  brandSentiments: BrandSentiments | null;
  changed: boolean;
}

/**
 * Compares a mention's stored brand links (read with the post's `before` language and score) with
 * what its brands read now (`after`: the post's language and sentiment now, which a rescore may
 * have changed): the links to rewrite, and the rollup entries taking each changed link's old
 * contribution out and its new one in.
 */
export function rereadLinks(
  mention: ReadMention,
  stored: readonly StoredLink[],
  before: { lang: string | null; score: number },
  after: { lang: string | null; label: SentimentLabel; score: number },
  reader: BrandReader | undefined,
  entries: RollupEntry[],
): Reread {
  const brandIds = stored.map((link) => link.brandId);
  const readings = reader && brandIds.length > 1 ? reader.read({ title: mention.title, text: mention.text, lang: after.lang, label: after.label, score: after.score }, brandIds) : null;
  const links: Reread['links'] = [];
  for (const link of stored) {
    const next = readingOf(readings, link.brandId, after);
    const own = readings?.[link.brandId] ? next.score : null;
    const oldScore = link.score ?? before.score;
    // Scores are float4 columns: unchanged when they store as the same float4.
    const same = link.label === next.label && Math.fround(oldScore) === Math.fround(next.score) && before.lang === after.lang;
    if (same && (link.score === null) === (own === null)) continue;
    links.push({ mentionId: mention.id, brandId: link.brandId, label: next.label, score: own });
    if (same) continue;
    const base = { brandId: link.brandId, occurredAt: mention.occurredAt, sourceType: mention.sourceType, hashtags: [] as string[] };
    entries.push({ ...base, lang: before.lang, label: link.label as SentimentLabel, score: oldScore, sign: -1 });
    entries.push({ ...base, lang: after.lang, label: next.label, score: next.score, sign: 1 });
  }
  return { links, brandSentiments: readings, changed: links.length > 0 };
}

/** Writes rewritten links and the mentions' readings that differ from the post's (null: none). */
export async function writeReadings(
  trx: Transaction<DB>,
  links: Reread['links'],
  mentions: ReadonlyArray<{ id: number; brandSentiments: BrandSentiments | null }>,
): Promise<void> {
  if (links.length) {
    await sql`
      update mention_brands mb set sentiment_label = u.label, sentiment_score = u.score
      from unnest(${links.map((l) => l.mentionId)}::bigint[], ${links.map((l) => l.brandId)}::uuid[], ${links.map((l) => l.label)}::text[],
                  ${links.map((l) => l.score)}::real[]) as u(mention_id, brand_id, label, score)
      where mb.mention_id = u.mention_id and mb.brand_id = u.brand_id`.execute(trx);
  }
  if (mentions.length) {
    await sql`
      update mentions m set brand_sentiments = u.readings
      from unnest(${mentions.map((m) => m.id)}::bigint[], ${mentions.map((m) => (m.brandSentiments ? JSON.stringify(m.brandSentiments) : null))}::jsonb[]) as u(id, readings)
      where m.id = u.id and m.brand_sentiments is distinct from u.readings`.execute(trx);
  }
}

/** Each workspace's brand reader, from its brands as they are in this transaction. */
export async function readersFor(trx: Transaction<DB>, workspaceIds: readonly string[], scorer: Parameters<typeof createBrandReader>[1]): Promise<Map<string, BrandReader>> {
  if (!workspaceIds.length) return new Map();
  const rows = await trx
    .selectFrom('brands')
    .select(['id', 'workspace_id', 'name', 'query'])
    .where('workspace_id', '=', sql<never>`any(${[...new Set(workspaceIds)]}::uuid[])`)
    .orderBy('created_at')
    .execute();
  const byWorkspace = new Map<string, typeof rows>();
  for (const row of rows) byWorkspace.set(row.workspace_id, [...(byWorkspace.get(row.workspace_id) ?? []), row]);
  return new Map([...byWorkspace].map(([id, brands]) => [id, createBrandReader(brands, scorer)]));
}

/** The names of these brands, by id. */
export async function brandNames(trx: Transaction<DB>, brandIds: readonly string[]): Promise<Map<string, string>> {
  if (!brandIds.length) return new Map();
  const rows = await trx.selectFrom('brands').select(['id', 'name']).where('id', '=', sql<never>`any(${[...new Set(brandIds)]}::uuid[])`).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The brand links of these mentions as stored, by mention, in brand id order. */
export async function storedLinks(trx: Transaction<DB>, mentionIds: readonly number[]): Promise<Map<number, StoredLink[]>> {
  const linked = new Map<number, StoredLink[]>();
  if (!mentionIds.length) return linked;
  const rows = await trx
    .selectFrom('mention_brands')
    .select(['mention_id', 'brand_id', 'sentiment_label', 'sentiment_score'])
    .where('mention_id', '=', sql<never>`any(${mentionIds}::bigint[])`)
    .orderBy('brand_id')
    .execute();
  for (const row of rows) {
    const link = { brandId: row.brand_id, label: row.sentiment_label, score: row.sentiment_score };
    const list = linked.get(Number(row.mention_id));
    if (list) list.push(link);
    else linked.set(Number(row.mention_id), [link]);
  }
  return linked;
}

/**
 * Brings the brand readings of a workspace's mentions in line with the brands they have now, after
 * a rematch gave or took one of their brands or a brand was deleted: a post that now names two
 * brands is read for each, one left with a single brand reads as the post again. Links, the
 * mentions' readings and the brands' rollups all move together. The mentions must be locked.
 */
export async function reconcileReadings(
  trx: Transaction<DB>,
  { workspaceId, mentionIds, scorer, rollupRepository }: { workspaceId: string; mentionIds: readonly number[]; scorer: Parameters<typeof createBrandReader>[1]; rollupRepository: RollupRepository },
): Promise<void> {
  if (!mentionIds.length) return;
  const links = await storedLinks(trx, mentionIds);
  // Only mentions whose links can differ from the post: several brands now, or an own reading left from before.
  const rows = await trx
    .selectFrom('mentions')
    .select(['id', 'occurred_at', 'source_type', 'title', 'text', 'lang', 'sentiment_label', 'sentiment_score', 'brand_sentiments'])
    .where('id', '=', sql<never>`any(${mentionIds}::bigint[])`)
    .execute();
  const reread = rows.filter((r) => (links.get(Number(r.id))?.length ?? 0) > 1 || r.brand_sentiments !== null || links.get(Number(r.id))?.some((l) => l.score !== null || l.label !== r.sentiment_label));
  if (!reread.length) return;
  const reader = (await readersFor(trx, [workspaceId], scorer)).get(workspaceId);
  const entries: RollupEntry[] = [];
  const rewritten: Reread['links'] = [];
  const mentions: Array<{ id: number; brandSentiments: BrandSentiments | null }> = [];
  for (const row of reread) {
    const post = { lang: row.lang, label: row.sentiment_label as SentimentLabel, score: row.sentiment_score };
    const mention = { id: Number(row.id), occurredAt: row.occurred_at, sourceType: row.source_type, title: row.title, text: row.text };
    const result = rereadLinks(mention, links.get(mention.id) ?? [], post, post, reader, entries);
    rewritten.push(...result.links);
    mentions.push({ id: mention.id, brandSentiments: result.brandSentiments });
  }
  await writeReadings(trx, rewritten, mentions);
  await rollupRepository.apply(trx, workspaceId, entries);
}
