import { memoByKey } from '../text/memo.js';
import { dropInvisibleInWords, searchForm } from '../text/tokens.js';
import { forEachWordRunApartFromEmoji } from '../text/word-scan.js';

const NON_ASCII = /[^\u0000-\u007f]/;
// A combining mark (and any run of them) sitting on a Latin letter: the accents of š, é, ő.
// Marks on Devanagari, Gujarati, Tamil or Arabic letters are never touched: there they change the word.
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;
// A prefix ends on a grapheme boundary: the next character must not be a mark or a joiner.
const CONTINUES_CLUSTER = /[\p{M}\u200C\u200D]/u;
const LETTER = /[\p{L}\p{N}]/gu;

const HAS_LETTER = /[\p{L}\p{N}]/u;

// A run of marks and joiners alone is not a word: the variation selector and ZWJ inside an emoji
// (❤️‍🔥) would otherwise stand between two words and break a phrase. ASCII in a run is a letter.
const isWord = (run: string) => run.charCodeAt(0) < 0x80 || HAS_LETTER.test(run);

/** The words of an already folded string, in order. */
export function splitWords(folded: string): string[] {
  const words: string[] = [];
  forEachWord(folded, (word) => words.push(word));
  return words;
}

// A combining mark at the start of a run sits on no letter (on a symbol, an emoji, a dotted circle
// ◌): it is not part of the word that follows. Marks inside a word (matras, viramas, harakat) stay.
const LEADING_MARKS = /^\p{M}+/u;
const STARTS_WITH_LETTER = /^[\p{L}\p{N}]/u;

/**
 * Calls `visit` with each word of an already folded string, in its search form (`searchForm`:
 * ي is ی, no soft hyphen, ZWNJ or tatweel), without building an array. A zero-width space, word
 * joiner or BOM inside a word does not cut it (dropInvisibleInWords). Shared by the query parser
 * and the item index, so a query word and a text word are always cut and spelt the same way.
 * An emoji's selector or keycap mark ends a word (`❤️acme` and `1️⃣acme` hold the word acme, as
 * separateEmojiMarks reads them), and a word never starts with a combining mark.
 */
export function forEachWord(folded: string, visit: (word: string) => void): void {
  forEachWordRunApartFromEmoji(searchForm(dropInvisibleInWords(folded)), (run) => {
    if (run.charCodeAt(0) < 0x80 || STARTS_WITH_LETTER.test(run)) {
      visit(run);
      return;
    }
    const word = run.replace(LEADING_MARKS, '');
    if (word !== '' && isWord(word)) visit(word);
  });
}

// Words repeat across items, and decomposing is the costliest step of indexing an item.
const stripNonAscii = memoByKey((folded) => {
  const decomposed = folded.normalize('NFD');
  const removed = decomposed.replace(LATIN_MARKS, '$1');
  return removed === decomposed ? folded : removed.normalize('NFC');
}, 50_000);

/** `škoda` → `skoda`, `café` → `cafe`; `नमस्ते` and `می‌خواهم` are returned unchanged. */
export function stripLatinMarks(folded: string): string {
  return NON_ASCII.test(folded) ? stripNonAscii(folded) : folded;
}

/*
 * A virama (Tamil pulli ், Devanagari halant ्, Gujarati ્ …) silences the vowel of the consonant
 * before it, and a suffix written onto the word gives that consonant a vowel back in its place:
 * ஆவின் with இன் is ஆவினின், with ஐ ஆவினை, with அது ஆவினது. So a prefix ending in a virama stands
 * for its last consonant with any vowel: a vowel sign, the virama, or none (the inherent a). Only
 * a nukta, which makes it another consonant (ઝ઼ is not ઝ), is left out.
 * These are every character of Canonical_Combining_Class Virama (9), and of Nukta (7), in the
 * scripts of India and Sri Lanka (U+0900–U+0DFF), whose words are written with spaces. JavaScript
 * regular expressions cannot name a combining class.
 */
const VIRAMAS = new Set([0x094d, 0x09cd, 0x0a4d, 0x0acd, 0x0b4d, 0x0bcd, 0x0c4d, 0x0ccd, 0x0d3b, 0x0d3c, 0x0d4d, 0x0dca]);
const NUKTAS = new Set([0x093c, 0x09bc, 0x0a3c, 0x0abc, 0x0b3c, 0x0c3c, 0x0cbc]);

function endsInVirama(prefix: string): boolean {
  const last = prefix.charCodeAt(prefix.length - 1);
  // Most prefixes end in a letter of another script: one comparison, and no look-up, for them.
  return last >= 0x094d && last <= 0x0dca && VIRAMAS.has(last);
}

/**
 * Whether `word` is found by the prefix `prefix`: it starts with it and the cut falls between two
 * grapheme clusters, or (the prefix ending in a virama) it holds the prefix's last consonant with
 * any vowel (above).
 */
export function startsWithWhole(word: string, prefix: string): boolean {
  if (!word.startsWith(prefix)) return endsInVirama(prefix) && startsWithConsonant(word, prefix);
  if (word.length === prefix.length) return true;
  return !CONTINUES_CLUSTER.test(String.fromCodePoint(word.codePointAt(prefix.length) ?? 0));
}

/** Whether `word` starts with `prefix` without its last character (a virama), followed by no nukta. */
function startsWithConsonant(word: string, prefix: string): boolean {
  const stem = prefix.length - 1;
  if (word.length < stem) return false;
  for (let i = 0; i < stem; i++) if (word.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return !NUKTAS.has(word.charCodeAt(stem));
}

/** What every word the prefix finds starts with (startsWithWhole): the prefix, without a virama at its end. */
export function prefixStem(prefix: string): string {
  return endsInVirama(prefix) ? prefix.slice(0, -1) : prefix;
}

export function countLetters(word: string): number {
  return word.match(LETTER)?.length ?? 0;
}
