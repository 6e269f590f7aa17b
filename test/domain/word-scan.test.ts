import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTokeniser, TOKEN_PARTS, TokenCollector, TokenKind, type Tokenised } from '../../src/domain/sentiment/sentiment.tokens.js';
import { WORD_CHAR } from '../../src/domain/text/tokens.js';
import { apostropheWords, forEachWordRun, forEachWordRunApartFromEmoji, wordCharAt } from '../../src/domain/text/word-scan.js';

// The scanners replace regular expressions on the hottest path of ingestion; they must answer
// exactly what those expressions answered, on every character and on hostile mixtures.

const CHAR = new RegExp(`^[${WORD_CHAR}]$`, 'u');
const RUN = new RegExp(`[${WORD_CHAR}]+`, 'gu');
// An emoji's presentation selectors and the keycap mark end a word for matching (❤️acme, 1️⃣acme).
const RUN_APART_FROM_EMOJI = new RegExp(`(?:(?![\uFE0E\uFE0F\u20E3])[${WORD_CHAR}])+`, 'gu');
const WORD = String.raw`[${WORD_CHAR}]+(?:['’][${WORD_CHAR}]+)*`;
const APOSTROPHE_WORD = new RegExp(WORD, 'gu');

/**
 * The tokeniser as it was written before the scanner: one regular expression from the same parts,
 * its matches handed to the same collector, on each piece of the text between its links. The
 * oracle for what the scanner finds.
 */
function regexTokeniser(): (text: string) => Tokenised {
  const pattern = new RegExp(String.raw`(${WORD})|#(${WORD})|${TOKEN_PARTS.emoticon}|${TOKEN_PARTS.pictograph}|[!?]`, 'gu');
  const links = new RegExp(TOKEN_PARTS.link, 'giu');
  return (text) => {
    const found = new TokenCollector();
    for (const piece of text.normalize('NFC').split(links)) {
      for (const [raw, word, tag] of piece.matchAll(pattern)) {
        if (raw === '!') found.exclamation();
        else if (raw === '?') found.question();
        else if (word !== undefined) found.word(word);
        else if (tag !== undefined) found.hashtag(tag);
        else found.symbol(raw);
      }
    }
    return found.finish();
  };
}

// Pieces that sit on every boundary the expressions decide: scripts, marks, joiners, apostrophes,
// emoticon parts, emoji with selectors and modifiers, astral letters and digits, lone surrogates.
const PIECES = [
  'a', 'Z', 'x', 'X', 'O', 'o', '0', '3', '8', 'D', 'P', 'p', 'S', 'é', 'e\u0301', 'Škoda', 'ß', 'İ', 'ǅ', 'ABC', 'don', 't', 'BestDay',
  'न', '्', 'ि', 'नमस्ते', 'த', 'ு', 'தமிழ்', 'ગુ', 'ی', 'می\u200Cخواهم', 'ال', '\u200C', '\u200D', '٣', '७',
  "'", '’', '#', '@', '!', '?', ':', ';', '=', ')', '(', '[', ']', '<', '>', '}', '{', '/', '\\', '-', '^', ',', '*', '$', '|', '_', '.', '&',
  ' ', '  ', '\n', '\t', '😀', '❤', '\uFE0F', '👍', '🏽', '❤️\u200D🔥', '©', '™', '#\uFE0F\u20E3', '\uD83D', '\uDE00', '𝐀', '𝟘', '𠀀', 'http://x.example/a', 'www.', 'https://', 'a.b@c.d', '@x.y', '"',
];

function randomTexts(count: number, seed: number): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 24) }, () => PIECES[Math.floor(next() * PIECES.length)]).join(''));
}

const runs = (text: string, scan = forEachWordRun) => {
  const found: string[] = [];
  scan(text, (run) => found.push(run));
  return found;
};

describe('word scanners', () => {
  it('classify every code point as the Unicode class does', () => {
    const differ: number[] = [];
    for (let point = 0; point <= 0x10ffff; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const text = String.fromCodePoint(point);
      const expected = CHAR.test(text) ? text.length : 0;
      if (wordCharAt(text, 0) !== expected) differ.push(point);
    }
    expect(differ).toEqual([]);
    // A lone surrogate is no word character, whichever half it is.
    expect([wordCharAt('\uD83D', 0), wordCharAt('\uDE00', 0), wordCharAt('a\uD83Db', 1)]).toEqual([0, 0, 0]);
  });

  it('cut the same words as the expressions they replace, on 30,000 hostile mixtures', () => {
    const tokenise = createTokeniser();
    const oracle = regexTokeniser();
    let words = 0;
    const differ = randomTexts(30_000, 7).filter((text) => {
      const tokens = tokenise(text);
      words += tokens.tokens.length;
      return (
        !isDeepStrictEqual(runs(text), text.match(RUN) ?? []) ||
        !isDeepStrictEqual(apostropheWords(text), text.match(APOSTROPHE_WORD) ?? []) ||
        !isDeepStrictEqual(tokens, oracle(text))
      );
    });
    // Compared in bulk (an expect per text was most of the test's time); a text that differs is
    // shown with what each side found.
    for (const text of differ.slice(0, 1)) {
      expect(runs(text), text).toEqual(text.match(RUN) ?? []);
      expect(apostropheWords(text), text).toEqual(text.match(APOSTROPHE_WORD) ?? []);
      expect(tokenise(text), text).toEqual(oracle(text));
    }
    expect(differ).toEqual([]);
    expect(words).toBeGreaterThan(100_000);
  });

  it('cut words apart from an emoji’s selector and keycap mark as the expression says, on 30,000 hostile mixtures', () => {
    const differ = randomTexts(30_000, 11).filter((text) => !isDeepStrictEqual(runs(text, forEachWordRunApartFromEmoji), text.match(RUN_APART_FROM_EMOJI) ?? []));
    for (const text of differ.slice(0, 1)) expect(runs(text, forEachWordRunApartFromEmoji), text).toEqual(text.match(RUN_APART_FROM_EMOJI) ?? []);
    expect(differ).toEqual([]);
    expect(runs('I ❤️acme, 1️⃣globex ☎︎x 🙂\u0301b', forEachWordRunApartFromEmoji)).toEqual(['I', 'acme', '1', 'globex', 'x', '\u0301b']);
  });

  it('find emoticons, emoji, hashtags and punctuation as the one expression did', () => {
    const text = "Love it :) <3 but not (item 8) xD #BestDayEver #grr ❤️‍🔥👍🏽 don’t!! ok? http://example.com :-( 8)";
    const tokens = createTokeniser()(text);
    expect(tokens).toEqual(regexTokeniser()(text));
    // An emoji's presentation selector and skin tone are dropped from its norm (model 1.6.6: ❤️ is ❤, 👍🏽 is 👍).
    expect(tokens.tokens.filter((t) => t.kind === TokenKind.Symbol).map((t) => t.norm)).toEqual([':)', '<3', '❤\u200D🔥', '👍', ':-(']);
    expect([tokens.exclamations, tokens.questions]).toEqual([2, 1]);
  });
});
