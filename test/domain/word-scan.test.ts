import { describe, expect, it } from 'vitest';
import { createTokeniser, TokenKind, type Token, type Tokenised } from '../../src/domain/sentiment/sentiment.tokens.js';
import { WORD_CHAR } from '../../src/domain/text/tokens.js';
import { apostropheWords, forEachWordRun, wordCharAt } from '../../src/domain/text/word-scan.js';

// The scanners replace regular expressions on the hottest path of ingestion; they must answer
// exactly what those expressions answered, on every character and on hostile mixtures.

const CHAR = new RegExp(`^[${WORD_CHAR}]$`, 'u');
const RUN = new RegExp(`[${WORD_CHAR}]+`, 'gu');
const WORD = String.raw`[${WORD_CHAR}]+(?:['’][${WORD_CHAR}]+)*`;
const APOSTROPHE_WORD = new RegExp(WORD, 'gu');

/** The tokeniser as it was written with one regular expression: the oracle for the scanner. */
function regexTokeniser(): (text: string) => Tokenised {
  const emoticon = String.raw`(?=[>}\]O0:;=)(\[<xX])(?<![\p{L}\p{N}])(?:[>}\]O0]?[:;=][',\-^o]?[)(\][DdPpOo/\\|*3}{@$SsCcXx<>]{1,2}|[)(\][][\-^']?[:;=]|<\/?3+|[xX][Dd])(?![\p{L}\p{N}])`;
  const pictograph = String.raw`\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*`;
  const pattern = new RegExp(String.raw`(${WORD})|#(${WORD})|${emoticon}|${pictograph}|[!?]`, 'gu');
  const camelBoundary = /(?<=\p{Ll})(?=\p{Lu})/u;
  return (text) => {
    const source = text.normalize('NFC');
    const tokens: Token[] = [];
    let exclamations = 0;
    let questions = 0;
    let capsWords = 0;
    let lowercaseSeen = false;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(source); m; m = pattern.exec(source)) {
      const [raw, word, tag] = m;
      if (raw === '!') { exclamations++; continue; }
      if (raw === '?') { questions++; continue; }
      if (tag !== undefined) {
        const camel = tag.split(camelBoundary);
        if (camel.length > 1) for (const part of camel) tokens.push({ norm: part.toLowerCase(), kind: TokenKind.Word, caps: false });
        else tokens.push({ norm: tag.toLowerCase(), kind: TokenKind.Hashtag, caps: false });
        continue;
      }
      if (word === undefined) {
        tokens.push({ norm: raw.toLowerCase(), kind: TokenKind.Symbol, caps: false });
        continue;
      }
      const lower = word.toLowerCase();
      let caps = false;
      if (lower !== word) {
        caps = word.length > 1 && word === word.toUpperCase();
        if (caps) capsWords++;
        else lowercaseSeen = true;
      } else {
        const code = word.charCodeAt(0);
        if (code >= 97 && code <= 122) lowercaseSeen = true;
      }
      tokens.push({ norm: lower.includes('’') ? lower.replaceAll('’', "'") : lower, kind: TokenKind.Word, caps });
    }
    if (capsWords > 0 && !lowercaseSeen) for (const t of tokens) t.caps = false;
    return { tokens, exclamations, questions };
  };
}

// Pieces that sit on every boundary the expressions decide: scripts, marks, joiners, apostrophes,
// emoticon parts, emoji with selectors and modifiers, astral letters and digits, lone surrogates.
const PIECES = [
  'a', 'Z', 'x', 'X', 'O', 'o', '0', '3', '8', 'D', 'P', 'p', 'S', 'é', 'e\u0301', 'Škoda', 'ß', 'İ', 'ǅ', 'ABC', 'don', 't', 'BestDay',
  'न', '्', 'ि', 'नमस्ते', 'த', 'ு', 'தமிழ்', 'ગુ', 'ی', 'می\u200Cخواهم', 'ال', '\u200C', '\u200D', '٣', '७',
  "'", '’', '#', '@', '!', '?', ':', ';', '=', ')', '(', '[', ']', '<', '>', '}', '{', '/', '\\', '-', '^', ',', '*', '$', '|', '_', '.', '&',
  ' ', '  ', '\n', '\t', '😀', '❤', '\uFE0F', '👍', '🏽', '❤️\u200D🔥', '©', '™', '#\uFE0F\u20E3', '\uD83D', '\uDE00', '𝐀', '𝟘', '𠀀', 'http://x.example/a',
];

function randomTexts(count: number, seed: number): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 24) }, () => PIECES[Math.floor(next() * PIECES.length)]).join(''));
}

const runs = (text: string) => {
  const found: string[] = [];
  forEachWordRun(text, (run) => found.push(run));
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
    for (const text of randomTexts(30_000, 7)) {
      expect(runs(text), text).toEqual(text.match(RUN) ?? []);
      expect(apostropheWords(text), text).toEqual(text.match(APOSTROPHE_WORD) ?? []);
      const tokens = tokenise(text);
      expect(tokens, text).toEqual(oracle(text));
      words += tokens.tokens.length;
    }
    expect(words).toBeGreaterThan(100_000);
  });

  it('find emoticons, emoji, hashtags and punctuation as the one expression did', () => {
    const text = "Love it :) <3 but not (item 8) xD #BestDayEver #grr ❤️‍🔥👍🏽 don’t!! ok? http://example.com :-( 8)";
    const tokens = createTokeniser()(text);
    expect(tokens).toEqual(regexTokeniser()(text));
    expect(tokens.tokens.filter((t) => t.kind === TokenKind.Symbol).map((t) => t.norm)).toEqual([':)', '<3', '❤️\u200D🔥', '👍🏽', ':-(']);
    expect([tokens.exclamations, tokens.questions]).toEqual([2, 1]);
  });
});
