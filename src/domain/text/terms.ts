import { createRequire } from 'node:module';
import { stopwordsFor } from './stopwords/index.js';
import { memoByKey } from './memo.js';
import { WORD_CHAR, dropSoftHyphens, foldCase, searchForm, separateEmojiMarks } from './tokens.js';
import { splitWords, startsWithWhole, stripLatinMarks } from '../query/query.words.js';

const require = createRequire(import.meta.url);

export interface Term {
  /** The n-gram as written, case-folded: what a person reads. */
  term: string;
  /**
   * What inflections and spellings share: the words' stems where the language has a stemmer, in
   * their search form (`searchForm`: ي is ی, no ZWNJ or tatweel), else `term` in that form.
   */
  key: string;
}

export interface ExtractTermsOptions {
  lang?: string | null;
  /** Longest n-gram in words; 3 unless told. */
  maxN?: number;
  /**
   * Terms that never take part in an n-gram (brand names, a brand's query terms): a word, a
   * phrase, `prefix*`, `a phrase*`, `#tag` or `@handle`. A word of the text is left out wherever
   * a query holding the term finds it, as the query matcher finds it: by the words it cuts both
   * into, and with the marks on Latin letters or without them (`skodovk*` leaves out "Škodovka",
   * `škoda` leaves out "Škoda" and not "Skoda"; `coca-cola` leaves out "Coca Cola").
   */
  exclude?: ReadonlySet<string>;
}

