import { setImmediate as nextTurn } from 'node:timers/promises';
import { queryTerms } from '../query/index.js';
import { extractTerms, type Term } from '../text/terms.js';
import { foldCase } from '../text/tokens.js';
import { languageFreeKeys, stemmedFirst } from './term-keys.js';
import type { BrandThemes, Theme, ThemeBrand, ThemeMention } from './themes.types.js';

export const THEME_DEFAULTS = {
  /** A theme needs this many of the brand's mentions in the window. */
  minMentions: 3,
  maxThemesPerBrand: 100,
  samples: 5,
  /** A shorter n-gram is dropped when a longer one holding it covers this share of its mentions. */
  subsumeShare: 0.8,
  maxN: 3,
};

export interface ExtractThemesInput {
  mentions: readonly ThemeMention[];
  /** The previous window of equal length, for `change` and `growth`. */
  previous: readonly ThemeMention[];
  brands: readonly ThemeBrand[];
  options?: Partial<typeof THEME_DEFAULTS>;
}

interface Tally {
  surfaces: Map<string, number>;
  members: number[];
  positive: number;
  neutral: number;
  negative: number;
  scoreSum: number;
  scored: number;
}

/** Mentions between two chances to yield. */
const STEP = 256;
type Steps<T> = Generator<void, T, void>;

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const timeOf = (m: ThemeMention) => (m.occurredAt instanceof Date ? m.occurredAt.getTime() : Date.parse(m.occurredAt));
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Brand names and every brand's positive query terms: no brand is a theme of any brand. */
export function brandExclusions(brands: readonly ThemeBrand[]): Set<string> {
  const exclude = new Set<string>();
  for (const brand of brands) {
    exclude.add(foldCase(brand.name));
    if (!brand.query) continue;
    try {
      for (const term of queryTerms(brand.query)) exclude.add(term);
    } catch {
      // An invalid stored query excludes nothing beyond the brand's name.
    }
  }
  return exclude;
}

/**
 * A mention's distinct terms (themes, /v1/terms and trending keywords all read them here). Title
 * and text are extracted apart: their seam is a sentence boundary, and read as one text they give
 * n-grams across it ("…queue complaints" + "The queue…" → "complaints the queue").
 */
export function termsOfMention(
  mention: Pick<ThemeMention, 'title' | 'text' | 'lang'>,
  { exclude, maxN = THEME_DEFAULTS.maxN }: { exclude?: ReadonlySet<string> | undefined; maxN?: number | undefined } = {},
): Term[] {
  const options = { lang: mention.lang, maxN, exclude };
  const terms = new Map<string, Term>();
  for (const part of [mention.title, mention.text]) {
    if (!part) continue;
    for (const term of extractTerms(part, options)) if (!terms.has(term.key)) terms.set(term.key, term);
  }
  return [...terms.values()];
}

/**
 * Orders mentions so the most representative of a direction comes first: the strongest score in
 * that direction (unscored last), then the newest, then by id, so equal inputs give equal output.
 */
export function representativeOrder(mentions: readonly ThemeMention[], direction: number) {
  return (a: number, b: number): number => {
    const ma = mentions[a]!;
    const mb = mentions[b]!;
    const sa = ma.sentimentScore === null ? -Infinity : direction === 0 ? Math.abs(ma.sentimentScore) : direction * ma.sentimentScore;
    const sb = mb.sentimentScore === null ? -Infinity : direction === 0 ? Math.abs(mb.sentimentScore) : direction * mb.sentimentScore;
    return sb - sa || timeOf(mb) - timeOf(ma) || byCodeUnits(ma.id, mb.id);
  };
}

function mostFrequent(surfaces: Map<string, number>): string {
  return [...surfaces].sort(([a, na], [b, nb]) => nb - na || byCodeUnits(a, b))[0]![0];
}

/** Keys of the contiguous word runs inside a key, shorter than the key itself. */
export function innerKeys(key: string): string[] {
  const words = key.split(' ');
  const keys: string[] = [];
  for (let n = 1; n < words.length; n++) {
    for (let i = 0; i + n <= words.length; i++) keys.push(words.slice(i, i + n).join(' '));
  }
  return keys;
}

/** How the mentions of both windows are read: each mention's terms, keyed alike in both (languageFreeKeys). */
interface Reading {
  exclude: ReadonlySet<string>;
  maxN: number;
  settle: ReturnType<typeof languageFreeKeys>;
}

