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

/** Whether `word` starts with `prefix` and the cut falls between two grapheme clusters. */
export function startsWithWhole(word: string, prefix: string): boolean {
  if (!word.startsWith(prefix)) return false;
  if (word.length === prefix.length) return true;
  return !CONTINUES_CLUSTER.test(String.fromCodePoint(word.codePointAt(prefix.length) ?? 0));
}

export function countLetters(word: string): number {
  return word.match(LETTER)?.length ?? 0;
}
