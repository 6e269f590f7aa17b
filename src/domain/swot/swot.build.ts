import { netSentiment, scoredMentions } from '../analytics/net-sentiment.js';
import { AppError } from '../errors.js';
import { innerKeys } from '../themes/themes.extract.js';
import type { BrandThemes, Theme, ThemeCounts } from '../themes/themes.types.js';
import { summaries } from './swot.summaries.js';
import type { SentimentWindow, Swot, SwotBrand, SwotInput, SwotItem, SwotRule, SwotThresholds } from './swot.types.js';

/** The documented thresholds (docs/swot.md); every one can be overridden per call. */
export const SWOT_THRESHOLDS: SwotThresholds = {
  minBrandMentions: 20,
  minThemeMentions: 5,
  polarity: 0.2,
  margin: 0.2,
  risingGrowth: 2,
  risingChange: 5,
  sovGrowth: 1.5,
  sovPoints: 0.05,
  momentumDrop: 0.2,
  maxItems: 10,
  samples: 5,
};

/** A theme on one side: the own brand's, or the competitors' pooled. */
interface Side {
  theme: string;
  mentions: number;
  previousMentions: number;
  positive: number;
  negative: number;
  /** Positive, neutral and negative: what netSentiment is over. */
  scored: number;
  netSentiment: number | null;
  brandIds: string[];
  sampleMentionIds: string[];
  /** Samples labelled positive (negative): the only evidence of praise (criticism). */
  positiveSampleIds: string[];
  negativeSampleIds: string[];
}

/** A side with enough scored mentions to be judged on its net sentiment. */
type Judged = Side & { netSentiment: number };

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Interleaves lists (the first of each, then the second of each…) without repeats. */
function interleave(lists: readonly (readonly string[])[], limit: number): string[] {
  const out = new Set<string>();
  for (let i = 0; out.size < limit && lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (i < list.length && out.size < limit) out.add(list[i]!);
  }
  return [...out];
}

function ownSide(theme: Theme, brandId: string): Side {
  // Theme.netSentiment is over every mention; the SWOT's, like share of voice's, is over the scored ones.
  return { ...theme, scored: scoredMentions(theme), netSentiment: netSentiment(theme), brandIds: [brandId] };
}

/** A brand's counts on a key that is not among its top themes: compared with, never evidence (no samples). */
function countedSide(key: string, counts: ThemeCounts | undefined, brandId: string): Side | undefined {
  if (!counts) return undefined;
  const { mentions, previousMentions, positive, negative } = counts;
  return { theme: key, mentions, previousMentions, positive, negative, scored: scoredMentions(counts), netSentiment: netSentiment(counts), brandIds: [brandId], sampleMentionIds: [], positiveSampleIds: [], negativeSampleIds: [] };
}

/**
 * Competitors' keys pooled: counts add up over every competitor with enough mentions on the key
 * (BrandThemes.counts, not only its top themes), net sentiment is over the pooled scored mentions,
 * and the theme text and samples come from the competitors that have it among their themes.
 */
