import type { AnalyticsRepository, ShownMention } from '../analytics/analytics.repository.js';
import { mergeSpellings, rankTrending, risesAboveNoise } from '../analytics/analytics.usecases.js';
import { netSentiment } from '../analytics/net-sentiment.js';
import { TERMS_SAMPLE, trendingKeywords } from '../analytics/terms.usecases.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import type { DigestLanguage } from '../i18n/languages.js';
import { swotOfWindow } from '../swot/swot.usecases.js';
import { firstOfEachText } from '../text/fingerprint.js';
import { SWOT_QUADRANTS } from './digest.swot.js';
import type { DigestDocument, DigestMention } from './digest.types.js';
import { periodDays, periodTotals } from './digests.counts.js';
import type { DigestRepository } from './digests.repository.js';
import { digestSources } from './digests.sources.js';

const TOP_MENTIONS = 5;
const TRENDING = 10;

type Extreme = Awaited<ReturnType<AnalyticsRepository['extremes']>>[number];

/**
 * The period's TOP_MENTIONS most positive (negative) readings, copies of one text counted once
 * per brand (firstOfEachText, the first in the list's order standing for them), as the SWOT and
 * trending keywords count them: a post reposted four times took four of the five rows. A row is
 * still one brand's reading of a post, so a post naming two brands may be a row for each. Reads
 * more rows while copies leave fewer than TOP_MENTIONS texts and the period has more.
 */
async function topMentions({ analyticsRepository, ...window }: { workspaceId: string; since: Date; until: Date; direction: 'positive' | 'negative'; analyticsRepository: AnalyticsRepository }): Promise<Extreme[]> {
  for (let limit = TOP_MENTIONS * 4; ; limit *= 4) {
    const rows = await analyticsRepository.extremes({ ...window, limit });
    const byBrand = new Map<string, Extreme[]>();
    for (const row of rows) {
      const list = byBrand.get(row.brand_id);
      if (list) list.push(row);
      else byBrand.set(row.brand_id, [row]);
    }
    const kept = new Set<Extreme>();
    for (const brandRows of byBrand.values()) for (const row of await firstOfEachText(brandRows, (r) => r)) kept.add(row);
    const distinct = rows.filter((row) => kept.has(row));
    if (distinct.length >= TOP_MENTIONS || rows.length < limit) return distinct.slice(0, TOP_MENTIONS);
  }
}

/**
 * Everything a digest says about [since, until), composed once from the rollups and the stored
 * mentions, so the JSON, Markdown, HTML and e-mail renderings all tell the same story. The period
 * has passed, and every comparison is with the equal window just before it. It need not start or
 * end on a UTC hour (a scheduled one ends at its run, 03:30 UTC for 09:00 in Asia/Kolkata): the
 * figures read from hourly rollups take out what their first and last hour hold outside it
 * (digests.counts.ts), the others read the mentions of exactly the period. `language` is recorded
 * with it: the renderings are written in it; the document itself is data, the same in any language.
 */
