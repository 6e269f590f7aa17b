import { parseQuery } from '../query/index.js';
import { Evaluation, positiveTerms } from '../query/query.evaluate.js';
import { ItemIndex } from '../query/query.item-index.js';
import type { QueryNode } from '../query/query.types.js';
import { splitWords } from '../query/query.words.js';
import { createScorer, type Scorer } from '../scoring/scorer.js';
import { namingTerms } from '../scoring/scorer.ignore.js';
import { sharedAnalyser, type SentimentAnalyser } from '../sentiment/sentiment.analyser.js';
import { LANGUAGE_RULES } from '../sentiment/profile.rules.js';
import { labelFor, NEUTRAL_BAND } from '../sentiment/sentiment.label.js';
import type { Term } from '../text/terms.js';
import { foldCase, searchForm } from '../text/tokens.js';
import { findSwitch, type Switch } from './themes.switches.js';
import type { ThemeBrand, ThemeMention } from './themes.types.js';

/*
 * A post that names two brands often says one thing of each: "The Lumen app is excellent but the
 * Kofi app is terrible". Its one sentiment label, and every one of its words, would otherwise
 * count for both. Such a post is cut into clauses, each clause goes to the brands it names, and
 * each brand's clauses are scored together as the brand's own reading of the post. A clause saying
 * the author moved from one brand to another ("Switched from Kofi to Lumen") is a switch: criticism
 * of the brand left, praise of the brand chosen, unless words say otherwise (readSwitch).
 */

/** Co-ordinating "and" of each language (Tamil மற்றும் is written between the words too). */
export const COORDINATING_AND: Record<string, readonly string[]> = {
  en: ['and'], cs: ['a'], fa: ['و'], hi: ['और'], ne: ['र'], gu: ['અને'], ta: ['மற்றும்'],
};

/**
 * Conjunctions that open a new clause, beside each language's contrastive ones in the sentiment
 * rules (profile.rules.ts: ale, اما, लेकिन, ஆனால், પણ…). English has no entry there (its profile
 * is built apart). Gujarati પણ is also "also": cut there, a clause naming no brand still stays with
 * the brands of the clause before it. Hindi पर is left out: it is mostly "on" (कोफ़ी पर भरोसा नहीं).
 * A co-ordinating "and" often joins a clause about each brand ("The Lumen app is great and the Kofi
 * app is awful"), so it cuts too: "Lumen's app and website are great" loses nothing, its second
 * clause naming no brand. So do "vs" and the comparisons below.
 */
const MORE_CONJUNCTIONS: Record<string, readonly string[]> = {
  en: ['but', 'however', 'whereas', 'while', 'although', 'though', 'vs', 'versus'],
  cs: ['zatímco', 'kdežto'],
  fa: ['درحالیکه', 'در حالی که'],
  hi: ['जबकि', 'किन्तु'],
  ne: ['जबकि'],
  gu: ['જ્યારે', 'જ્યારેકે'],
  ta: ['ஆனாலும்'],
};

/**
 * Openers of the clause naming what a brand is compared with: "Lumen is much better | than Kofi",
 * "Unlike Kofi, | Lumen delivers on time". They open a clause, and the brands such a clause names
 * without a term of its own are not handed on to the next: the verdict is the other brand's.
 */
const COMPARISONS: Record<string, readonly string[]> = {
  en: ['than', 'unlike', 'compared to', 'compared with'],
  cs: ['než', 'oproti', 'na rozdíl od'],
};

/** A run of words: what a conjunction is matched against. */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}\u200C\u200D'’]*/gu;
/**
 * Sentence and clause punctuation: Latin marks before a space or the end (so "4.5" and "1,000"
 * stay whole), the danda, the Arabic-script comma, semicolon, question mark and full stop, the
 * full-width and ideographic forms, line breaks, a dash standing between spaces, and parentheses
 * ("Lumen (great app) vs Kofi (awful app)").
 */
const CLAUSE_END = /[.!?…;:,]+(?=\s|$)|[\u0964\u0965\u060C\u061B\u061F\u06D4\u3001\u3002\uFF01\uFF0C\uFF1A\uFF1B\uFF1F\n\r\u2028\u2029()\uFF08\uFF09]+|\s[-\u2013\u2014]+\s|[\u2014\u2015]/gu;

type Phrases = Map<string, string[][]>;
const phrasesByLang = new Map<string, Phrases>();

