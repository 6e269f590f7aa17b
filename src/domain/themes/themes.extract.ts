import { setImmediate as nextTurn } from 'node:timers/promises';
import { queryTerms } from '../query/index.js';
import { extractTerms, type Term } from '../text/terms.js';
import { foldCase } from '../text/tokens.js';
import { attributeClauses, brandNamer, COORDINATING_AND, namedTerms, type BrandNamer } from './themes.clauses.js';
import { readBrandClauses, sharedSentiment, type BrandReading } from './themes.readings.js';
import { brandView, samples } from './themes.samples.js';
import { languageFreeKeys, splitKey, stemmedFirst } from './term-keys.js';
import type { BrandThemes, Theme, ThemeBrand, ThemeCounts, ThemeMention } from './themes.types.js';

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
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Brand names and every brand's positive query terms: no brand is a theme of any brand, nor a
 * keyword of the workspace or of any brand (/v1/terms, trending keywords). extractTerms leaves
 * each out wherever the query holding it finds it.
 */
export function brandExclusions(brands: readonly Pick<ThemeBrand, 'name' | 'query'>[]): Set<string> {
  const exclude = new Set<string>();
  for (const brand of brands) {
    exclude.add(foldCase(brand.name));
    if (!brand.query) continue;
    try {
      for (const term of queryTerms(brand.query)) exclude.add(term);
    } catch {
      // A stored query the grammar no longer accepts (docs/query-language.md, "After an upgrade")
      // excludes nothing beyond the brand's name.
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

function mostFrequent(surfaces: Map<string, number>): string {
  return [...surfaces].sort(([a, na], [b, nb]) => nb - na || byCodeUnits(a, b))[0]![0];
}

/** Keys of the contiguous word runs inside a key, shorter than the key itself, in its language. */
export function innerKeys(key: string): string[] {
  const { qualifier, words: joined } = splitKey(key);
  const words = joined.split(' ');
  const keys: string[] = [];
  for (let n = 1; n < words.length; n++) {
    for (let i = 0; i + n <= words.length; i++) keys.push(qualifier + words.slice(i, i + n).join(' '));
  }
  return keys;
}

/** How the mentions of both windows are read: each mention's terms, keyed alike in both (languageFreeKeys). */
interface Reading {
  exclude: ReadonlySet<string>;
  maxN: number;
  settle: ReturnType<typeof languageFreeKeys>;
  /** Brand id → its index in the brands given. */
  slot: ReadonlyMap<string, number>;
  /** By brand index: what names the brand in a clause. */
  namers: readonly BrandNamer[];
  /** By brand index: the brand's name. */
  names: readonly string[];
}

const termsOf = (mention: ThemeMention, { exclude, maxN, settle }: Reading) => settle(termsOfMention(mention, { exclude, maxN }), mention.lang);

/** One brand's part of a mention: its terms, and its own sentiment where that is not the mention's. */
interface BrandPart {
  brand: number;
  terms: readonly Term[];
  reading?: BrandReading;
}

/**
 * The parts of a mention for each of its brands. A mention of one brand is all that brand's, as is
 * a mention whose every clause is about all its brands. Otherwise each brand has the terms of the
 * clauses about it and, when `scored`, those clauses' own sentiment (themes.clauses.ts).
 */
function partsOf(mention: ThemeMention, reading: Reading, { scored }: { scored: boolean }): BrandPart[] {
  const brands = [...new Set(mention.brandIds)].flatMap((id) => (reading.slot.has(id) ? [reading.slot.get(id)!] : []));
  if (brands.length < 2) return brands.map((brand) => ({ brand, terms: termsOf(mention, reading) }));
  const { exclude, maxN } = reading;
  const parts = attributeClauses(mention, brands, reading.namers, (clause) => termsOfMention({ text: clause, lang: mention.lang }, { exclude, maxN }));
  if (parts.every((part) => part.whole)) {
    const terms = termsOf(mention, reading);
    return brands.map((brand) => ({ brand, terms }));
  }
  const { scorer } = sharedSentiment();
  const ignore = namedTerms(brands.map((b) => ({ namer: reading.namers[b]!, name: reading.names[b]! })));
  return parts.map((part) => ({
    brand: part.brand,
    terms: reading.settle(part.terms, mention.lang),
    ...(scored && !part.whole ? { reading: readBrandClauses(mention, part, scorer, ignore) } : {}),
  }));
}

interface BrandTallies {
  tallies: Array<Map<string, Tally>>;
  indices: number[][];
  /** By brand: the mentions whose sentiment for the brand is its own clauses', not the mention's. */
  readings: Array<Map<number, BrandReading>>;
}

/**
 * Tallies every brand's terms over the mentions at `which`, extracting each mention's terms once
 * and keeping only the tallies (a window can hold hundreds of thousands of mentions).
 */
function* tallyBrands(mentions: readonly ThemeMention[], which: readonly number[], reading: Reading, into: BrandTallies): Steps<void> {
  const { tallies, indices, readings } = into;
  for (const [n, i] of which.entries()) {
    if (n % STEP === STEP - 1) yield;
    const mention = mentions[i]!;
    for (const { brand: b, terms, reading: own } of partsOf(mention, reading, { scored: true })) {
      indices[b]!.push(i);
      if (own) readings[b]!.set(i, own);
      const label = own ? own.label : mention.label;
      const score = own ? own.score : mention.sentimentScore;
      const scored = score !== null && Number.isFinite(score);
      for (const term of terms) {
        let tally = tallies[b]!.get(term.key);
        if (!tally) {
          tally = { surfaces: new Map(), members: [], positive: 0, neutral: 0, negative: 0, scoreSum: 0, scored: 0 };
          tallies[b]!.set(term.key, tally);
        }
        tally.surfaces.set(term.term, (tally.surfaces.get(term.term) ?? 0) + 1);
        tally.members.push(i);
        if (label === 'positive') tally.positive++;
        else if (label === 'negative') tally.negative++;
        else if (label === 'neutral') tally.neutral++;
        if (scored) {
          tally.scoreSum += score!;
          tally.scored++;
        }
      }
    }
  }
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

/**
 * What a word alone scores when its lexicon valence is 2 or more (VADER's scale). Weaker entries
 * are mostly topics that carry a sign: delay (−1.8 in every other language's list), outage,
 * expensive. English reads VADER's own lexicon, where "good" is 1.9 and "nice" 1.8 while its signed
 * topics are 1.7 and below (complaints, error, crash): there a verdict is valence 1.8 or more.
 */
const VERDICT_SCORE = 0.45;
const VERDICT_SCORE_EN = 0.42;

const isVerdict = (word: string, lang: string) =>
  Math.abs(sharedSentiment().analyser.analyse(word, lang)?.score ?? 0) >= (lang.slice(0, 2) === 'en' ? VERDICT_SCORE_EN : VERDICT_SCORE);

/**
 * A term (its surface form) that the sentiment lexicon of one of `langs` holds as a verdict: it
 * restates a label and names no topic. That is a word ("excellent", "skvělá", "سریع", "அருமையாக"),
 * words that are all verdicts ("خوشمزه عالی"), or two words joined by "and" of which one is ("smooth
 * and perfect", "vynikající a jemný", "drahé a zklamání": "and" joins like with like, so both are
 * qualities). A phrase naming a topic is none ("app is excellent", "rewards are amazing": "are" is
 * no verdict). The SWOT's themes and trending keywords both leave such terms out.
 */
export function isVerdictTerm(surface: string, langs: Iterable<string>): boolean {
  const words = surface.split(' ');
  for (const lang of langs) {
    if (words.every((word) => isVerdict(word, lang))) return true;
    const and = new Set([...(COORDINATING_AND[lang.slice(0, 2)] ?? []), ...COORDINATING_AND.en!]);
    if (words.length === 3 && and.has(words[1]!) && (isVerdict(words[0]!, lang) || isVerdict(words[2]!, lang))) return true;
  }
  return false;
}

/** A theme that is a verdict (isVerdictTerm) in the language of its mentions restates the label. */
function restatesLabel(tally: Tally, mentions: readonly ThemeMention[]): boolean {
  const langs = new Set(tally.members.flatMap((i) => mentions[i]!.lang ?? []));
  for (const surface of tally.surfaces.keys()) if (isVerdictTerm(surface, langs)) return true;
  return false;
}

/** By brand index. */
interface PreviousCounts {
  previousCounts: Array<Map<string, number>>;
  previousTotals: number[];
}

function* countPrevious(previous: readonly ThemeMention[], which: readonly number[], reading: Reading, into: PreviousCounts): Steps<void> {
  const { previousCounts, previousTotals } = into;
  for (const [n, i] of which.entries()) {
    if (n % STEP === STEP - 1) yield;
    for (const { brand, terms } of partsOf(previous[i]!, reading, { scored: false })) {
      previousTotals[brand]!++;
      const counts = previousCounts[brand]!;
      for (const { key } of terms) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
}

function* themeSteps({ mentions, previous, brands, options }: ExtractThemesInput): Steps<BrandThemes[]> {
  const settings = { ...THEME_DEFAULTS, ...options };
  const reading: Reading = {
    exclude: brandExclusions(brands),
    maxN: settings.maxN,
    // Themes are per language: English "minutes" and Czech "minut" share a stem, not a topic.
    settle: languageFreeKeys({ perLanguage: true }),
    slot: new Map(brands.map((b, i) => [b.id, i])),
    namers: brands.map(brandNamer),
    names: brands.map((b) => b.name),
  };
  const counted: PreviousCounts = { previousCounts: brands.map(() => new Map()), previousTotals: brands.map(() => 0) };
  const tallied: BrandTallies = { tallies: brands.map(() => new Map()), indices: brands.map(() => []), readings: brands.map(() => new Map()) };
  // Mentions in a stemmed language first, in both windows, then the rest: see languageFreeKeys.
  const [previousOrder, currentOrder] = [stemmedFirst(previous), stemmedFirst(mentions)];
  for (const part of ['stemmed', 'rest'] as const) {
    yield* countPrevious(previous, previousOrder[part], reading, counted);
    yield* tallyBrands(mentions, currentOrder[part], reading, tallied);
  }
  const { previousCounts, previousTotals } = counted;
  const { tallies, indices: indicesOf, readings } = tallied;
  const supported = tallies.map((brandTallies) => supportedTallies(brandTallies, settings.minMentions).filter(([, tally]) => !restatesLabel(tally, mentions)));
  const shared = sharedKeys(supported);

  return brands.map((brand, b) => {
    const indices = indicesOf[b]!;
    const before = previousCounts[b]!;
    const view = brandView(mentions, readings[b]!);
    const size = settings.samples;
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
          sampleMentionIds: samples(view, tally.members, { direction: Math.sign(net), size }),
          positiveSampleIds: samples(view, tally.members, { direction: 1, size, label: 'positive' }),
          negativeSampleIds: samples(view, tally.members, { direction: -1, size, label: 'negative' }),
        };
      })
      .sort((a, b) => b.mentions - a.mentions || Math.abs(b.netSentiment) - Math.abs(a.netSentiment) || byCodeUnits(a.key, b.key))
      .slice(0, settings.maxThemesPerBrand);
    const counts = new Map(supported[b]!.map(([key, { members, positive, neutral, negative }]): [string, ThemeCounts] =>
      [key, { mentions: members.length, positive, neutral, negative, previousMentions: before.get(key) ?? 0 }]));
    return {
      brandId: brand.id,
      mentions: indices.length,
      previousMentions: previousTotals[b]!,
      themes,
      counts,
      positiveSampleIds: samples(view, indices, { direction: 1, size, label: 'positive' }),
      negativeSampleIds: samples(view, indices, { direction: -1, size, label: 'negative' }),
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
