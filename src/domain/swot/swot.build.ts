import { netSentiment, scoredMentions } from '../analytics/net-sentiment.js';
import { AppError } from '../errors.js';
import { innerKeys } from '../themes/themes.extract.js';
import type { BrandThemes, Theme, ThemeCounts } from '../themes/themes.types.js';
import type { SwotReasonFacts, SwotSummaryFacts } from '../i18n/swot.facts.js';
import { reasonIn, summaries, summaryIn } from './swot.summaries.js';
import type { BuiltSwot, BuiltSwotItem, SentimentWindow, SwotBrand, SwotInput, SwotRule, SwotThresholds } from './swot.types.js';

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
  sovZ: 1.645,
  sovMinExpected: 5,
  momentumDrop: 0.2,
  maxItems: 10,
  samples: 5,
};

/** A theme on one side: the own brand's, or the competitors' pooled. */
interface Side {
  theme: string;
  /** The theme's key (language and stems); none for a brand-wide item (share of voice, momentum). */
  key?: string;
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
      key,
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

/** An item, and while the quadrants are ranked, the key of its theme. */
type Candidate = BuiltSwotItem & { key?: string | undefined };

/** The item of a rule: its sentence as facts (`summaryFacts`) and written in English from them (`summary`). */
function item(rule: SwotRule, side: Pick<Side, 'theme' | 'key' | 'mentions' | 'scored' | 'netSentiment' | 'brandIds' | 'sampleMentionIds'>, facts: SwotSummaryFacts, signal: number): Candidate {
  return {
    key: side.key,
    theme: side.theme,
    summary: summaryIn(facts),
    summaryFacts: facts,
    evidence: { mentions: side.mentions, scored: side.scored, netSentiment: side.netSentiment, brandIds: side.brandIds, sampleMentionIds: side.sampleMentionIds },
    // Support grows the score slowly (a log), the strength of the signal linearly.
    score: round(Math.log(1 + side.mentions) * signal),
    rule,
  };
}

/**
 * A quadrant's items, best first: one per theme (the higher-scoring), and none whose theme is a
 * part of a longer one in the quadrant, of the same brands, that leaves it fewer mentions of its
 * own than a theme needs to be judged ("times" beside "waiting times", 7 mentions against 5: every
 * mention of the longer key holds the shorter, so 2 are its own, and the item said nothing more).
 */
function ranked(items: Candidate[], { maxItems, minThemeMentions }: Pick<SwotThresholds, 'maxItems' | 'minThemeMentions'>): BuiltSwotItem[] {
  const best = new Map<string, Candidate>();
  for (const candidate of items) {
    const held = best.get(candidate.theme);
    if (!held || candidate.score > held.score) best.set(candidate.theme, candidate);
  }
  // The most mentions any longer theme of the quadrant holds of each (brands, inner key).
  const outer = new Map<string, number>();
  const at = (c: Candidate, key: string) => `${[...c.evidence.brandIds].sort(byCodeUnits).join(' ')}|${key}`;
  for (const c of best.values()) {
    for (const inner of c.key ? innerKeys(c.key) : []) outer.set(at(c, inner), Math.max(outer.get(at(c, inner)) ?? 0, c.evidence.mentions));
  }
  const ownMentions = (c: Candidate) => {
    const covered = c.key === undefined ? undefined : outer.get(at(c, c.key));
    return covered === undefined ? Infinity : c.evidence.mentions - covered;
  };
  return [...best.values()]
    .filter((c) => ownMentions(c) >= minThemeMentions)
    .sort((a, b) => b.score - a.score || b.evidence.mentions - a.evidence.mentions || byCodeUnits(a.theme, b.theme))
    .slice(0, maxItems)
    .map(({ key: _key, ...rest }) => rest);
}

/**
 * Whether a brand's share of voice rose beyond chance from `previous` to `current`, shares of
 * `mentions.previous` and `mentions.current` mentions: the one-sided two-proportion z-test. A
 * ratio alone calls 1 mention of 14 against 34 of 140 a 3.4× rise. Not called at all without the
 * data to call it: a previous window of fewer than minBrandMentions mentions (empty, or before the
 * sources existed), or expected counts under the pooled share below sovMinExpected, where the
 * normal approximation the test rests on does not hold.
 */
export function shareRose(
  { current, previous, mentions }: { current: number; previous: number; mentions: { current: number; previous: number } },
  t: Pick<SwotThresholds, 'minBrandMentions' | 'sovZ' | 'sovMinExpected'>,
): boolean {
  const [n1, n0] = [mentions.current, mentions.previous];
  if (n0 < t.minBrandMentions || n1 < t.minBrandMentions) return false;
  const pooled = (current * n1 + previous * n0) / (n1 + n0);
  if (Math.min(n1, n0) * Math.min(pooled, 1 - pooled) < t.sovMinExpected) return false;
  const z = (current - previous) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  return z >= t.sovZ;
}

/** A SWOT with no items: the reason as facts (`reasonFacts`) and written in English from them. */
function notEnough(base: Omit<BuiltSwot, 'status' | 'strengths' | 'weaknesses' | 'opportunities' | 'threats'>, facts: SwotReasonFacts): BuiltSwot {
  return { ...base, status: 'not_enough_data', reason: reasonIn(facts), reasonFacts: facts, strengths: [], weaknesses: [], opportunities: [], threats: [] };
}

/**
 * The own brand's SWOT against its competitors, by the rules in docs/swot.md. Deterministic:
 * every list is ordered by score, then mentions, then theme text. With too few mentions on
 * either side the answer is `not_enough_data` with a reason, never a guess.
 */
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

