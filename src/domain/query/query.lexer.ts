import { SOURCE_TYPES } from '../items/item.types.js';
import { isIso639_1 } from '../language/iso639.js';
import { foldCase, searchForm, WORD_CHAR } from '../text/tokens.js';
import { wordCharAt } from '../text/word-scan.js';
import { countLetters, splitWords } from './query.words.js';
import {
  FILTER_FIELDS,
  QUERY_LIMITS,
  QueryError,
  type FilterField,
  type FilterNode,
  type HandleNode,
  type HashtagNode,
  type OrNode,
  type TermNode,
} from './query.types.js';

/** What one token of the query stands for; `source:rss|reddit` is an OR of two filters. */
export type Leaf = TermNode | HashtagNode | HandleNode | FilterNode | OrNode;

export type Token =
  | { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus' | 'eof'; at: number }
  | { kind: 'near'; at: number; distance: number }
  | { kind: 'leaf'; at: number; node: Leaf };

const SPACE = /\s/u;
// A word in any script followed by ':' names a filter (`lang:`), known or not: `škoda:` is refused
// as `skoda:` is, and text with a colon is searched for in quotes.
const FILTER_NAME = /(\p{L}[\p{L}\p{M}]*):/uy;
const HASHTAG_BODY = new RegExp(`^[${WORD_CHAR}_]+$`, 'u');
const HASHTAG_CHAR = new RegExp(`^[${WORD_CHAR}_]$`, 'u');
const DIGITS_ONLY = /^[\p{N}_]+$/u;
// The shape extractHandles accepts: `user`, `user.name`, `user@instance.tld`.
const HANDLE_BODY = new RegExp(
  `^[${WORD_CHAR}_]+(?:[.\\-][${WORD_CHAR}_]+)*(?:@[${WORD_CHAR}\\-]+(?:\\.[${WORD_CHAR}\\-]+)+)?$`,
  'u',
);
// Any run of digits, in any script's (NEAR/٣ is NEAR/3), is a distance, however long: NEAR/99999
// is too large, not missing. The separator of a fraction is '.', ',' or the Arabic '٫'.
const DISTANCE = /^\p{Nd}+$/u;
const FRACTION = /^\p{Nd}*[.,\u066B]\p{Nd}+$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
// ASCII digits only, as before NEAR took other scripts': a stored `near/٣` stays the term it was.
const LOWERCASE_NEAR = /^near\/\d+$/i;
const PHRASE_PREFIX = new RegExp(`[${WORD_CHAR}]\\*$`, 'u');
const NOT_A_HOST = /[/:?#@*\\\s]/u;
// A Map, not an object literal: a query word like `constructor` must not find Object.prototype.
const OPERATORS = new Map<string, 'and' | 'or' | 'not'>([
  ['AND', 'and'],
  ['OR', 'or'],
  ['NOT', 'not'],
]);

/*
 * Phones and word processors turn a typed '"' into the quotes of the writer's language. “ „ and «
 * open a phrase as '"' does, and like it must be closed: by ” or “ (English “…”, Czech and German
 * „…“, Polish „…”), by » («…»), or by a plain '"'. The marks that more often close than open — ”
 * (Swedish ”…”), » (Danish »…«) and the single quotes ‘…’, ‚…‘, ‹…› — open a phrase only when a
 * closing mark follows with no letter or digit right after it, since ’ is also the apostrophe
 * (`acme’s`); otherwise they are text, as before.
 */
const QUOTES = new Map<string, { closers: string; mustClose: boolean }>([
  ['"', { closers: '"', mustClose: true }],
  ['\u201C', { closers: '\u201D\u201C"', mustClose: true }],
  ['\u201E', { closers: '\u201C\u201D"', mustClose: true }],
  ['\u00AB', { closers: '\u00BB"', mustClose: true }],
  ['\u201D', { closers: '\u201D"', mustClose: false }],
  ['\u00BB', { closers: '\u00AB"', mustClose: false }],
  ['\u2018', { closers: '\u2019', mustClose: false }],
  ['\u201A', { closers: '\u2018\u2019', mustClose: false }],
  ['\u2039', { closers: '\u203A', mustClose: false }],
  ['\u203A', { closers: '\u2039', mustClose: false }],
]);
// What autocorrect makes of a typed '-' (en and em dash, the minus sign, Unicode and full-width
// hyphens). Where '-' would exclude, at the start of a term, each excludes; inside a term
// (`Frýdek–Místek`, `t‑mobile`) each stays text, as '-' does.
const DASHES = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFE63', '\uFF0D']);
// Full-width ＃ and ＠ (Chinese and Japanese keyboards) are '#' and '@', as in item texts.
const HASH = new Set(['#', '\uFF03']);
const AT = new Set(['@', '\uFF20']);
const PLUS = new Set(['+', '\uFF0B']);

const isSpace = (ch: string) => SPACE.test(ch);
const endsBareWord = (ch: string) => isSpace(ch) || ch === '(' || ch === ')' || ch === '"';

/** Splits a query into operators and fully validated leaves (terms, hashtags, handles, filters). */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (isSpace(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', at: i });
      i += 1;
    } else if (DASHES.has(ch)) {
      const next = input.charAt(i + 1);
      if (next === '' || isSpace(next) || next === ')') {
        throw new QueryError(`'${ch}' at ${i} must be directly followed by what it excludes, as in -acme`, i);
      }
      tokens.push({ kind: 'minus', at: i });
      i += 1;
    } else {
      const { token, end } = readTerm(input, i);
      tokens.push(token);
      i = end;
    }
  }
  tokens.push({ kind: 'eof', at: input.length });
  return tokens;
}

/** A phrase, a filter, or a bare word, tag, handle or operator. */
function readTerm(input: string, at: number): { token: Token; end: number } {
  const quote = quoted(input, at);
  if (quote) return { token: { kind: 'leaf', at, node: phrase(quote.inner, at) }, end: quote.end };
  FILTER_NAME.lastIndex = at;
  const filterName = FILTER_NAME.exec(input);
  return filterName ? readFilter(input, at, filterName[1] ?? '') : readBare(input, at);
}

/**
 * The inside of `text` when the whole of it is one phrase in the quotes that must close ("…", “…”,
 * „…“, «…»), as a query would read it; null otherwise (no quote, an unclosed one, or text after
 * the closing quote). What keyword= drops around a phrase copied from a query.
 */
export function phraseInQuotes(text: string): string | null {
  const quote = QUOTES.get(text.charAt(0));
  // Ending on one of its closers, the quote is closed: quoted() finds the first of them.
  if (!quote?.mustClose || text.length < 2 || !quote.closers.includes(text.charAt(text.length - 1))) return null;
  const phrase = quoted(text, 0)!;
  return phrase.end === text.length ? phrase.inner : null;
}

/** The phrase a quote at `at` opens, or null when none opens there (see QUOTES). */
function quoted(input: string, at: number): { inner: string; end: number } | null {
  const quote = QUOTES.get(input.charAt(at));
  if (quote === undefined) return null;
  for (let close = at + 1; close < input.length; close += 1) {
    if (!quote.closers.includes(input.charAt(close))) continue;
    if (quote.mustClose || wordCharAt(input, close + 1) === 0) return { inner: input.slice(at + 1, close), end: close + 1 };
  }
  if (quote.mustClose) throw new QueryError(`unclosed quote opened at ${at}`, at);
  return null;
}

function endOfBare(input: string, from: number): number {
  let end = from;
  while (end < input.length && !endsBareWord(input.charAt(end))) end += 1;
  return end;
}

function readBareValue(input: string, at: number): { inner: string; end: number } {
  const end = endOfBare(input, at);
  return { inner: input.slice(at, end), end };
}

function phrase(inner: string, at: number): TermNode {
  const written = foldCase(inner).replace(/\s+/gu, ' ').trim();
  // `"acme cof*"`: the star must touch the last word; a lone `*` inside quotes is punctuation.
  const prefix = PHRASE_PREFIX.test(written);
  const words = splitWords(written);
  if (words.length === 0) throw new QueryError(`the phrase at ${at} has no words in it`, at);
  if (prefix) checkPrefix(words, inner, at);
  return { type: 'term', text: written, words, prefix };
}

function checkPrefix(words: string[], written: string, at: number): void {
  const last = words[words.length - 1] ?? '';
  if (countLetters(last) < QUERY_LIMITS.minPrefixLetters) throw prefixTooShort(written, at);
}

function prefixTooShort(written: string, at: number): QueryError {
  return new QueryError(`a prefix needs at least ${QUERY_LIMITS.minPrefixLetters} letters before '*' ('${written}' at ${at})`, at);
}

function readBare(input: string, at: number): { token: Token; end: number } {
  const { inner: raw, end } = readBareValue(input, at);
  const operator = OPERATORS.get(raw);
  if (operator) return { token: { kind: operator, at }, end };
  if (raw === 'NEAR' || raw.startsWith('NEAR/')) return { token: near(raw, at), end };
  if (LOWERCASE_NEAR.test(raw)) {
    throw new QueryError(`operators are written in upper case: write ${raw.toUpperCase()} at ${at}`, at);
  }
  const node = HASH.has(raw.charAt(0)) ? hashtag(raw, at) : AT.has(raw.charAt(0)) ? handle(raw, at) : bareTerm(raw, at);
  return { token: { kind: 'leaf', at, node }, end };
}

function near(raw: string, at: number): Token {
  const written = raw.slice('NEAR/'.length);
  if (!DISTANCE.test(written)) throw new QueryError(nearProblem(raw, written, at), at);
  const digits = Array.from(written, digitValue).join('').replace(/^0+(?=\d)/, '');
  const distance = Number(digits);
  if (distance > QUERY_LIMITS.maxNearDistance) {
    throw new QueryError(`NEAR distance ${shortened(digits)} at ${at} is too large; the limit is ${QUERY_LIMITS.maxNearDistance}`, at);
  }
  return { kind: 'near', at, distance };
}

const NEAR_DISTANCE = `a whole number from 0 to ${QUERY_LIMITS.maxNearDistance}, as in NEAR/3`;

/** What is wrong with a NEAR whose distance is no run of digits: none, a sign, a fraction or other text. */
function nearProblem(raw: string, written: string, at: number): string {
  if (raw === 'NEAR') return `NEAR at ${at} needs a distance: write NEAR/ and ${NEAR_DISTANCE}`;
  if (written === '') return `NEAR/ at ${at} has nothing after its '/': write the distance right after it, ${NEAR_DISTANCE}`;
  const sign = written.charAt(0);
  const unsigned = written.slice(1);
  if ((DASHES.has(sign) || PLUS.has(sign)) && (DISTANCE.test(unsigned) || FRACTION.test(unsigned))) {
    const wrong = DASHES.has(sign) ? 'is negative' : `has a '${sign}' sign`;
    return `NEAR distance ${shortened(written)} at ${at} ${wrong}: write ${NEAR_DISTANCE}`;
  }
  if (FRACTION.test(written)) return `NEAR distance ${shortened(written)} at ${at} is a fraction: write ${NEAR_DISTANCE}`;
  return `NEAR distance '${shortened(written)}' at ${at} is not a number: write ${NEAR_DISTANCE}`;
}

/** At most 12 characters of what was written, for a message. */
function shortened(written: string): string {
  const chars = Array.from(written);
  return chars.length > 12 ? `${chars.slice(0, 12).join('')}…` : written;
}

/**
 * A decimal digit's value, in any script. Unicode encodes each script's digits 0 to 9 as a run
 * of ten, and every run of digits begins with a 0 (scripts whose runs touch, as the mathematical
 * digits do, come in whole runs of ten), so the distance from the run's start gives the value.
 */
function digitValue(digit: string): number {
  const code = digit.codePointAt(0)!;
  let first = code;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(first - 1))) first -= 1;
  return (code - first) % 10;
}