function poolCompetitors(competitors: readonly BrandThemes[], samples: number): Map<string, Side> {
  const byKey = new Map<string, Array<{ brandId: string; counts: ThemeCounts; theme?: Theme }>>();
  for (const brand of competitors) {
    const themes = new Map(brand.themes.map((theme) => [theme.key, theme]));
    for (const [key, counts] of brand.counts) {
      const list = byKey.get(key) ?? [];
      list.push({ brandId: brand.brandId, counts, ...(themes.has(key) ? { theme: themes.get(key)! } : {}) });
      byKey.set(key, list);
    }
  }
  const pooled = new Map<string, Side>();
  for (const [key, list] of byKey) {
    list.sort((a, b) => b.counts.mentions - a.counts.mentions || byCodeUnits(a.brandId, b.brandId));
    const sum = (pick: (c: ThemeCounts) => number) => list.reduce((total, { counts }) => total + pick(counts), 0);
    const counts = { positive: sum((c) => c.positive), neutral: sum((c) => c.neutral), negative: sum((c) => c.negative) };
    const themes = list.flatMap((entry) => entry.theme ?? []);
    pooled.set(key, {
      theme: themes[0]?.theme ?? key,
      mentions: sum((c) => c.mentions),
      previousMentions: sum((c) => c.previousMentions),
      positive: counts.positive,
      negative: counts.negative,
      scored: scoredMentions(counts),
      netSentiment: netSentiment(counts),
      brandIds: list.map((entry) => entry.brandId),
      sampleMentionIds: interleave(themes.map((theme) => theme.sampleMentionIds), samples),
      positiveSampleIds: interleave(themes.map((theme) => theme.positiveSampleIds), samples),
      negativeSampleIds: interleave(themes.map((theme) => theme.negativeSampleIds), samples),
    });
  }
  return pooled;
}

function item(rule: SwotRule, side: Pick<Side, 'theme' | 'mentions' | 'scored' | 'netSentiment' | 'brandIds' | 'sampleMentionIds'>, summary: string, signal: number): SwotItem {
  return {
    theme: side.theme,
    summary,
    evidence: { mentions: side.mentions, scored: side.scored, netSentiment: side.netSentiment, brandIds: side.brandIds, sampleMentionIds: side.sampleMentionIds },
    // Support grows the score slowly (a log), the strength of the signal linearly.
    score: round(Math.log(1 + side.mentions) * signal),
    rule,
  };
}

function ranked(items: SwotItem[], limit: number): SwotItem[] {
  const best = new Map<string, SwotItem>();
  for (const candidate of items) {
    const held = best.get(candidate.theme);
    if (!held || candidate.score > held.score) best.set(candidate.theme, candidate);
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || b.evidence.mentions - a.evidence.mentions || byCodeUnits(a.theme, b.theme))
    .slice(0, limit);
}

/** What buildSwot answers: a Swot with its brands always named. */
type BuiltSwot = Swot & { brands: SwotBrand[] };

function notEnough(base: Omit<BuiltSwot, 'status' | 'strengths' | 'weaknesses' | 'opportunities' | 'threats'>, reason: string): BuiltSwot {
  return { ...base, status: 'not_enough_data', reason, strengths: [], weaknesses: [], opportunities: [], threats: [] };
}

/**
 * The own brand's SWOT against its competitors, by the rules in docs/swot.md. Deterministic:
 * every list is ordered by score, then mentions, then theme text. With too few mentions on
 * either side the answer is `not_enough_data` with a reason, never a guess.
 */
/** "1 mention", "8 mentions". */
const mentionCount = (n: number) => `${n} mention${n === 1 ? '' : 's'}`;