const termsOf = (mention: ThemeMention, { exclude, maxN, settle }: Reading) => settle(termsOfMention(mention, { exclude, maxN }), mention.lang);

interface BrandTallies {
  tallies: Array<Map<string, Tally>>;
  indices: number[][];
}

/**
 * Tallies every brand's terms over the mentions at `which`, extracting each mention's terms once
 * and keeping only the tallies (a window can hold hundreds of thousands of mentions).
 */
function* tallyBrands(mentions: readonly ThemeMention[], which: readonly number[], brands: readonly ThemeBrand[], reading: Reading, into: BrandTallies): Steps<void> {
  const slot = new Map(brands.map((b, i) => [b.id, i]));
  const { tallies, indices } = into;
  for (const [n, i] of which.entries()) {
    if (n % STEP === STEP - 1) yield;
    const mention = mentions[i]!;
    const targets = [...new Set(mention.brandIds)].flatMap((id) => (slot.has(id) ? [slot.get(id)!] : []));
    if (targets.length === 0) continue;
    const terms = termsOf(mention, reading);
    const scored = mention.sentimentScore !== null && Number.isFinite(mention.sentimentScore);
    for (const b of targets) {
      indices[b]!.push(i);
      for (const term of terms) {
        let tally = tallies[b]!.get(term.key);
        if (!tally) {
          tally = { surfaces: new Map(), members: [], positive: 0, neutral: 0, negative: 0, scoreSum: 0, scored: 0 };
          tallies[b]!.set(term.key, tally);
        }
        tally.surfaces.set(term.term, (tally.surfaces.get(term.term) ?? 0) + 1);
        tally.members.push(i);
        if (mention.label === 'positive') tally.positive++;
        else if (mention.label === 'negative') tally.negative++;
        else if (mention.label === 'neutral') tally.neutral++;
        if (scored) {
          tally.scoreSum += mention.sentimentScore!;
          tally.scored++;
        }
      }
    }
  }
}

/** The first `k` of `items` in `compare` order, without sorting them all. */
function topK(items: readonly number[], compare: (a: number, b: number) => number, k: number): number[] {
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && compare(item, best[at - 1]!) < 0) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = item;
    if (best.length > k) best.length = k;
  }
  return best;
}

function supportedTallies(tallies: Map<string, Tally>, minMentions: number): Array<[string, Tally]> {
  return [...tallies].filter(([, t]) => t.members.length >= minMentions);
}

/**
 * Drops "customer service" when a kept "customer service team" holds most of its mentions. A key
 * in `shared` (another brand also has it) is dropped only for a longer key that is shared too:
 * shared themes are what brands are compared on. Longest keys are decided first, so only kept keys
 * cover others. Trending keywords use it as well, over the terms that rose.
 */
export function dropSubsumed<T>(
  items: readonly T[],
  { key: keyOf, count, share, shared = new Set() }: { key: (item: T) => string; count: (item: T) => number; share: number; shared?: ReadonlySet<string> },
): T[] {
  const covered = new Map<string, number>();
  const coveredByShared = new Map<string, number>();
  const record = (map: Map<string, number>, key: string, n: number) => map.set(key, Math.max(map.get(key) ?? 0, n));
  const wordsIn = (key: string) => key.split(' ').length;
  const kept = new Set<T>();
  for (const item of [...items].sort((a, b) => wordsIn(keyOf(b)) - wordsIn(keyOf(a)))) {
    const key = keyOf(item);
    const n = count(item);
    if (((shared.has(key) ? coveredByShared : covered).get(key) ?? 0) >= share * n) continue;
    kept.add(item);
    for (const inner of innerKeys(key)) {
      record(covered, inner, n);
      if (shared.has(key)) record(coveredByShared, inner, n);
    }
  }
  return items.filter((item) => kept.has(item));
}

/** Keys supported in two brands or more. */
function sharedKeys(perBrand: ReadonlyArray<Array<[string, Tally]>>): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const tallies of perBrand) {
    for (const [key] of tallies) (seen.has(key) ? shared : seen).add(key);
  }
  return shared;
}

function brandSamples(indices: readonly number[], mentions: readonly ThemeMention[], label: string, direction: number, size: number) {
  const labelled = indices.filter((i) => mentions[i]!.label === label);
  return topK(labelled, representativeOrder(mentions, direction), size).map((i) => mentions[i]!.id);
}