/**
 * What a hashtag holds after its '#', in the words the query language's `#tag` and the API's
 * `hashtag=` both use: letters (with their marks, and the joiners ZWNJ and ZWJ), digits and '_',
 * as the extractor reads tags (src/domain/text/tokens.ts), and at least one letter.
 */
export const HASHTAG_HOLDS = 'letters, digits and _';

/** Why `body` (a tag without its '#') can be no hashtag, or null; `character` is the first it cannot hold. */
export function hashtagBodyProblem(body: string): { character: string } | 'digits only' | null {
  if (!HASHTAG_BODY.test(body)) {
    for (const character of body) if (!HASHTAG_CHAR.test(character)) return { character };
    return { character: '' }; // only an empty body: callers refuse that first
  }
  return DIGITS_ONLY.test(body) ? 'digits only' : null;
}

function hashtag(raw: string, at: number): HashtagNode {
  const body = raw.slice(1);
  const problem = hashtagBodyProblem(body);
  if (problem === 'digits only') throw new QueryError(`hashtag '${raw}' at ${at} needs a letter; tags of digits only are not collected`, at);
  if (problem) throw new QueryError(`hashtag '${raw}' at ${at} may contain only ${HASHTAG_HOLDS}`, at);
  return { type: 'hashtag', tag: foldCase(body) };
}