/** Of `lang` and English (posts quote English), every language's when it is unknown; by first word. */
function phrasesFor(kind: 'conjunctions' | 'comparisons', lang: string | null | undefined): Phrases {
  const code = (lang ?? '').toLowerCase().slice(0, 2);
  const known = code in LANGUAGE_RULES || code in MORE_CONJUNCTIONS;
  const cacheKey = `${kind}:${known ? code : '*'}`;
  let table = phrasesByLang.get(cacheKey);
  if (!table) {
    const langs = known ? [code, 'en'] : [...new Set([...Object.keys(LANGUAGE_RULES), ...Object.keys(MORE_CONJUNCTIONS)])];
    const entries = langs.flatMap((l) => kind === 'comparisons' ? COMPARISONS[l] ?? [] : [
      ...(LANGUAGE_RULES[l]?.contrast.split(/\s+/u) ?? []),
      ...(LANGUAGE_RULES[l]?.clauseContrast?.split(/\s+/u) ?? []),
      ...(MORE_CONJUNCTIONS[l] ?? []),
      ...(COORDINATING_AND[l] ?? []),
      ...(COMPARISONS[l] ?? []),
    ]);
    table = new Map();
    for (const entry of entries) {
      const words = searchForm(foldCase(entry)).split(/\s+/u).filter(Boolean);
      if (words.length === 0) continue;
      table.set(words[0]!, [...(table.get(words[0]!) ?? []), words]);
    }
    phrasesByLang.set(cacheKey, table);
  }
  return table;
}

const wordsOf = (text: string) => [...text.matchAll(WORD)].map((m) => ({ at: m.index, word: searchForm(foldCase(m[0])) }));
const phraseAt = (phrases: Phrases, words: ReadonlyArray<{ word: string }>, i: number) =>
  phrases.get(words[i]!.word)?.some((phrase) => phrase.every((w, k) => words[i + k]?.word === w)) ?? false;

/** A question mark of any script: what ends a question ("Anyone moved from Kofi to Lumen?"). */
const QUESTION = /[?\u061F\uFF1F]/u;

/** A clause, and whether the sentence it is part of ends in a question mark. */
interface Clause {
  text: string;
  question: boolean;
}

/** The clauses of one text: cut at clause punctuation and before a conjunction; empty ones left out. */
function clausesOf(text: string, lang: string | null | undefined): Clause[] {
  const conjunctions = phrasesFor('conjunctions', lang);
  const clauses: Clause[] = [];
  const normalized = text.normalize('NFC');
  const cut = (piece: string, end: string) => {
    const question = QUESTION.test(end);
    const words = wordsOf(piece);
    let start = 0;
    words.forEach(({ at }, i) => {
      if (i === 0 || !phraseAt(conjunctions, words, i)) return;
      clauses.push({ text: piece.slice(start, at), question });
      start = at;
    });
    clauses.push({ text: piece.slice(start), question });
  };
  let at = 0;
  for (const end of normalized.matchAll(CLAUSE_END)) {
    cut(normalized.slice(at, end.index), end[0]);
    at = end.index + end[0].length;
  }
  cut(normalized.slice(at), '');
  return clauses.flatMap((c) => {
    const trimmed = c.text.trim();
    return /[\p{L}\p{N}]/u.test(trimmed) ? [{ text: trimmed, question: c.question }] : [];
  });
}

/** Whether a word of a clause is a hashtag or an @handle. */
const isTag = (word: string) => word.length > 1 && (word[0] === '#' || word[0] === '@');

/**
 * Where the run of #tags and @handles that ends a clause starts ("…is awful #lumocoffee #coffee"),
 * or -1 when the clause does not end in one or is nothing else. One pass from the end.
 */
function trailingTagsAt(clause: string): number {
  let at = clause.length;
  let start = -1;
  while (at > 0) {
    const space = clause.lastIndexOf(' ', at - 1);
    const word = clause.slice(space + 1, at);
    if (word && !isTag(word)) break;
    if (word) start = space + 1;
    if (space < 0) return -1;
    at = space;
  }
  return start > 0 && clause.slice(0, start).trim() ? start : -1;
}

/** Whether every word of a clause is a #tag or an @handle: tags on a post, not words of a sentence. */
const onlyTags = (clause: string) => clause.split(/\s+/u).every((word) => !word || isTag(word));

/** The clauses of one text: cut at clause punctuation and before a conjunction; empty ones left out. */
export function splitClauses(text: string, lang: string | null | undefined): string[] {
  return clausesOf(text, lang).map((c) => c.text);
}

/** What names a brand in a clause: its name, and its query's positive terms, hashtags and handles. */
export type BrandNamer = readonly QueryNode[];

export function brandNamer(brand: ThemeBrand): BrandNamer {
  const name = splitWords(foldCase(brand.name));
  const nodes: QueryNode[] = name.length ? [{ type: 'term', text: foldCase(brand.name), words: name, prefix: false }] : [];
  if (!brand.query) return nodes;
  try {
    return [...nodes, ...positiveTerms(parseQuery(brand.query)).map((term) => term.node)];
  } catch {
    return nodes; // An invalid stored query: the name alone.
  }
}

