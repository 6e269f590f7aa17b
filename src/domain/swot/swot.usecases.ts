import type { AnalyticsRepository, Counts } from '../analytics/analytics.repository.js';
import { assertComparable, hourWindow } from '../analytics/analytics.usecases.js';
import { netSentiment, scoredMentions } from '../analytics/net-sentiment.js';
import type { BrandRepository, BrandRow } from '../brands/brands.repository.js';
import { AppError, notFound } from '../errors.js';
import { validationError } from '../validation.js';
import { extractThemesAsync } from '../themes/index.js';
import { oneCopyEach } from '../themes/themes.copies.js';
import type { ThemeMention } from '../themes/themes.types.js';
import { buildSwot } from './swot.build.js';
import type { SwotCache } from './swot.cache.js';
import type { BuiltSwot, SentimentWindow, SwotSample } from './swot.types.js';

/** A window's stored mentions as the themes read them (analyticsRepository.themeMentions rows). */
export const toThemeMentions = (rows: Awaited<ReturnType<AnalyticsRepository['themeMentions']>>): ThemeMention[] =>
  rows.map((r) => ({
    id: String(r.id),
    brandIds: r.brand_ids,
    title: r.title,
    text: r.text,
    lang: r.lang,
    sentimentScore: r.sentiment_label === 'unscored' ? null : r.sentiment_score,
    label: r.sentiment_label,
    occurredAt: r.occurred_at,
  }));

/** Mentions read per window for themes; a busier window is represented by its newest ones. */
export const SWOT_SAMPLE = 50_000;

const DAY = 86_400_000;
/**
 * The longest window a SWOT compares, as a digest's period: a 27-year SWOT against the 27 years
 * before says nothing a marketer can act on, and reads both windows' mentions.
 */
export const MAX_SWOT_DAYS = 366;

const windowOf = (c: Counts): SentimentWindow => ({ mentions: c.mentions, scored: scoredMentions(c), netSentiment: netSentiment(c) });
const brandMentions = (rows: readonly Counts[]) => rows.reduce((n, r) => n + r.mentions, 0);

/**
 * The own brand against its competitors over [since, until) and the equal window before it:
 * themes from mention text, share of voice and net sentiment from the rollups. The same data
 * gives the same SWOT (stable ordering everywhere). Themes come from at most `sampleLimit` of each
 * window's newest mentions, and `sample` says how many that was of how many the rollups count.
 * With a `cache`, an answer computed within its TTL for the same brand, window and brands is
 * served again (mentions stored since are not in it), and identical requests compute once.
 */
export async function competitorSwot({
  workspaceId,
  brandId,
  since: askedSince,
  until: askedUntil,
  brandRepository,
  analyticsRepository,
  sampleLimit = SWOT_SAMPLE,
  cache,
}: {
  workspaceId: string;
  brandId: string;
  since: Date;
  until: Date;
  brandRepository: BrandRepository;
  analyticsRepository: AnalyticsRepository;
  sampleLimit?: number;
  cache?: SwotCache;
}): Promise<BuiltSwot & { sample: SwotSample }> {
  // The version before the brands: a brand changed in between then files the answer under the
  // old version, which no later request asks for, never an answer from old brands under the new one.
  const brandVersion = cache?.enabled ? await brandRepository.version(workspaceId) : '';
  const brands = await brandRepository.all(workspaceId);
  const own = brands.find((b) => b.id === brandId);
  if (!own) throw notFound('brands', 'brand');
  if (own.role !== 'own') {
    const message = `"${own.name}" is a competitor; a SWOT is drawn for one of your own brands`;
    throw new AppError('swot.not_own_brand', 400, `brand: ${message}`, { fields: [{ field: 'brand', message }] });
  }
  const asked = askedUntil.getTime() - askedSince.getTime();
  if (asked > MAX_SWOT_DAYS * DAY) {
    throw validationError([{ field: 'since', message: `a SWOT covers at most ${MAX_SWOT_DAYS} days; this window has ${Math.ceil(asked / DAY)}` }]);
  }
  const { since, until } = hourWindow(askedSince, askedUntil);
  assertComparable(since, until, 'the SWOT');
  const previousSince = new Date(since.getTime() - (until.getTime() - since.getTime()));
  const compute = async () => {
    const [totals, previousTotals] = await Promise.all([
      analyticsRepository.totalsByBrand(workspaceId, since, until),
      analyticsRepository.totalsByBrand(workspaceId, previousSince, since),
    ]);
    return swotOfWindow({ workspaceId, ownBrandId: own.id, brands, since, until, totals, previousTotals, analyticsRepository, sampleLimit });
  };
  if (!cache) return compute();
  // "Not enough data" is not kept: it is what a new workspace, or a window still filling, answers
  // until enough mentions arrive, and it should not outlast them by the TTL.
  return cache.get({ workspaceId, brandId: own.id, since, until, brandVersion, sampleLimit }, compute, (swot) => swot.status === 'ok');
}