function handle(raw: string, at: number): HandleNode {
  const body = raw.slice(1);
  if (!HANDLE_BODY.test(body)) {
    throw new QueryError(`handle '${raw}' at ${at} should look like @name or @name@instance.social`, at);
  }
  return { type: 'handle', handle: foldCase(body) };
}

function bareTerm(raw: string, at: number): TermNode {
  const star = raw.indexOf('*');
  const prefix = star >= 0;
  if (prefix && star !== raw.length - 1) {
    throw new QueryError(`'*' at ${at + star} is allowed only at the end of a term, as in acme*`, at + star);
  }
  const words = splitWords(foldCase(prefix ? raw.slice(0, -1) : raw));
  if (words.length === 0) {
    // `ी*`: something was written before the '*', only no letter: the prefix is too short, not bare.
    if (prefix && star > 0) throw prefixTooShort(raw, at);
    if (prefix) throw new QueryError(`a bare '*' at ${at + star} would match everything; write at least 2 letters before it`, at + star);
    throw new QueryError(`'${raw}' at ${at} has no letters or digits to search for`, at);
  }
  if (prefix) checkPrefix(words, raw, at);
  return { type: 'term', text: foldCase(raw), words, prefix };
}

function readFilter(input: string, at: number, name: string): { token: Token; end: number } {
  const field = name.toLowerCase() as FilterField;
  if (!FILTER_FIELDS.includes(field)) {
    throw new QueryError(
      `unknown filter '${name}:' at ${at}; filters are ${FILTER_FIELDS.map((f) => `${f}:`).join(', ')} (quote the text to search for it)`,
      at,
    );
  }
  const valueAt = at + name.length + 1;
  const { inner, end } = quoted(input, valueAt) ?? readBareValue(input, valueAt);
  if (inner.trim() === '') throw new QueryError(`filter '${field}:' at ${at} needs a value, as in ${EXAMPLES[field]}`, at);
  // `source:rss|reddit`, as the API reference writes it, is `(source:rss OR source:reddit)`.
  const values = field === 'author' ? [inner.trim()] : inner.split('|').map((value) => value.trim());
  const filters = values.map((value): FilterNode => {
    if (value === '') throw new QueryError(`filter '${field}:' at ${at} has an empty value between '|'`, at);
    return { type: 'filter', field, value: filterValue(field, value, at) };
  });
  const node: Leaf = filters.length === 1 ? (filters[0] as FilterNode) : { type: 'or', children: filters };
  return { token: { kind: 'leaf', at, node }, end };
}