export function buildSwot(input: SwotInput): BuiltSwot {
  const t = { ...SWOT_THRESHOLDS, ...input.thresholds };
  const own = input.brands.find((b) => b.id === input.ownBrandId);
  if (!own || own.role !== 'own') {
    throw new AppError('swot.not_own_brand', 400, 'a SWOT is built for a brand whose role is own');
  }
  const competitors = input.brands.filter((b) => b.role === 'competitor').sort((a, b) => byCodeUnits(a.id, b.id));
  const nameOf = new Map(input.brands.map((b) => [b.id, b.name]));
  const themesOf = new Map(input.themes.map((b) => [b.brandId, b]));
  const volume = (id: string) => input.sentimentTrend[id]?.current.mentions ?? themesOf.get(id)?.mentions ?? 0;
  const brands = [own, ...competitors].map((b): SwotBrand => ({ id: b.id, name: b.name, role: b === own ? 'own' : 'competitor' }));
  const base = { brandId: own.id, competitorIds: competitors.map((c) => c.id), brands, since: input.since, until: input.until };

  if (competitors.length === 0) return notEnough(base, 'the workspace has no competitor brands to compare with');
  const ownVolume = volume(own.id);
  if (ownVolume < t.minBrandMentions) {
    return notEnough(base, `${own.name} has ${mentionCount(ownVolume)} in the period; at least ${t.minBrandMentions} are needed`);
  }
  const competitorVolume = competitors.reduce((total, c) => total + volume(c.id), 0);
  if (competitorVolume < t.minBrandMentions) {
    return notEnough(base, `competitors have ${mentionCount(competitorVolume)} in the period; at least ${t.minBrandMentions} are needed`);
  }

  const ownThemes = new Map((themesOf.get(own.id)?.themes ?? []).map((theme) => [theme.key, ownSide(theme, own.id)]));
  const ownCounts = themesOf.get(own.id)?.counts ?? new Map<string, ThemeCounts>();
  // The own brand on a competitor's theme: its theme, or its real counts when the key is not among its top themes.
  const ownOn = (key: string) => ownThemes.get(key) ?? countedSide(key, ownCounts.get(key), own.id);
  const competitorThemes = competitors.flatMap((c) => themesOf.get(c.id) ?? []);
  const pooled = poolCompetitors(competitorThemes, t.samples);
  // Competitor items are drawn from their themes; pooled also holds the keys beyond them, to compare with.
  const competitorKeys = new Set(competitorThemes.flatMap((brand) => brand.themes.map((theme) => theme.key)));
  const supported = (side: Side | undefined) => (side && side.mentions >= t.minThemeMentions ? side : undefined);
  // Net sentiment over two scored mentions of ten is no judgement: the sentiment rules need as
  // many scored mentions as a theme needs mentions (languages without a lexicon are unscored).
  const judged = (side: Side | undefined): Judged | undefined =>
    (side && side.netSentiment !== null && side.scored >= t.minThemeMentions ? { ...side, netSentiment: side.netSentiment } : undefined);
  // The other side as a sentence shows it: judged, a theme with too few (scored) mentions to judge
  // (net null, its count stated), or no theme at all.
  const shown = (side: Side | undefined) => judged(side) ?? (side ? { ...side, netSentiment: null } : undefined);
  // Praise is evidenced by positive mentions only, criticism by negative ones.
  const praise = (side: Judged): Judged => ({ ...side, sampleMentionIds: side.positiveSampleIds.slice(0, t.samples) });
  const criticism = (side: Judged): Judged => ({ ...side, sampleMentionIds: side.negativeSampleIds.slice(0, t.samples) });
  const names = (side: Side) => side.brandIds.map((id) => nameOf.get(id) ?? id);

  const strengths: SwotItem[] = [];
  const weaknesses: SwotItem[] = [];
  for (const [key, side] of ownThemes) {
    const o = judged(side);
    if (!o) continue;
    const c = judged(pooled.get(key));
    const others = shown(pooled.get(key));
    if (o.netSentiment >= t.polarity && (!c || o.netSentiment >= c.netSentiment + t.margin)) {
      strengths.push(item('own_praised', praise(o), summaries.ownPraised(o.theme, own.name, o, others), o.netSentiment - (c?.netSentiment ?? 0)));
    } else if (o.netSentiment <= -t.polarity) {
      const gap = c ? Math.max(-o.netSentiment, c.netSentiment - o.netSentiment) : -o.netSentiment;
      weaknesses.push(item('own_criticised', criticism(o), summaries.ownCriticised(o.theme, own.name, o, others), gap));
    } else if (c && o.netSentiment <= c.netSentiment - t.margin) {
      weaknesses.push(item('own_worse_than_competitors', o, summaries.ownWorse(o.theme, own.name, o, c), c.netSentiment - o.netSentiment));
    }
  }

  const opportunities: SwotItem[] = [];
  const threats: SwotItem[] = [];
  for (const key of competitorKeys) {
    const c = supported(pooled.get(key));
    if (!c) continue;
    const cj = judged(c);
    const o = judged(ownOn(key));
    const ours = shown(ownOn(key));
    if (cj && cj.netSentiment <= -t.polarity && (!o || o.netSentiment >= cj.netSentiment + t.margin)) {
      opportunities.push(item('competitors_criticised', criticism(cj), summaries.competitorsCriticised(cj.theme, names(cj), cj, own.name, ours), -cj.netSentiment));
    }
    const praised = cj && cj.netSentiment >= t.polarity && (!o || cj.netSentiment >= o.netSentiment + t.margin);
    if (praised) {
      threats.push(item('competitors_praised', praise(cj), summaries.competitorsPraised(cj.theme, names(cj), cj, own.name, ours), cj.netSentiment - (o?.netSentiment ?? 0)));
    }
    const growth = (c.mentions + 1) / (c.previousMentions + 1);
    // Absent means fewer own mentions than a theme needs, on it and on every part of it ("customer
    // service" in "customer service line"), counted over all the own brand's keys, not its top themes.
    const ownAbsent = ![key, ...innerKeys(key)].some((k) => ownCounts.has(k));
    // A theme competitors are praised for is a threat, rising or not: listed as an opportunity too,
    // it would put one point, on the same mentions, in two quadrants.
    if (!praised && ownAbsent && growth >= t.risingGrowth && c.mentions - c.previousMentions >= t.risingChange) {
      // The signal is the share of this window's mentions that are new: 0 → n scores 1.
      const signal = 1 - c.previousMentions / c.mentions;
      opportunities.push(item('rising_without_own', c, summaries.rising(c.theme, names(c), c.mentions, c.previousMentions, own.name), signal));
    }
  }

  for (const competitor of competitors) {
    const current = input.shareOfVoice.current[competitor.id] ?? 0;
    const previous = input.shareOfVoice.previous[competitor.id] ?? 0;
    if (current - previous < t.sovPoints || current < previous * t.sovGrowth) continue;
    const brandThemes = themesOf.get(competitor.id);
    const window = input.sentimentTrend[competitor.id]?.current;
    threats.push(item('competitor_share_gain', {
      theme: `share of voice: ${competitor.name}`,
      mentions: volume(competitor.id),
      scored: window?.scored ?? 0,
      netSentiment: window?.netSentiment ?? null,
      brandIds: [competitor.id],
      sampleMentionIds: interleave([
        ...(brandThemes?.themes.slice(0, 3).map((theme) => theme.sampleMentionIds) ?? []),
        brandThemes?.positiveSampleIds ?? [],
        brandThemes?.negativeSampleIds ?? [],
      ], t.samples),
    }, summaries.shareGain(competitor.name, previous, current), 1 - previous / current));
  }

  const trend = input.sentimentTrend[own.id];
  const [before, now] = [trend?.previous, trend?.current];
  // Both windows judged on as many scored mentions as a brand needs mentions.
  if (before?.netSentiment != null && now?.netSentiment != null
    && before.scored >= t.minBrandMentions && now.scored >= t.minBrandMentions
    && before.netSentiment - now.netSentiment >= t.momentumDrop) {
    const side = { mentions: now.mentions, scored: now.scored };
    threats.push(item('own_negative_momentum', {
      theme: `net sentiment: ${own.name}`,
      ...side,
      netSentiment: now.netSentiment,
      brandIds: [own.id],
      sampleMentionIds: (themesOf.get(own.id)?.negativeSampleIds ?? []).slice(0, t.samples),
    }, summaries.momentum(own.name, before.netSentiment, now.netSentiment, side), before.netSentiment - now.netSentiment));
  }

  return {
    ...base,
    status: 'ok',
    strengths: ranked(strengths, t.maxItems),
    weaknesses: ranked(weaknesses, t.maxItems),
    opportunities: ranked(opportunities, t.maxItems),
    threats: ranked(threats, t.maxItems),
  };
}