/**
 * The terms of each brand's namer that name it (namingTerms: its name's words, a tag or handle
 * holding it), as the scorer's `ignore` takes them (BrandMatch.keywords' form: folded; '#tag', '@handle').
 */
export function namedTerms(brands: ReadonlyArray<{ namer: BrandNamer; name: string }>): string[] {
  const terms = new Set<string>();
  for (const { namer, name } of brands) {
    const own: string[] = [];
    for (const node of namer) {
      if (node.type === 'term') own.push(node.text);
      else if (node.type === 'hashtag') own.push(`#${node.tag}`);
      else if (node.type === 'handle') own.push(`@${node.handle}`);
    }
    for (const term of namingTerms(own, [name])) terms.add(term);
  }
  return [...terms];
}

const indexClause = (clause: string, lang: string | null | undefined) =>
  new Evaluation(new ItemIndex({ title: null, text: clause, url: null, author: null, lang: lang ?? null, sourceType: 'rss', hashtags: [], handles: [] }));

/** One of the mention's brands, and what the post says of it. */
export interface BrandClauses {
  /** Index into the brands given to attributeClauses. */
  brand: number;
  clauses: string[];
  /** The distinct terms of those clauses, in order of first appearance. */
  terms: Term[];
  /** The brand has every clause and is in no switch: its reading is the whole post's. */
  whole: boolean;
  /**
   * The last switch the post says the author made from or to this brand (themes.switches.ts):
   * whether the brand was left or chosen, and the switch's words (its clause with the clauses after
   * it that name no brand, and before it those at the start of the post).
   */
  switched?: { role: 'left' | 'chosen'; clauses: string[]; construction: string[] };
}

/**
 * Which clauses of a post are about which of its `brands`. A clause goes to the brands it names;
 * one naming none stays with the brands of the clause before it (with all of the post's brands
 * before the first that names one). A clause without a term of its own ("Lumen vs Kofi:", "Lumen
 * and") hands its brands on to the next, unless it opens a comparison ("than Kofi", "Unlike Kofi"):
 * those brands get nothing of it; the last clause hands them back to the one before ("I love Lumen
 * and Kofi"). Title and text are read in turn, as one run of clauses. A clause naming two brands or
 * more that says the author moved from one to another, and asks nothing, is a switch (`switched`).
 */
export function attributeClauses(
  mention: Pick<ThemeMention, 'title' | 'text' | 'lang'>,
  brands: readonly number[],
  namers: readonly BrandNamer[],
  termsOf: (clause: string) => readonly Term[],
): BrandClauses[] {
  const clauses = [mention.title, mention.text].flatMap((part) => (part ? clausesOf(part, mention.lang) : []));
  const parts = new Map(brands.map((brand): [number, BrandClauses] => [brand, { brand, clauses: [], terms: [], whole: false }]));
  const keysOf = new Map(brands.map((brand) => [brand, new Set<string>()]));
  let carried: number[] = [];
  let owners: readonly number[] = brands;
  let kept = 0;
  let last: { clause: string; terms: readonly Term[] } | undefined;
  const comparisons = phrasesFor('comparisons', mention.lang);
  const namedIn = (text: string) => {
    const index = indexClause(text, mention.lang);
    return brands.filter((b) => namers[b]!.some((node) => index.matches(node)));
  };
  // The clauses before the first that names a brand, and the switch whose words are still running.
  let opening: string[] | null = [];
  let running: { switch: Switch; clauses: string[] } | undefined;
  const switches: Array<{ switch: Switch; clauses: string[] }> = [];
  const give = (b: number, { clause, terms }: { clause: string; terms: readonly Term[] }) => {
    const part = parts.get(b)!;
    const keys = keysOf.get(b)!;
    part.clauses.push(clause);
    for (const term of terms) {
      if (keys.has(term.key)) continue;
      keys.add(term.key);
      part.terms.push(term);
    }
  };
  // Tags ending a clause that names a brand are the post's tags, not its words: "Lumo is great, but
  // Brewtopia is awful #lumocoffee" says nothing of Lumo in its second clause. (In "I love #Lumo" the
  // tag is a word: the clause names no brand without it.)
  const cut = clauses.flatMap((clause) => {
    const at = clause.text.includes('#') || clause.text.includes('@') ? trailingTagsAt(clause.text) : -1;
    if (at < 0 || namedIn(clause.text.slice(0, at)).length === 0) return [clause];
    return [{ ...clause, text: clause.text.slice(0, at).trim() }, { ...clause, text: clause.text.slice(at) }];
  });
  for (const { text: clause, question } of cut) {
    const own = namedIn(clause);
    const found = own.length >= 2 && !question ? findSwitch(clause, namedIn) : null;
    if (found) {
      running = { switch: found, clauses: [...(opening ?? []), clause] };
      switches.push(running);
    } else if (own.length) running = undefined;
    else running?.clauses.push(clause);
    if (own.length) opening = null;
    else opening?.push(clause);

    const named = [...new Set([...carried, ...own])];
    const terms = termsOf(clause);
    if (terms.length === 0) {
      const words = wordsOf(clause);
      // A post's tags hand on only the brands that have no clause of their own yet.
      const handed = onlyTags(clause) ? named.filter((b) => parts.get(b)!.clauses.length === 0) : named;
      if (handed.length && !(words.length && phraseAt(comparisons, words, 0))) carried = handed;
      continue;
    }
    carried = [];
    if (named.length) owners = named;
    kept++;
    last = { clause, terms };
    for (const b of owners) give(b, last);
  }
  // Brands named last, in a clause without words of its own ("I love Lumen | and Kofi"), share the
  // clause before it.
  if (last) for (const b of carried) if (!parts.get(b)!.clauses.includes(last.clause)) give(b, last);
  for (const { switch: { left, chosen, construction }, clauses: words } of switches) {
    for (const b of left) parts.get(b)!.switched = { role: 'left', clauses: words, construction };
    for (const b of chosen) parts.get(b)!.switched = { role: 'chosen', clauses: words, construction };
  }
  return [...parts.values()].map((part) => ({ ...part, whole: part.clauses.length === kept && !part.switched }));
}

