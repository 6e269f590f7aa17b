import { blueskyName, handleMatches } from '../query/query.item-index.js';
import { splitWords, startsWithWhole, stripLatinMarks } from '../query/query.words.js';
import { memoByKey } from '../text/memo.js';
import { foldCase, searchForm, separateEmojiMarks } from '../text/tokens.js';
import { charLengthAt, wordCharAt, wordRunEnd } from '../text/word-scan.js';

/*
 * A brand's name says nothing of what a post thinks of it: "Best Buy support was useless" is not
 * praise because "best" is a sentiment word, nor is "Zlatá Lžička: káva byla studená" positive, or
 * Czech, because "zlatá" is. The terms a post was matched on (BrandMatch.keywords: as written,
 * folded; '#tag', '@handle') are blanked where they occur before the language is detected and the
 * sentiment scored. They are found as the matcher finds them (query.item-index.ts): whole words in
 * search form (ي is ی, no ZWNJ or soft hyphen), a word without Latin marks also finding one with
 * them, a prefix term ending on a grapheme boundary. Only the phrase is blanked, never its words
 * elsewhere: "Best Buy has the best prices" keeps its second "best".
 *
 * A hashtag spelling a term's words run together (#BestBuy for "best buy") is the brand's name too,
 * and the tokeniser would read it as "best" and "buy": it is blanked with the term. So is a tag or
 * handle given as a keyword, with its '#' or '@' (#happy_cow and @happy_cow hold the word "happy").
 */

/** A brand name's words in search form, with and without Latin marks, and its words run together without them. */
const nameOf = memoByKey((name: string): { words: Set<string>; joined: string } => {
  const split = splitWords(searchForm(foldCase(name)));
  const words = new Set<string>();
  for (const word of split) words.add(word).add(stripLatinMarks(word));
  return { words, joined: stripLatinMarks(split.join('')) };
}, 10_000);

/**
 * Of the terms a post was matched on, those that name its brands, which `ignore` leaves out: a term
 * all of whose words are words of a brand's name ("best buy", "zlata lzicka" for Zlatá Lžička,
 * `acme*` for Acme), or a tag or handle holding the name ("#bestbuydeals", "@zlatalzicka"). A
 * query's other terms say what people think of the brand ("acme AND (refund OR scam)",
 * `"best buy" NEAR/3 broken`) and are scored like the rest of the post.
 */
export function namingTerms(keywords: readonly string[], names: readonly string[]): string[] {
  const named = names.filter(Boolean).map(nameOf);
  if (!named.length) return [];
  return keywords.filter((keyword) => {
    const parsed = parseKeyword(keyword);
    if (parsed === null) return false;
    if (parsed.kind === 'phrase') return named.some(({ words }) => parsed.words.every((w) => words.has(w) || words.has(stripLatinMarks(w))));
    const body = stripLatinMarks(searchForm(parsed.body.toLowerCase())).replace(/[_.\-]/gu, '');
    return named.some(({ words, joined }) => (joined !== '' && body.includes(joined)) || words.has(body));
  });
}

interface IgnoredTerms {
  phrases: Array<{ words: string[]; prefix: boolean }>;
  /** Tag bodies in search form. */
  tags: Set<string>;
  handles: string[];
}

type Parsed = { kind: 'phrase'; words: string[]; prefix: boolean } | { kind: 'tag' | 'handle'; body: string };

// Keywords repeat across a workspace's posts; parsing one costs more than finding it.
const parseKeyword = memoByKey((keyword): Parsed | null => {
  if (keyword.startsWith('#')) return keyword.length > 1 ? { kind: 'tag', body: searchForm(keyword.slice(1)) } : null;
  if (keyword.startsWith('@')) return keyword.length > 1 ? { kind: 'handle', body: keyword.slice(1) } : null;
  // A keyword is already folded and its words are cut as the query parser cut them; '*' ends a prefix.
  const words = splitWords(keyword);
  return words.length ? { kind: 'phrase', words, prefix: keyword.endsWith('*') } : null;
}, 10_000);

function collectTerms(keywords: readonly string[]): IgnoredTerms {
  const terms: IgnoredTerms = { phrases: [], tags: new Set(), handles: [] };
  for (const keyword of keywords) {
    const parsed = parseKeyword(keyword);
    if (parsed === null) continue;
    if (parsed.kind === 'phrase') {
      terms.phrases.push(parsed);
      if (!parsed.prefix) terms.tags.add(parsed.words.join(''));
    } else if (parsed.kind === 'tag') terms.tags.add(parsed.body);
    else terms.handles.push(parsed.body);
  }
  return terms;
}

const LEADING_MARKS = /^\p{M}+/u;
const HAS_LETTER = /[\p{L}\p{N}]/u;
const SOFT_HYPHEN = 0xad;