type Totals = ReadonlyArray<Counts & { brandId: string }>;

/**
 * The SWOT of exactly [since, until) given each brand's counts in it and in the equal window
 * before: what competitorSwot draws over whole UTC hours, and a scheduled digest over its own
 * period (which may end at 09:00 in Asia/Kolkata, 03:30 UTC) from the counts its brand table shows.
 */
export async function swotOfWindow({
  workspaceId,
  ownBrandId,
  brands,
  since,
  until,
  totals,
  previousTotals,
  analyticsRepository,
  sampleLimit = SWOT_SAMPLE,
}: {
  workspaceId: string;
  ownBrandId: string;
  brands: ReadonlyArray<Pick<BrandRow, 'id' | 'name' | 'role' | 'query'>>;
  since: Date;
  until: Date;
  totals: Totals;
  previousTotals: Totals;
  analyticsRepository: AnalyticsRepository;
  sampleLimit?: number;
}): Promise<BuiltSwot & { sample: SwotSample }> {
  const previousSince = new Date(since.getTime() - (until.getTime() - since.getTime()));
  const [current, previous] = await Promise.all([
    analyticsRepository.themeMentions({ workspaceId, since, until, limit: sampleLimit }),
    analyticsRepository.themeMentions({ workspaceId, since: previousSince, until: since, limit: sampleLimit }),
  ]);
  const themeBrands = brands.map((b) => ({ id: b.id, name: b.name, role: b.role, query: b.query }));
  const [currentMentions, previousMentions] = [toThemeMentions(current), toThemeMentions(previous)];
  // Copies of one text count once per window (themes.copies.ts), in counts and in evidence.
  const themes = await extractThemesAsync({ mentions: await oneCopyEach(currentMentions), previous: await oneCopyEach(previousMentions), brands: themeBrands });

  const shares = (rows: Totals) => {
    const all = brandMentions(rows);
    return Object.fromEntries(rows.map((r) => [r.brandId, all ? r.mentions / all : 0]));
  };
  const previousById = new Map(previousTotals.map((r) => [r.brandId, r]));
  // Counted per brand on both sides, as share of voice counts: what the themes read (copies
  // included: they were read, and count once) against what the rollups hold (fewer also when
  // retention has deleted a window's mentions).
  const known = new Set(brands.map((b) => b.id));
  const links = (mentions: readonly ThemeMention[]) => mentions.reduce((n, m) => n + [...new Set(m.brandIds)].filter((id) => known.has(id)).length, 0);
  const read = { mentions: links(currentMentions), previousMentions: links(previousMentions) };
  const of = brandMentions(totals);
  const previousOf = brandMentions(previousTotals);
  const sample: SwotSample = {
    sampled: read.mentions < of || read.previousMentions < previousOf,
    limit: sampleLimit,
    mentions: read.mentions,
    of,
    previousMentions: read.previousMentions,
    previousOf,
  };
  const swot = buildSwot({
    ownBrandId,
    brands: themeBrands,
    themes,
    shareOfVoice: { current: shares(totals), previous: shares(previousTotals), mentions: { current: of, previous: previousOf } },
    sentimentTrend: Object.fromEntries(
      totals.map((r) => {
        const p = previousById.get(r.brandId);
        return [r.brandId, { current: windowOf(r), previous: p ? windowOf(p) : { mentions: 0, scored: 0, netSentiment: null } }];
      }),
    ),
    since: since.toISOString(),
    until: until.toISOString(),
  });
  return { ...swot, sample };
}