interface PreviousCounts {
  previousCounts: Map<string, Map<string, number>>;
  previousTotals: Map<string, number>;
}

function* countPrevious(previous: readonly ThemeMention[], which: readonly number[], reading: Reading, into: PreviousCounts): Steps<void> {
  const { previousCounts, previousTotals } = into;
  for (const [n, i] of which.entries()) {
    if (n % STEP === STEP - 1) yield;
    const mention = previous[i]!;
    const keys = termsOf(mention, reading).map((t) => t.key);
    for (const brandId of new Set(mention.brandIds)) {
      previousTotals.set(brandId, (previousTotals.get(brandId) ?? 0) + 1);
      const counts = previousCounts.get(brandId) ?? new Map<string, number>();
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
      previousCounts.set(brandId, counts);
    }
  }
}

function* themeSteps({ mentions, previous, brands, options }: ExtractThemesInput): Steps<BrandThemes[]> {
  const settings = { ...THEME_DEFAULTS, ...options };
  const reading: Reading = { exclude: brandExclusions(brands), maxN: settings.maxN, settle: languageFreeKeys() };
  const counted: PreviousCounts = { previousCounts: new Map(), previousTotals: new Map() };
  const tallied: BrandTallies = { tallies: brands.map(() => new Map()), indices: brands.map(() => []) };
  // Mentions in a stemmed language first, in both windows, then the rest: see languageFreeKeys.
  const [previousOrder, currentOrder] = [stemmedFirst(previous), stemmedFirst(mentions)];
  for (const part of ['stemmed', 'rest'] as const) {
    yield* countPrevious(previous, previousOrder[part], reading, counted);
    yield* tallyBrands(mentions, currentOrder[part], brands, reading, tallied);
  }
  const { previousCounts, previousTotals } = counted;
  const { tallies, indices: indicesOf } = tallied;
  const supported = tallies.map((brandTallies) => supportedTallies(brandTallies, settings.minMentions));
  const shared = sharedKeys(supported);

  return brands.map((brand, b) => {
    const indices = indicesOf[b]!;
    const before = previousCounts.get(brand.id) ?? new Map<string, number>();
    const themes = dropSubsumed(supported[b]!, { key: ([key]) => key, count: ([, tally]) => tally.members.length, share: settings.subsumeShare, shared })
      .map(([key, tally]): Theme => {
        const count = tally.members.length;
        const net = (tally.positive - tally.negative) / count;
        const previousMentions = before.get(key) ?? 0;
        return {
          theme: mostFrequent(tally.surfaces),
          key,
          mentions: count,
          positive: tally.positive,
          neutral: tally.neutral,
          negative: tally.negative,
          netSentiment: round(net),
          meanScore: tally.scored ? round(tally.scoreSum / tally.scored) : null,
          previousMentions,
          change: count - previousMentions,
          growth: round((count + 1) / (previousMentions + 1)),
          sampleMentionIds: topK(tally.members, representativeOrder(mentions, Math.sign(net)), settings.samples).map((i) => mentions[i]!.id),
        };
      })
      .sort((a, b) => b.mentions - a.mentions || Math.abs(b.netSentiment) - Math.abs(a.netSentiment) || byCodeUnits(a.key, b.key))
      .slice(0, settings.maxThemesPerBrand);
    return {
      brandId: brand.id,
      mentions: indices.length,
      previousMentions: previousTotals.get(brand.id) ?? 0,
      themes,
      positiveSampleIds: brandSamples(indices, mentions, 'positive', 1, settings.samples),
      negativeSampleIds: brandSamples(indices, mentions, 'negative', -1, settings.samples),
    };
  });
}

/**
 * Themes per brand for one window: n-gram terms of the brand's mentions (brand names and query
 * terms left out), with at least `minMentions` mentions, the shorter of two overlapping n-grams
 * dropped when the longer covers most of its mentions, each compared with the previous window.
 */
export function extractThemes(input: ExtractThemesInput): BrandThemes[] {
  const steps = themeSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * extractThemes for a worker: the same result, but the event loop gets a turn every `sliceMs`
 * (a week of a big workspace takes seconds, and BullMQ must still renew its job lock).
 */
export async function extractThemesAsync(input: ExtractThemesInput, { sliceMs = 20 } = {}): Promise<BrandThemes[]> {
  const steps = themeSteps(input);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