/** The sentiment module as ingest uses it: the analyser's lexicons and the scorer over them. */
export interface Sentiment {
  analyser: Pick<SentimentAnalyser, 'analyse'>;
  scorer: Pick<Scorer, 'score'>;
}

let shared: Sentiment | undefined;

/** The process's analyser (`sharedAnalyser`, which the ingest scorer of this process uses too) and a scorer over it. */
export function sharedSentiment(): Sentiment {
  shared ??= { analyser: sharedAnalyser(), scorer: createScorer() };
  return shared;
}

export interface BrandReading {
  label: string;
  /** null when unscored. */
  score: number | null;
}

/**
 * What a switch scores at least, for the brand chosen (and, negated, for the brand left): about a
 * post saying "good" once (0.44), so a bare "Switched from Kofi to Lumen" counts as plain praise
 * and criticism, never as a verdict stronger than its words.
 */
export const SWITCH_SCORE = 0.45;

/**
 * The sentiment of a brand's clauses (a brand without every clause: see BrandClauses.whole), read
 * on their own by the scorer ingest uses, in the post's language. A post that was not scored (its
 * language has no lexicon) stays unscored for every brand; a brand with no clause is neutral.
 * `ignore` holds the brands' own terms (`namedTerms`), left out of the score as ingest leaves them
 * out of the post's: "Happy Cow" is no praise of Happy Cow, nor of the brand it is compared with.
 * A brand in a switch reads as `readSwitch` says.
 */
export function readBrandClauses(mention: ThemeMention, part: BrandClauses, scorer: Pick<Scorer, 'score'>, ignore: readonly string[] = []): BrandReading {
  if (mention.label === 'unscored' || mention.sentimentScore === null) return { label: mention.label, score: mention.sentimentScore };
  const read = (clauses: readonly string[], alsoIgnore: readonly string[] = []): BrandReading => {
    const { sentiment } = scorer.score({ title: null, text: clauses.join('\n'), langHint: mention.lang ?? null, ignore: [...ignore, ...alsoIgnore] });
    return sentiment.label === 'unscored' ? { label: 'unscored', score: null } : { label: sentiment.label, score: sentiment.score };
  };
  const switched = part.switched && readSwitch(part, read);
  if (switched) return switched;
  if (part.clauses.length === 0) return { label: 'neutral', score: 0 };
  return read(part.clauses);
}

/**
 * A switch is criticism of the brand left and praise of the brand chosen, as strong as the
 * switch's words (at least SWITCH_SCORE), unless words say otherwise: null (the brand reads as its
 * clauses say) when the switch's words are negative ("…and regret it", "…, big mistake"), and the
 * reading of the brand's other clauses when those read the other way ("Switched from Kofi to Lumen.
 * Lumen's support is awful"). Words no lexicon scores count as none.
 */
function readSwitch({ clauses, switched }: BrandClauses, read: (clauses: readonly string[], alsoIgnore?: readonly string[]) => BrandReading): BrandReading | null {
  const { role, clauses: words, construction } = switched!;
  const said = read(words, construction).score ?? 0;
  if (said <= -NEUTRAL_BAND) return null;
  const sign = role === 'chosen' ? 1 : -1;
  const switchWords = new Set(words);
  const others = clauses.filter((clause) => !switchWords.has(clause));
  const own = others.length ? read(others).score ?? 0 : 0;
  if (own * sign <= -NEUTRAL_BAND) return { label: labelFor(own), score: own };
  const score = sign * Math.max(SWITCH_SCORE, said, Math.abs(own));
  return { label: labelFor(score), score };
}
