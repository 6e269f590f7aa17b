import { stripLatinMarks } from '../query/query.words.js';
import { searchForm } from '../text/tokens.js';

/**
 * What the spellings of one hashtag share, as `hashtag=` finds them: the search form (ZWNJ or not,
 * Arabic or Persian ي ی and ك ک, the nukta, the script of digits) without marks on Latin letters.
 * `hashtag=kava` lists the mentions of `#káva` and `#kava`, and `hashtag=prehled` those of
 * `#přehled` and `#prehled`, so trending counts each pair as one tag. Tags are stored folded.
 */
export const hashtagKey = (tag: string): string => stripLatinMarks(searchForm(tag));

/**
 * Whether `a` sorts before `b` in code-point order, which is Postgres's `collate "C"` on UTF-8 text.
 * JS's `<` compares UTF-16 code units, where a character above U+FFFF (a surrogate pair) sorts
 * before U+E000–U+FFFF; two Latin spellings of one tag can first differ there (a variation
 * selector against a supplementary mark), and the migrations choose spellings in "C" order.
 */
export function precedesInCodePoints(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) move above U+E000–U+FFFF, which move down to make room.
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x < y;
  }
  return a.length < b.length;
}
