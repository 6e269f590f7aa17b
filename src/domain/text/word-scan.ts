import { WORD_CHAR } from './tokens.js';

// Tokenising is most of what scoring and matching spend on a text, and a Unicode property class
// in a regular expression costs ~18 ns a character. These scanners answer exactly what
// `[${WORD_CHAR}]+` and `[${WORD_CHAR}]+(?:['’][${WORD_CHAR}]+)*` (flag u) match, from a table
// of the Basic Multilingual Plane built once per thread (~5 ms, 64 KiB) and the same class tested
// directly for the rare code points beyond it.

const WORD_CHAR_CLASS = new RegExp(`[${WORD_CHAR}]`, 'u');

const BMP_WORD_CHARS = (() => {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    // Surrogates are not characters on their own; a pair is looked at as its code point.
    if (code < 0xd800 || code > 0xdfff) table[code] = WORD_CHAR_CLASS.test(String.fromCharCode(code)) ? 1 : 0;
  }
  return table;
})();

/** The length in code units (1 or 2) of the word character at `i`, or 0 when there is none. */
export function wordCharAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return BMP_WORD_CHARS[code]!;
  const point = text.codePointAt(i)!;
  return point > 0xffff && WORD_CHAR_CLASS.test(String.fromCodePoint(point)) ? 2 : 0;
}

/** Where the run of word characters that starts at `i` ends (`i` when there is none). */
export function wordRunEnd(text: string, i: number): number {
  let end = i;
  for (let n = wordCharAt(text, end); n > 0; n = wordCharAt(text, end)) end += n;
  return end;
}

// The same table without an emoji's presentation selectors (U+FE0E, U+FE0F) and the keycap mark
// (U+20E3): word characters to Unicode (\p{M}), but they belong to the emoji before them (❤️, 1️⃣;
// see separateEmojiMarks in tokens.ts). All three are in the Basic Multilingual Plane.
const BMP_WORD_CHARS_APART_FROM_EMOJI = (() => {
  const table = BMP_WORD_CHARS.slice();
  table[0x20e3] = table[0xfe0e] = table[0xfe0f] = 0;
  return table;
})();

function wordCharApartFromEmojiAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  return code < 0xd800 || code > 0xdbff ? BMP_WORD_CHARS_APART_FROM_EMOJI[code]! : wordCharAt(text, i);
}

/** Where the run of word characters that starts at `i` ends, an emoji's selector or keycap mark ending it too. */
function wordRunEndApartFromEmoji(text: string, i: number): number {
  let end = i;
  for (let n = wordCharApartFromEmojiAt(text, end); n > 0; n = wordCharApartFromEmojiAt(text, end)) end += n;
  return end;
}

/** Where a word with inner apostrophes (`don't`, `l’appli`) that starts at `i` ends (`i` when there is none). */
export function apostropheWordEnd(text: string, i: number): number {
  let end = wordRunEnd(text, i);
  if (end === i) return i;
  for (;;) {
    const code = text.charCodeAt(end);
    if (code !== 0x27 && code !== 0x2019) return end;
    const next = wordRunEnd(text, end + 1);
    if (next === end + 1) return end;
    end = next;
  }
}

/** The code units to step over a character that starts no word: 2 for a surrogate pair. */
export function charLengthAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** Calls `visit` with each stretch of `text` that `endAt` says is a token, stepping over the characters between. */
function forEachToken(text: string, endAt: (text: string, i: number) => number, visit: (token: string) => void): void {
  for (let i = 0; i < text.length; ) {
    const end = endAt(text, i);
    if (end > i) {
      visit(text.slice(i, end));
      i = end;
    } else {
      i += charLengthAt(text, i);
    }
  }
}

/** Calls `visit` with each run of word characters (`[${WORD_CHAR}]+`) in order, without building an array. */
export function forEachWordRun(text: string, visit: (run: string) => void): void {
  forEachToken(text, wordRunEnd, visit);
}

/**
 * Calls `visit` with each run of word characters in order, as forEachWordRun does, except that an
 * emoji's presentation selector or keycap mark is no word character: `❤️acme` and `1️⃣acme` hold acme.
 */
export function forEachWordRunApartFromEmoji(text: string, visit: (run: string) => void): void {
  forEachToken(text, wordRunEndApartFromEmoji, visit);
}

/** The words with inner apostrophes of `text`, in order: what `[${WORD_CHAR}]+(?:['’][${WORD_CHAR}]+)*` matches. */
export function apostropheWords(text: string): string[] {
  const words: string[] = [];
  forEachToken(text, apostropheWordEnd, (word) => words.push(word));
  return words;
}
