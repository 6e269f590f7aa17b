import { WORD_CHAR } from '../text/tokens.js';

export const enum TokenKind { Word, Hashtag, Symbol }

export interface Token {
  /** Lowercase form used for lookups; for a hashtag, the tag body without '#'. */
  readonly norm: string;
  readonly kind: TokenKind;
  /** The word was written in capitals (two letters or more) in a text that is not all capitals. */
  caps: boolean;
}

export interface Tokenised {
  tokens: Token[];
  exclamations: number;
  questions: number;
}

// Apostrophes inside a word keep English contractions ("don't") and French elisions whole; a
// word is a run of WORD_CHAR, so combining marks and ZWJ/ZWNJ never split a grapheme cluster.
const WORD = String.raw`[${WORD_CHAR}]+(?:['’][${WORD_CHAR}]+)*`;
const PICTOGRAPH = String.raw`\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*`;

// Good enough to tell a lowercase word from a caseless one (digits, Devanagari) cheaply.
function isAsciiLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

const CAMEL_BOUNDARY = /(?<=\p{Ll})(?=\p{Lu})/u;

// Western emoticons: optional hat/brow, eyes, optional tear or nose, a mouth of one or two
// characters; the reversed forms ("(:", "(-:"), and hearts ("<3", "</3"). A candidate only
// becomes a sentiment token if the language's lexicon lists it.
const EMOTICON = String.raw`(?=[>}\]O0:;=)(\[<xX])(?<![\p{L}\p{N}])(?:[>}\]O0]?[:;=][',\-^o]?[)(\][DdPpOo/\\|*3}{@$SsCcXx<>]{1,2}|[)(\][][\-^']?[:;=]|<\/?3+|[xX][Dd])(?![\p{L}\p{N}])`;

/**
 * The tokeniser: words (never cut inside a grapheme cluster), hashtags, emoji, emoticons, and
 * counts of '!' and '?'. An emoticon must not touch a letter or digit on either side, so
 * "http://" or "8)" inside "(item 8)" stay out.
 */
export function createTokeniser(): (text: string) => Tokenised {
  // Words first: they are most tokens, and "xD" reads the same as a word (the lexicon lists "xd").
  const pattern = new RegExp(String.raw`(${WORD})|#(${WORD})|${EMOTICON}|${PICTOGRAPH}|[!?]`, 'gu');

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
        // "#BestDayEver" already says where its words end; only an all-lowercase tag needs segmenting.
        const camel = tag.split(CAMEL_BOUNDARY);
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
      } else if (isAsciiLower(word.charCodeAt(0))) {
        lowercaseSeen = true;
      }
      tokens.push({ norm: lower.includes('’') ? lower.replaceAll('’', "'") : lower, kind: TokenKind.Word, caps });
    }
    // Capitals only stand out against lowercase: a text written entirely in capitals emphasises nothing.
    if (capsWords > 0 && !lowercaseSeen) for (const t of tokens) t.caps = false;
    return { tokens, exclamations, questions };
  };
}