  if (competitors.length === 0) return notEnough(base, { reason: 'no_competitors' });
  const ownVolume = volume(own.id);
  if (ownVolume < t.minBrandMentions) {
    return notEnough(base, { reason: 'own_too_few', own: own.name, mentions: ownVolume, needed: t.minBrandMentions });
  }
  const competitorVolume = competitors.reduce((total, c) => total + volume(c.id), 0);
  if (competitorVolume < t.minBrandMentions) {
    return notEnough(base, { reason: 'competitors_too_few', mentions: competitorVolume, needed: t.minBrandMentions });
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

  const strengths: Candidate[] = [];
  const weaknesses: Candidate[] = [];
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

  const opportunities: Candidate[] = [];
  const threats: Candidate[] = [];
  // Nothing rose against a window with too little in it (empty, or before the sources existed):
  // "0 → 5 mentions" there says only that the window was not watched.
  const previousRead = input.shareOfVoice.mentions.previous >= t.minBrandMentions;
  for (const key of competitorKeys) {
    const c = supported(pooled.get(key));
    if (!c) continue;
    const cj = judged(c);
    const o = judged(ownOn(key));
    const ours = shown(ownOn(key));
    const growth = (c.mentions + 1) / (c.previousMentions + 1);
    // Absent means fewer own mentions than a theme needs, on it and on every part of it ("customer
    // service" in "customer service line"), counted over all the own brand's keys, not its top themes.
    const ownAbsent = ![key, ...innerKeys(key)].some((k) => ownCounts.has(k));
    const rising = previousRead && ownAbsent && growth >= t.risingGrowth && c.mentions - c.previousMentions >= t.risingChange;
    // The signal of a rise is the share of this window's mentions that are new: 0 → n scores 1.
    const risingSignal = 1 - c.previousMentions / c.mentions;
    const criticised = cj && cj.netSentiment <= -t.polarity && (!o || o.netSentiment >= cj.netSentiment + t.margin);
    if (criticised) {
      // Rising too, the one item says both, and ranks by the stronger of the two signals.
      const rise = rising ? { previous: c.previousMentions } : undefined;
      opportunities.push(item('competitors_criticised', criticism(cj), summaries.competitorsCriticised(cj.theme, names(cj), cj, own.name, ours, rise), Math.max(-cj.netSentiment, rising ? risingSignal : 0)));
    }
    const praised = cj && cj.netSentiment >= t.polarity && (!o || cj.netSentiment >= o.netSentiment + t.margin);
    if (praised) {
      threats.push(item('competitors_praised', praise(cj), summaries.competitorsPraised(cj.theme, names(cj), cj, own.name, ours), cj.netSentiment - (o?.netSentiment ?? 0)));
    }
    // A theme competitors are praised for is a threat, rising or not: listed as an opportunity too,
    // it would put one point, on the same mentions, in two quadrants. One they are criticised for
    // is the criticism item above, which says it is rising.
    if (!praised && !criticised && rising) {
      opportunities.push(item('rising_without_own', c, summaries.rising(c.theme, names(c), c.mentions, c.previousMentions, own.name), risingSignal));
    }
  }

  const sov = input.shareOfVoice;
  for (const competitor of competitors) {
    const current = sov.current[competitor.id] ?? 0;
    const previous = sov.previous[competitor.id] ?? 0;
    if (current - previous < t.sovPoints || current < previous * t.sovGrowth) continue;
    if (!shareRose({ current, previous, mentions: sov.mentions }, t)) continue;
    const brandThemes = themesOf.get(competitor.id);
    const window = input.sentimentTrend[competitor.id]?.current;
    const scored = window?.scored ?? 0;
    const net = window?.netSentiment ?? null;
    // Judged as a theme's side is: on enough scored mentions.
    const judgedNet = net !== null && scored >= t.minThemeMentions ? net : null;
    const side = { theme: `share of voice: ${competitor.name}`, mentions: volume(competitor.id), scored, netSentiment: net, brandIds: [competitor.id] };
    const shift = { name: competitor.name, previous, current, side };
    const signal = 1 - previous / current;
    // Louder on criticism, a competitor is no threat: its unhappy customers are the own brand's
    // opportunity, evidenced by the competitor's most negative mentions.
    if (judgedNet !== null && judgedNet <= -t.polarity) {
      const sampleMentionIds = (brandThemes?.negativeSampleIds ?? []).slice(0, t.samples);
      opportunities.push(item('competitor_criticised_share_gain', { ...side, sampleMentionIds }, summaries.shareGainCriticised({ ...shift, net: judgedNet }, own.name), signal));
      continue;
    }
    threats.push(item('competitor_share_gain', {
      ...side,
      sampleMentionIds: interleave([
        ...(brandThemes?.themes.slice(0, 3).map((theme) => theme.sampleMentionIds) ?? []),
        brandThemes?.positiveSampleIds ?? [],
        brandThemes?.negativeSampleIds ?? [],
      ], t.samples),
    }, summaries.shareGain({ ...shift, net: judgedNet }), signal));
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
    strengths: ranked(strengths, t),
    weaknesses: ranked(weaknesses, t),
    opportunities: ranked(opportunities, t),
    threats: ranked(threats, t),
  };
}