/** Where a run of word characters ends, read through soft hyphens (searchForm drops them, so the matcher reads one word). */
function wordEnd(text: string, i: number): number {
  let end = wordRunEnd(text, i);
  while (end > i && text.charCodeAt(end) === SOFT_HYPHEN && wordCharAt(text, end + 1) > 0) end = wordRunEnd(text, end + 1);
  return end;
}

/**
 * The words of `text` as the matcher's forEachWord cuts them: where each stands, and its folded
 * search form and that form without Latin marks, worked out only for a word some term is compared with.
 */
class Words {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private readonly forms: Array<string | undefined> = [];
  private readonly bares: Array<string | undefined> = [];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; ) {
      const end = wordEnd(text, i);
      if (end === i) {
        i += charLengthAt(text, i);
        continue;
      }
      let start = i;
      // A word never starts with a combining mark, and a run of marks and joiners alone is none (query.words.ts).
      if (text.charCodeAt(i) >= 0x80 && !HAS_LETTER.test(text.charAt(i))) {
        const run = text.slice(i, end);
        const word = run.replace(LEADING_MARKS, '');
        start += run.length - word.length;
        if (word === '' || !HAS_LETTER.test(word)) start = end;
      }
      if (start < end) {
        this.starts.push(start);
        this.ends.push(end);
      }
      i = end;
    }
  }

  get length(): number {
    return this.starts.length;
  }

  /** Whether word `k` is `expected` (or, for a prefix, starts with it), in either form. */
  is(k: number, expected: string, prefix: boolean): boolean {
    // An ASCII letter is its own folded form, marks and all: most words are ruled out here, unread.
    const first = this.text.charCodeAt(this.starts[k]!);
    if (first < 0x80 && (first >= 0x41 && first <= 0x5a ? first + 0x20 : first) !== expected.charCodeAt(0)) return false;
    const form = (this.forms[k] ??= searchForm(this.text.slice(this.starts[k], this.ends[k]).toLowerCase()));
    const bare = (this.bares[k] ??= stripLatinMarks(form));
    if (!prefix) return form === expected || bare === expected;
    return startsWithWhole(form, expected) || startsWithWhole(bare, expected);
  }
}

const HASH = new Set([0x23, 0xff03]);
const AT = new Set([0x40, 0xff20]);
const UNDERSCORE = 0x5f;

/** The end of a tag's or handle's body starting at `i`: word characters and '_', and for a handle '.', '-' and '@' inside it. */
function bodyEnd(text: string, i: number, handle: boolean): number {
  let end = i;
  for (;;) {
    const n = wordCharAt(text, end);
    if (n > 0) end += n;
    else if (text.charCodeAt(end) === UNDERSCORE) end++;
    else if (handle && end > i && '.-@'.includes(text.charAt(end)) && (wordCharAt(text, end + 1) > 0 || text.charCodeAt(end + 1) === UNDERSCORE)) end++;
    else return end;
  }
}

/** Spans [start, end) of the tags and handles among `terms` that `text` writes. */
function markedSpans(text: string, terms: IgnoredTerms, spans: Array<[number, number]>): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const tag = HASH.has(code);
    if (!tag && !AT.has(code)) continue;
    if (i > 0 && (wordCharAt(text, i - 1) > 0 || text.charCodeAt(i - 1) === UNDERSCORE)) continue;
    const end = bodyEnd(text, i + 1, !tag);
    if (end === i + 1) continue;
    const body = text.slice(i + 1, end).toLowerCase();
    if (tag) {
      const form = searchForm(body);
      if (terms.tags.has(form) || terms.tags.has(stripLatinMarks(form))) spans.push([i, end]);
    } else if (terms.handles.some((h) => handleMatches(body, h) || blueskyName(body) === h)) {
      spans.push([i, end]);
    }
    i = end - 1;
  }
}

/**
 * `text` (NFC) with every occurrence of `keywords` replaced by spaces, or `text` itself, the same
 * string, when none occurs. Blanking keeps the rest where it was: clause marks and the words
 * around the name still stand apart.
 */
export function blankTerms(text: string, keywords: readonly string[]): string {
  if (text === '' || keywords.length === 0) return text;
  const terms = collectTerms(keywords);
  const normal = text.normalize('NFC');
  // An emoji's selector or keycap mark ends a word, as the matcher reads it; the same length.
  const scan = separateEmojiMarks(normal);
  const spans: Array<[number, number]> = [];
  if (terms.phrases.length) {
    const words = new Words(scan);
    for (const { words: wanted, prefix } of terms.phrases) {
      const last = wanted.length - 1;
      for (let p = 0; p + last < words.length; p++) {
        if (wanted.every((w, k) => words.is(p + k, w, prefix && k === last))) spans.push([words.starts[p]!, words.ends[p + last]!]);
      }
    }
  }
  if ((terms.tags.size || terms.handles.length) && /[#@\uFF03\uFF20]/.test(scan)) markedSpans(scan, terms, spans);
  if (!spans.length) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let blanked = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    blanked += normal.slice(at, from) + ' '.repeat(end - from);
    at = end;
  }
  return blanked + normal.slice(at);
}