// URLs, e-mail addresses, handles and hashtags are matched whole so their parts never become
// words; each of them, like punctuation, ends a phrase. A word starts with a letter or digit, never
// with a mark sitting on a symbol or an emoji.
const TOKEN = new RegExp(
  [
    String.raw`(?:https?:\/\/|www\.)\S+`,
    String.raw`[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+`,
    String.raw`[@#][${WORD_CHAR}_]+(?:[.\-@][${WORD_CHAR}_]+)*`,
    String.raw`([\p{L}\p{N}][${WORD_CHAR}]*(?:['’\-][${WORD_CHAR}]+)*)`,
  ].join('|'),
  'gu',
);
const ONLY_SPACE = /^\s*$/u;
const HAS_LETTER = /\p{L}/u;
const FRENCH_ELISION = /^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’](?=.)/u;
const POSSESSIVE = /['’]s$/u;

interface Stemmer { stemWord(word: string): string }

const STEMMER_PACKAGES: Record<string, string> = {
  en: '@nlpjs/lang-en-min', cs: '@nlpjs/lang-cs', de: '@nlpjs/lang-de', es: '@nlpjs/lang-es', fa: '@nlpjs/lang-fa',
  fr: '@nlpjs/lang-fr', hi: '@nlpjs/lang-hi', ne: '@nlpjs/lang-ne', pt: '@nlpjs/lang-pt', ta: '@nlpjs/lang-ta',
  ar: '@nlpjs/lang-ar',
};
// The Nepali stemmer in particular cuts some words to a single syllable ("ढिलाइ" → "ढि"); a stem that
// short merges unrelated words, so the word stands for itself instead.
const MIN_STEM_CHARS = 3;
const STEM_CACHE_LIMIT = 200_000;

interface Stemming { stemmer: Stemmer; cache: Map<string, string> }
const stemmings = new Map<string, Stemming | null>();

function stemmingFor(lang: string): Stemming | null {
  if (!stemmings.has(lang)) {
    const pkg = STEMMER_PACKAGES[lang];
    let stemming: Stemming | null = null;
    if (pkg) {
      const mod = require(pkg) as Record<string, new () => Stemmer>;
      const Stemmer = Object.entries(mod).find(([name]) => name.startsWith('Stemmer'))?.[1];
      if (Stemmer) stemming = { stemmer: new Stemmer(), cache: new Map() };
    }
    stemmings.set(lang, stemming);
  }
  return stemmings.get(lang)!;
}

/** Whether words of `lang` (an ISO 639-1 code, any case, or null) are keyed by their stems. */
export function hasStemmer(lang: string | null | undefined): boolean {
  const code = (lang ?? '').toLowerCase().slice(0, 2);
  return code !== '' && stemmingFor(code) !== null;
}

function stemOf(word: string, stemming: Stemming | null): string {
  if (!stemming) return word;
  let stem = stemming.cache.get(word);
  if (stem === undefined) {
    const raw = stemming.stemmer.stemWord(word);
    stem = raw && [...raw].length >= MIN_STEM_CHARS ? raw : word;
    if (stemming.cache.size >= STEM_CACHE_LIMIT) stemming.cache.clear();
    stemming.cache.set(word, stem);
  }
  return stem;
}

/** Exclusions cut into words as a query is (splitWords), so they compare with the text's words as the query matcher does. */
interface Exclusions {
  words: Set<string>;
  prefixes: string[];
  /** Phrases of two or more words by their first word. */
  phrases: Map<string, ExcludedPhrase[]>;
}

/** `prefix`: the last word is a prefix (`acme cof*`). */
interface ExcludedPhrase { words: string[]; prefix: boolean }

const compiledExclusions = new WeakMap<ReadonlySet<string>, Exclusions>();

function compileExclusions(exclude: ReadonlySet<string>): Exclusions {
  let compiled = compiledExclusions.get(exclude);
  if (compiled) return compiled;
  compiled = { words: new Set(), prefixes: [], phrases: new Map() };
  for (const raw of exclude) {
    const entry = foldCase(raw.trim());
    const prefix = entry.endsWith('*');
    // A tag's or handle's '#' or '@' is no word character: `#acme` is the word acme.
    const words = splitWords(prefix ? entry.slice(0, -1) : entry);
    if (words.length === 1) {
      if (prefix) compiled.prefixes.push(words[0]!);
      else compiled.words.add(words[0]!);
    } else if (words.length > 1) {
      const list = compiled.phrases.get(words[0]!) ?? [];
      list.push({ words, prefix });
      compiled.phrases.set(words[0]!, list);
    }
  }
  compiledExclusions.set(exclude, compiled);
  return compiled;
}

const NOTHING_EXCLUDED = compileExclusions(new Set());

/** One word as the query matcher reads it: its search form, and that without the marks on its Latin letters if they differ. */
type MatcherWord = readonly string[];

/**
 * The words the query matcher reads in a token (splitWords: `l’oréal` is l, oréal; `t-mobile` is
 * t, mobile), as ItemIndex keeps them. Tokens are folded. Remembered, as wordInfo is.
 */
const matcherWords = memoByKey((token: string): readonly MatcherWord[] => splitWords(token).map((word) => {
  const bare = stripLatinMarks(word);
  return bare === word ? [word] : [word, bare];
}), 100_000);

function isExcludedWord(word: MatcherWord, exclusions: Exclusions): boolean {
  return word.some((form) => exclusions.words.has(form)) || exclusions.prefixes.some((prefix) => holdsWord(word, prefix, true));
}

/** Whether a word the matcher reads is `expected` (or, for a prefix, starts with it at a grapheme boundary), as ItemIndex.wordAt answers. */
function holdsWord(word: MatcherWord, expected: string, prefix: boolean): boolean {
  return word.some((form) => (prefix ? startsWithWhole(form, expected) : form === expected));
}

interface Word { surface: string; key: string; stop: boolean; excluded: boolean; breakBefore: boolean }

function isSingleCharacter(word: string): boolean {
  return word.length < 2 || (word.length === 2 && word.codePointAt(0)! > 0xffff);
}

function normaliseWord(word: string, lang: string): string {
  if (!word.includes("'") && !word.includes('’')) return word;
  if (lang === 'fr') word = word.replace(FRENCH_ELISION, '');
  return word.replace(POSSESSIVE, '');
}

/** What a word is, whatever text it is in: its forms, whether it is a stopword, its key, the words the query matcher reads in it. */
interface WordInfo { surface: string; form: string; stop: boolean; key: string; read: readonly MatcherWord[] }

/** A word's info in one language, remembered: a few hundred words make most of any text. */
function wordInfo(lang: string) {
  return memoByKey((raw: string): WordInfo | null => {
    if (!HAS_LETTER.test(raw)) return null;
    const stopwords = stopwordsFor(lang);
    const surface = normaliseWord(raw, lang);
    // Compared and counted in search form, so ديجيكالا and دیجی‌کالا are one term and one brand name.
    const form = searchForm(surface);
    const stop = stopwords.has(surface) || stopwords.has(raw) || stopwords.has(form) || isSingleCharacter(form);
    return { surface, form, stop, key: stop ? form : stemOf(form, stemmingFor(lang)), read: matcherWords(raw) };
  }, WORD_INFO_LIMIT);
}
const WORD_INFO_LIMIT = 100_000;
const wordInfos = new Map<string, (raw: string) => WordInfo | null>();

/** Whether the text between two tokens is only white space (nearly always one space). */
function onlySpace(text: string, from: number, to: number): boolean {
  if (to - from === 1 && text.charCodeAt(from) === 0x20) return true;
  return ONLY_SPACE.test(text.slice(from, to));
}

/**
 * The words the query matcher reads in a text, in order, each with the index of the Word it is
 * part of (-1 in a URL, tag, handle or number): what an excluded phrase is looked for in, as the
 * matcher looks for a query's phrase, across punctuation as well.
 */
interface MatcherText { words: MatcherWord[]; owners: number[] }

function tokenise(text: string, lang: string, exclusions: Exclusions): Word[] {
  let info = wordInfos.get(lang);
  if (!info) wordInfos.set(lang, (info = wordInfo(lang)));
  const words: Word[] = [];
  const read: MatcherText | null = exclusions.phrases.size > 0 ? { words: [], owners: [] } : null;
  let end = 0;
  let breakPending = true;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > end && !onlySpace(text, end, m.index)) breakPending = true;
    end = m.index + m[0].length;
    const raw = m[1];
    const known = raw ? info(raw) : null;
    if (read) {
      for (const word of known?.read ?? matcherWords(m[0])) {
        read.words.push(word);
        read.owners.push(known ? words.length : -1);
      }
    }
    if (!known) {
      breakPending = true; // URLs, handles, hashtags and numbers end a phrase and never join one
      continue;
    }
    const { surface, key, stop } = known;
    const excluded = known.read.some((word) => isExcludedWord(word, exclusions));
    words.push({ surface, key, stop, excluded, breakBefore: breakPending });
    breakPending = false;
  }
  if (read) markExcludedPhrases(words, read, exclusions);
  return words;
}