const EXAMPLES: Record<FilterField, string> = {
  lang: 'lang:cs',
  site: 'site:example.com',
  author: 'author:"Jane Doe"',
  source: 'source:rss',
};

function filterValue(field: FilterField, value: string, at: number): string {
  switch (field) {
    case 'source': {
      const source = value.toLowerCase();
      if (!(SOURCE_TYPES as readonly string[]).includes(source)) {
        throw new QueryError(`unknown source '${value}'; one of ${SOURCE_TYPES.join(', ')} (at ${at})`, at);
      }
      return source;
    }
    case 'lang':
      if (!isIso639_1(value)) throw new QueryError(`'${value}' at ${at} is not a language code; write an ISO 639-1 code such as lang:cs or lang:hi`, at);
      return value.toLowerCase();
    case 'site':
      return siteHost(value, at);
    case 'author':
      return searchForm(foldCase(value)).replace(/\s+/gu, ' ');
  }
}

function siteHost(value: string, at: number): string {
  // `*.example.com` is accepted for `example.com`, which covers its subdomains anyway.
  const host = value.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  const invalid = () => new QueryError(`site: takes a host name such as site:example.com, not '${value}' (at ${at})`, at);
  if (host === '' || NOT_A_HOST.test(host)) throw invalid();
  try {
    // The URL parser turns an international domain into the punycode form item URLs carry.
    return new URL(`http://${host}/`).hostname;
  } catch {
    throw invalid();
  }
}
