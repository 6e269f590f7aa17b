import { parseQuery } from '../query/index.js';
import { Evaluation, positiveTerms } from '../query/query.evaluate.js';
import { ItemIndex } from '../query/query.item-index.js';
import type { QueryNode } from '../query/query.types.js';
import { splitWords } from '../query/query.words.js';
import { languagesOfScript, markerLanguages } from '../language/language.detect.js';
import { blankTerms, namingTerms } from '../scoring/scorer.ignore.js';
import { LANGUAGE_RULES } from '../sentiment/profile.rules.js';
import { sharedAnalyser } from '../sentiment/sentiment.analyser.js';
import { EXTRA_STOPWORDS } from '../text/stopwords/extra.js';
import { stopwordsFor } from '../text/stopwords/index.js';
import type { Term } from '../text/terms.js';
import { foldCase, searchForm } from '../text/tokens.js';
import { switchByMove, type Before, type MoveSwitch } from './themes.moves.js';
import { findSwitch, type Span } from './themes.switches.js';
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

/**
 * A clause, whether the sentence it is part of ends in a question mark, and whether it is the first
 * of its text or follows clause punctuation (`opens`), not only a conjunction.
 */
interface Clause {
  text: string;
  question: boolean;
  opens: boolean;
}

/** The clauses of one text: cut at clause punctuation and before a conjunction; empty ones left out. */
function clausesOf(text: string, lang: string | null | undefined): Clause[] {
  const conjunctions = phrasesFor('conjunctions', lang);
  const clauses: Clause[] = [];
  const normalized = text.normalize('NFC');
  const cut = (piece: string, end: string) => {
    const question = QUESTION.test(end);
    const words = wordsOf(piece);
    // A piece's first clause holds its first word: it is left out only with a piece of no words.
    let start = 0;
    words.forEach(({ at }, i) => {
      if (i === 0 || !phraseAt(conjunctions, words, i)) return;
      clauses.push({ text: piece.slice(start, at), question, opens: start === 0 });
      start = at;
    });
    clauses.push({ text: piece.slice(start), question, opens: start === 0 });
  };
  let at = 0;
  for (const end of normalized.matchAll(CLAUSE_END)) {
    cut(normalized.slice(at, end.index), end[0]);
    at = end.index + end[0].length;
  }
  cut(normalized.slice(at), '');
  return clauses.flatMap((c) => {
    const trimmed = c.text.trim();
    return /[\p{L}\p{N}]/u.test(trimmed) ? [{ ...c, text: trimmed }] : [];
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
  for (const { namer, name } of brands) for (const term of namingTerms(keywordsOf(namer), [name])) terms.add(term);
  return [...terms];
}

/** A namer's terms, tags and handles in BrandMatch.keywords' form (folded; '#tag', '@handle', 'acme*'). */
const keywordsOf = (namer: BrandNamer): string[] =>
  namer.flatMap((node) => {
    if (node.type === 'term') return [node.text];
    if (node.type === 'hashtag') return [`#${node.tag}`];
    return node.type === 'handle' ? [`@${node.handle}`] : [];
  });

/**
 * The text without the words sentimentIn leaves out: the English stopwords, which posts in every
 * language write, and the hand-written ones (EXTRA_STOPWORDS). Those a lexicon scores are fillers,
 * stances and function words ("like", "well", "lol", "honestly", Tamil எப்படி "how", Nepali बाहिर
 * "outside"), no verdict of a brand on their own: "Acme is down, and Globex as well" says the same
 * of Globex.
 */
let fillers: ReadonlySet<string> | undefined;
function withoutFillers(text: string): string {
  fillers ??= new Set([...stopwordsFor('en'), ...Object.values(EXTRA_STOPWORDS).flat().map((word) => foldCase(word))]);
  return text.replace(WORD, (word) => (fillers!.has(foldCase(word)) ? ' ' : word));
}

/** The lexicons a post of no language may be read with: of the languages whose marker words it holds, else of its script. */
function lexiconsOf(body: string): readonly string[] {
  const marked = markerLanguages(body);
  return marked.size ? [...marked] : languagesOfScript(body);
}

/**
 * Whether a clause holds a word the scorer reads as sentiment, beside `keywords` (the brands' query
 * words, which termsOf leaves out too: "Happy Cow" says nothing) and fillers (withoutFillers).
 * Stopword lists hold verdicts (German gut, schlecht; Czech dobrý), so "Globex ist gut" has no term
 * and still speaks of Globex, as does "Globex 😡". Read by the lexicon of the post's language, or
 * for a post of no language by those lexiconsOf gives. Asked only of clauses without a term: a few
 * words, read once per lexicon.
 */
function sentimentIn(mention: Pick<ThemeMention, 'title' | 'text' | 'lang'>, keywords: readonly string[]): (clause: string) => boolean {
  const analyser = sharedAnalyser();
  let lexicons: readonly string[] | undefined;
  return (clause) => {
    lexicons ??= mention.lang ? [mention.lang] : lexiconsOf([mention.title, mention.text].filter(Boolean).join('\n'));
    const words = withoutFillers(blankTerms(clause, keywords));
    return lexicons.some((lang) => (analyser.analyse(words, lang)?.hits ?? 0) > 0);
  };
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
   * The last switch the post says the author made from or to this brand (themes.switches.ts,
   * themes.moves.ts): whether the brand was left or chosen, and the switch's words (its clause with
   * the clauses after it that name no brand, and before it those at the start of the post); `said`
   * is those words as read for the switch's strength, without the brand left's part of its clause
   * ("After another awful Kofi delivery I switched to Lumen" says nothing bad of the move).
   */
  switched?: { role: 'left' | 'chosen'; clauses: string[]; said: string[]; construction: string[] };
}

/** The clause's text at `spans`, the pieces apart (`gap` between them ends a phrase or a clause). */
const textAt = (clause: string, spans: readonly Span[], gap: string) => spans.map(([start, end]) => clause.slice(start, end)).join(gap);

/** The clause without `spans`, the pieces apart. */
function textBesides(clause: string, spans: readonly Span[], gap: string): string {
  const pieces: string[] = [];
  let at = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    pieces.push(clause.slice(at, Math.max(at, start)));
    at = Math.max(at, end);
  }
  pieces.push(clause.slice(at));
  return pieces.join(gap);
}