function markExcludedPhrases(words: Word[], read: MatcherText, exclusions: Exclusions): void {
  read.words.forEach((word, i) => {
    for (const first of word) {
      for (const { words: phrase, prefix } of exclusions.phrases.get(first) ?? []) {
        const last = phrase.length - 1;
        if (!phrase.every((expected, k) => i + k < read.words.length && holdsWord(read.words[i + k]!, expected, prefix && k === last))) continue;
        for (let k = 0; k <= last; k++) {
          const owner = read.owners[i + k]!;
          if (owner >= 0) words[owner]!.excluded = true;
        }
      }
    }
  });
}

/**
 * The distinct terms of one text: word n-grams up to `maxN` words that neither start nor end
 * with a stopword, never cross punctuation, a URL, a handle, a hashtag or a number, and never
 * contain an excluded term. Text is NFC-folded first; words are runs of WORD_CHAR, so a
 * grapheme cluster is never split. Terms come in order of first appearance, one per key.
 */
export function extractTerms(text: string, { lang, maxN = 3, exclude }: ExtractTermsOptions = {}): Term[] {
  const code = (lang ?? '').toLowerCase().slice(0, 2);
  const exclusions = exclude ? compileExclusions(exclude) : NOTHING_EXCLUDED;
  // A soft hyphen (&shy;) would cut a word in two; mentions stored before feeds dropped it still hold it.
  // An emoji's selector or keycap mark is no part of the word after it (`❤️acme`): see separateEmojiMarks.
  const words = tokenise(separateEmojiMarks(dropSoftHyphens(foldCase(text))), code, exclusions);
  const seen = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const first = words[i]!;
    if (first.stop || first.excluded) continue;
    let surface = '';
    let key = '';
    for (let j = i; j < words.length && j - i < maxN; j++) {
      const word = words[j]!;
      if (word.excluded || (j > i && word.breakBefore)) break;
      surface = j === i ? word.surface : `${surface} ${word.surface}`;
      key = j === i ? word.key : `${key} ${word.key}`;
      if (!word.stop && !seen.has(key)) seen.set(key, surface);
    }
  }
  return [...seen].map(([key, term]) => ({ term, key }));
}