export async function composeDigest({
  workspace,
  language,
  since,
  until,
  timeZone,
  now,
  brandRepository,
  analyticsRepository,
  digestRepository,
}: {
  workspace: { id: string; name: string };
  language: DigestLanguage;
  since: Date;
  until: Date;
  timeZone: string;
  now: Date;
  brandRepository: BrandRepository;
  analyticsRepository: AnalyticsRepository;
  digestRepository: DigestRepository;
}): Promise<DigestDocument> {
  const workspaceId = workspace.id;
  const previousSince = new Date(since.getTime() - (until.getTime() - since.getTime()));
  const brands = await brandRepository.all(workspaceId);
  const common = { workspaceId, brandRepository, analyticsRepository };
  const counts = { workspaceId, analyticsRepository, digestRepository };
  const [totals, previousTotals, trend, positive, negative, hashtags, keywords, alerts] = await Promise.all([
    periodTotals({ ...counts, since, until }),
    periodTotals({ ...counts, since: previousSince, until: since }),
    periodDays({ ...counts, since, until, timeZone, now }),
    topMentions({ workspaceId, since, until, direction: 'positive', analyticsRepository }),
    topMentions({ workspaceId, since, until, direction: 'negative', analyticsRepository }),
    // From the mentions, not the whole-UTC-day hashtag rollups, which would reach past `until`.
    digestRepository.hashtagCounts({ workspaceId, since, until }),
    trendingKeywords({ ...common, since, until, now, limit: TRENDING }),
    digestRepository.alertsFired(workspaceId, since, until),
  ]);
  const all = totals.reduce((n, t) => n + t.mentions, 0);
  const allPrevious = previousTotals.reduce((n, t) => n + t.mentions, 0);
  const previousById = new Map(previousTotals.map((t) => [t.brandId, t]));
  const own = brands.find((b) => b.role === 'own');
  // Each item carries its sentence in English and as facts (summaryFacts): the renderings write the facts in the digest's language.
  const swot = own ? await swotOfWindow({ workspaceId, ownBrandId: own.id, brands, since, until, totals, previousTotals, analyticsRepository }) : null;
  const sampleIds = swot?.status === 'ok' ? SWOT_QUADRANTS.flatMap((key) => swot[key].flatMap((item) => item.evidence.sampleMentionIds)) : [];
  const samples = await analyticsRepository.shown(workspaceId, [...new Set(sampleIds)]);
  // A top mention is one brand's reading of the post (its link's), named with that brand; a SWOT
  // sample is the post itself.
  const toMention = (m: ShownMention & { brand_id?: string }): DigestMention => ({
    id: String(m.id),
    brandId: m.brand_id ?? m.brand_ids[0] ?? '',
    url: m.url,
    title: m.title,
    text: m.text,
    score: m.sentiment_score,
    occurredAt: m.occurred_at.toISOString(),
    sourceType: m.source_type,
    lang: m.lang,
  });
  // Local days are cut in the digest's zone; the first and last may hold only part of a day.
  const localDate = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const digestBrands = brands.map((b) => {
    const t = totals.find((x) => x.brandId === b.id);
    const p = previousById.get(b.id);
    const net = t ? netSentiment(t) : null;
    const previousNet = p ? netSentiment(p) : null;
    return {
      brandId: b.id,
      name: b.name,
      role: b.role,
      mentions: t?.mentions ?? 0,
      previousMentions: p?.mentions ?? 0,
      share: all && t ? t.mentions / all : 0,
      previousShare: allPrevious && p ? p.mentions / allPrevious : 0,
      netSentiment: net,
      previousNetSentiment: previousNet,
      // Both have four decimals, and so has their difference.
      netSentimentChange: net === null || previousNet === null ? null : Math.round((net - previousNet) * 1e4) / 1e4,
    };
  });
  // "No mentions of X" means nothing was said only if the sources were read: their health says
  // which are not, their outages which were not for part of the period (and, for a period
  // without a single mention, whether any fetch at all).
  const sources = await digestSources({ workspaceId, since, until, digestRepository });
  return {
    language,
    workspace: { id: workspace.id, name: workspace.name },
    period: { since: since.toISOString(), until: until.toISOString(), timeZone },
    generatedAt: now.toISOString(),
    brands: digestBrands,
    sentimentTrend: trend.map((s) => ({
      brandId: s.brandId,
      days: s.days.map((d) => ({
        date: localDate.format(d.start),
        since: d.since.toISOString(),
        until: d.until.toISOString(),
        mentions: d.counts.mentions,
        netSentiment: netSentiment(d.counts),
      })),
    })),
    topPositive: positive.map(toMention),
    topNegative: negative.map(toMention),
    trendingHashtags: rankTrending(mergeSpellings(hashtags).filter(risesAboveNoise), TRENDING)
      .map(({ term, mentions, previous, growth }) => ({ term, mentions, previous, growth })),
    trendingKeywords: keywords.items.map(({ term, mentions, previous, growth }) => ({ term, mentions, previous, growth })),
    trendingKeywordsSample: keywords.sampled ? TERMS_SAMPLE : null,
    alerts: alerts.map((a) => ({ id: a.id, brandId: a.brand_id, firedAt: a.created_at.toISOString(), observed: a.observed, expected: Math.round(a.expected * 100) / 100, score: Math.round(a.score * 100) / 100 })),
    swot,
    swotSamples: samples.map(toMention),
    sources,
  };
}
