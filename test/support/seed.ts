import type { SourceItem } from '../../src/connectors/connector.types.js';
import type { PreparedMention } from '../../src/domain/mentions/ingest.js';
import { toMentionBatch } from '../../src/domain/mentions/batch.js';
import { storeMentions } from '../../src/domain/mentions/store.js';
import type { Services } from '../../src/services.js';

let counter = 0;

/** A mention as the pipeline would prepare it, with the brands it matched given outright. */
/** A polled item as a connector gives it: a post with no media, engagement or followers unless given. */
export function sourceItem(p: Pick<SourceItem, 'itemKey' | 'text'> & Partial<SourceItem>): SourceItem {
  return {
    url: null,
    title: null,
    author: null,
    publishedAt: new Date('2026-11-20T10:00:00Z'),
    dateQuality: 'exact',
    hashtags: [],
    handles: [],
    categories: [],
    engagement: null,
    authorFollowers: null,
    langHint: null,
    ...p,
  };
}

export function mention(p: {
  at: string | Date;
  brands: string[];
  label?: 'positive' | 'neutral' | 'negative' | 'unscored';
  score?: number;
  hashtags?: string[];
  lang?: string | null;
  text?: string;
  key?: string;
  url?: string;
  engagement?: PreparedMention['engagement'];
  authorFollowers?: number | null;
  /** Readings of brands that differ from the post's own (a multi-brand post). */
  brandSentiments?: PreparedMention['brandSentiments'];
}): PreparedMention {
  const label = p.label ?? 'neutral';
  const score = p.score ?? (label === 'positive' ? 0.6 : label === 'negative' ? -0.6 : 0);
  const at = new Date(p.at);
  counter++;
  return {
    itemKey: p.key ?? `seed-${counter}-${Math.random().toString(36).slice(2)}`,
    canonicalUrl: null,
    url: p.url ?? null,
    title: null,
    text: p.text ?? `seeded mention ${counter}`,
    author: null,
    publishedAt: at,
    dateQuality: 'exact',
    fetchedAt: at,
    occurredAt: at,
    lang: p.lang === undefined ? 'en' : p.lang,
    langConfidence: 1,
    sentiment: { score, label, model: 'seed@1' },
    hashtags: p.hashtags ?? [],
    handles: [],
    engagement: p.engagement ?? null,
    authorFollowers: p.authorFollowers ?? null,
    brands: p.brands.map((brandId) => ({ brandId, keywords: [] })),
    brandSentiments: p.brandSentiments ?? null,
    isBacklog: false,
  };
}

/** Stores mentions through the same code the pipeline uses (rows, links, rollups, live events); returns the matched rows with their ids. */
export async function seed(
  services: Pick<Services, 'db' | 'mentionRepository' | 'rollupRepository'>,
  { workspaceId, sourceId, sourceType = 'rss', mentions }: { workspaceId: string; sourceId: string; sourceType?: string; mentions: PreparedMention[] },
) {
  const stored = await services.db.transaction().execute(async (trx) => {
    const result = await storeMentions({
      trx,
      workspaceId,
      sourceId,
      sourceType,
      batch: toMentionBatch(mentions),
      now: new Date(),
      mentionRepository: services.mentionRepository,
      rollupRepository: services.rollupRepository,
    });
    await services.mentionRepository.recordEvents(trx, workspaceId, result.matched.map((r) => r.id));
    return result;
  });
  return stored.matched;
}

/**
 * Two weeks of a brand's quiet hourly history, then 25 negative mentions in the last 20 minutes:
 * an alert rule of the brand (a window of 30 minutes or more) opens an incident at its first
 * evaluation.
 */
export function quietWeeksThenNegativeSpike(brand: string, now = Date.now()) {
  const mentions = [];
  for (let h = 14 * 24; h >= 2; h--) {
    const hour = Math.floor(now / 3_600_000 - h) * 3_600_000;
    for (let i = 0; i < 4 + (h % 4); i++) mentions.push(mention({ at: new Date(hour + i * 60_000), brands: [brand], label: (h + i) % 5 === 0 ? 'negative' : 'neutral' }));
  }
  const minute = Math.floor(now / 60_000) * 60_000;
  for (let i = 0; i < 25; i++) mentions.push(mention({ at: new Date(minute - (i + 1) * 45_000), brands: [brand], label: 'negative', score: -0.8, text: `Acme ruined my order ${i}` }));
  return mentions;
}