/**
 * Which clauses of a post are about which of its `brands`. A clause goes to the brands it names;
 * one naming none stays with the brands of the clause before it (with all of the post's brands
 * before the first that names one). A clause without words of its own, no term and no sentiment
 * word (sentimentIn: "Kofi ist gut" has one), such as "Lumen vs Kofi:" or "Lumen and", hands its
 * brands on to the next, unless it opens a comparison ("than Kofi", "Unlike Kofi"): those brands
 * get nothing of it; the last clause hands them back to the one before ("I love Lumen
 * and Kofi"). Past clause punctuation, a clause naming other brands takes only those of the
 * handed brands that no later clause names: "Lumen vs Kofi: Lumen is great, Kofi is awful" gives
 * Kofi only its own clause; "Lumen vs Kofi: both are great" and "Lumen and Kofi are great" give
 * both brands the verdict. Title and text are read in turn, as one run of clauses. A clause naming
 * two brands or more that says the author moved from one to another, and asks nothing, is a switch
 * (`switched`), and so is a clause saying the author moved to a brand after words naming another (themes.moves.ts).
 * In a switch's clause each brand has the terms of its own slot, and the construction's words are
 * neither's; the clauses of the switch's words around it (which name no brand) give the switch's
 * brands no terms: they speak of the move, and the readings count them as the switch's strength.
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
  let last: { clause: string; at: number; terms: readonly Term[] } | undefined;
  const comparisons = phrasesFor('comparisons', mention.lang);
  const speaks = sentimentIn(mention, brands.flatMap((b) => keywordsOf(namers[b]!)));
  const namedIn = (text: string) => {
    const index = indexClause(text, mention.lang);
    return brands.filter((b) => namers[b]!.some((node) => index.matches(node)));
  };
  // The clauses before the first that names a brand (by index), and the switch whose words are still running.
  let opening: number[] | null = [];
  interface Running { switch: MoveSwitch; clauses: number[]; at: number }
  let running: Running | undefined;
  const switches: Running[] = [];
  // The last clause that named a brand (and its index): what a move to another brand may have left (themes.moves.ts).
  let before: (Before & { at: number }) | undefined;
  // By clause index: the words that left a brand a move then switched from, which are the move's.
  const leaving = new Map<number, { brands: readonly number[]; spans: readonly Span[] }>();
  // Terms are handed out at the end, when every switch's words are known.
  const gifts: Array<{ brand: number; at: number; terms: readonly Term[] }> = [];
  const give = (b: number, { clause, at, terms }: { clause: string; at: number; terms: readonly Term[] }) => {
    parts.get(b)!.clauses.push(clause);
    gifts.push({ brand: b, at, terms });
  };
  // Tags ending a clause that names a brand are the post's tags, not its words: "Lumo is great, but
  // Brewtopia is awful #lumocoffee" says nothing of Lumo in its second clause. (In "I love #Lumo" the
  // tag is a word: the clause names no brand without it.)
  const cut = clauses.flatMap((clause) => {
    const at = clause.text.includes('#') || clause.text.includes('@') ? trailingTagsAt(clause.text) : -1;
    if (at < 0 || namedIn(clause.text.slice(0, at)).length === 0) return [clause];
    return [{ ...clause, text: clause.text.slice(0, at).trim() }, { ...clause, text: clause.text.slice(at), opens: false }];
  });
  const texts = cut.map((clause) => clause.text);
  const owns = texts.map(namedIn);
  // Where each brand is last named (a post's tags aside): a brand named again later has words of its own there.
  const lastNamed = new Map<number, number>();
  owns.forEach((own, at) => {
    if (!onlyTags(texts[at]!)) for (const b of own) lastNamed.set(b, at);
  });
  // Whether clause punctuation stands between the clause that last handed brands on and this one.
  let crossed = false;
  for (const [at, { text: clause, question, opens }] of cut.entries()) {
    const own = owns[at]!;
    if (opens) crossed = true;
    const found: MoveSwitch | null = own.length && !question ? (own.length >= 2 ? findSwitch(clause, namedIn) : null) ?? switchByMove(clause, namedIn, before) : null;
    if (found) {
      running = { switch: found, clauses: [...(opening ?? []), at], at };
      switches.push(running);
      if (found.before?.length && before) leaving.set(before.at, { brands: found.left, spans: found.before });
    } else if (own.length) running = undefined;
    else running?.clauses.push(at);
    if (own.length) {
      opening = null;
      before = { text: clause, brands: own, question, at };
    } else opening?.push(at);

    const terms = termsOf(clause);
    if (terms.length === 0 && !speaks(clause)) {
      const named = [...new Set([...carried, ...own])];
      const words = wordsOf(clause);
      // A post's tags hand on only the brands that have no clause of their own yet.
      const handed = onlyTags(clause) ? named.filter((b) => parts.get(b)!.clauses.length === 0) : named;
      if (handed.length && !(words.length && phraseAt(comparisons, words, 0))) {
        carried = handed;
        crossed = false;
      }
      continue;
    }
    // Brands handed on across clause punctuation to a clause about another brand ("Kofi vs Lumen:
    // Lumen is great, but Kofi is awful") keep to the later clause naming them again. In their own
    // sentence ("Lumen and Kofi are great") or in a clause naming no brand ("Lumen vs Kofi: both
    // are great") the clause is theirs.
    const namedLater = (b: number) => crossed && own.length > 0 && !own.includes(b) && (lastNamed.get(b) ?? -1) > at;
    const named = [...new Set([...carried.filter((b) => !namedLater(b)), ...own])];
    carried = [];
    if (named.length) owners = named;
    kept++;
    last = { clause, at, terms };
    // In a switch's clause, each side has its slot's terms ("cold delivery" in "After another cold
    // Kofi delivery I switched to Lumen" is Kofi's); a brand in no slot has the clause's.
    const side = (b: number) => (found?.left.includes(b) ? found.spans.left : found?.chosen.includes(b) ? found.spans.chosen : null);
    for (const b of owners) {
      const spans = side(b);
      give(b, spans ? { clause, at, terms: termsOf(textAt(clause, spans, ' . ')) } : last);
    }
  }
  // Brands named last, in a clause without words of its own ("I love Lumen | and Kofi"), share the
  // clause before it.
  if (last) for (const b of carried) if (!parts.get(b)!.clauses.includes(last.clause)) give(b, last);
  const silent = new Set<string>();
  for (const { switch: { left, chosen, construction, spans }, clauses: indices, at } of switches) {
    const words = indices.map((i) => texts[i]!);
    const said = indices.map((i) => (i === at ? textBesides(texts[i]!, spans.left, '\n') : texts[i]!));
    for (const b of left) parts.get(b)!.switched = { role: 'left', clauses: words, said, construction };
    for (const b of chosen) parts.get(b)!.switched = { role: 'chosen', clauses: words, said, construction };
    for (const i of indices) if (i !== at) for (const b of [...left, ...chosen]) silent.add(`${b}:${i}`);
  }
  for (const { brand, at, terms: given } of gifts) {
    if (silent.has(`${brand}:${at}`)) continue;
    const left = leaving.get(at);
    const terms = left?.brands.includes(brand) ? termsOf(textBesides(texts[at]!, left.spans, ' . ')) : given;
    const part = parts.get(brand)!;
    const keys = keysOf.get(brand)!;
    for (const term of terms) {
      if (keys.has(term.key)) continue;
      keys.add(term.key);
      part.terms.push(term);
    }
  }
  return [...parts.values()].map((part) => ({ ...part, whole: part.clauses.length === kept && !part.switched }));
}
