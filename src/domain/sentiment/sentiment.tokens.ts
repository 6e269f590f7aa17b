import { apostropheWordEnd, charLengthAt } from '../text/word-scan.js';

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

// A word is `[WORD_CHAR]+(?:['’][WORD_CHAR]+)*`: apostrophes inside keep English contractions
// ("don't") and French elisions whole, and combining marks and ZWJ/ZWNJ never split a grapheme cluster.
const PICTOGRAPH = String.raw`\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*`;

// Good enough to tell a lowercase word from a caseless one (digits, Devanagari) cheaply.
function isAsciiLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

const CAMEL_BOUNDARY = /(?<=\p{Ll})(?=\p{Lu})/u;

// Western emoticons: optional hat/brow, eyes, optional tear or nose, a mouth of one or two
// characters; the reversed forms ("(:", "(-:"), and hearts ("<3", "</3"). A candidate only
// becomes a sentiment token if the language's lexicon lists it.
const EMOTICON_START = new Set([...'>}]O0:;=)([<xX'].map((c) => c.charCodeAt(0)));
const EMOTICON = String.raw`(?=[>}\]O0:;=)(\[<xX])(?<![\p{L}\p{N}])(?:[>}\]O0]?[:;=][',\-^o]?[)(\][DdPpOo/\\|*3}{@$SsCcXx<>]{1,2}|[)(\][][\-^']?[:;=]|<\/?3+|[xX][Dd])(?![\p{L}\p{N}])`;

/**
 * The tokeniser: words (never cut inside a grapheme cluster), hashtags, emoji, emoticons, and
 * counts of '!' and '?'. An emoticon must not touch a letter or digit on either side, so
 * "http://" or "8)" inside "(item 8)" stay out.
 *
 * It reads as the pattern `(WORD)|#(WORD)|EMOTICON|PICTOGRAPH|[!?]` (flags gu) would, alternatives
 * tried in that order at each position; words and hashtags, most of any text, are cut by the
 * table-driven scanners of `word-scan.ts` instead of the regular expression.
 */
export function createTokeniser(): (text: string) => Tokenised {
  // Sticky: tried at one position only, where the scanner stands.
  const emoticon = new RegExp(EMOTICON, 'uy');
  const pictograph = new RegExp(PICTOGRAPH, 'uy');
  const matchAt = (pattern: RegExp, text: string, i: number): string | null => {
    pattern.lastIndex = i;
    return pattern.exec(text)?.[0] ?? null;
  };

  return (text) => {
    const source = text.normalize('NFC');
    const tokens: Token[] = [];
    let exclamations = 0;
    let questions = 0;
    let capsWords = 0;
    let lowercaseSeen = false;
    for (let i = 0; i < source.length; ) {
      // Words first: they are most tokens, and "xD" reads the same as a word (the lexicon lists "xd").
      const wordEnd = apostropheWordEnd(source, i);
      if (wordEnd > i) {
        const word = source.slice(i, wordEnd);
        i = wordEnd;
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
        continue;
      }
      const code = source.charCodeAt(i);
      if (code === 0x23) {
        const tagEnd = apostropheWordEnd(source, i + 1);
        if (tagEnd > i + 1) {
          const tag = source.slice(i + 1, tagEnd);
          i = tagEnd;
          // "#BestDayEver" already says where its words end; only an all-lowercase tag needs segmenting.
          const camel = tag.split(CAMEL_BOUNDARY);
          if (camel.length > 1) for (const part of camel) tokens.push({ norm: part.toLowerCase(), kind: TokenKind.Word, caps: false });
          else tokens.push({ norm: tag.toLowerCase(), kind: TokenKind.Hashtag, caps: false });
          continue;
        }
      }
      // No ASCII character starts a pictograph; only these start an emoticon.
      const symbol = EMOTICON_START.has(code) ? matchAt(emoticon, source, i) : code >= 0x80 ? matchAt(pictograph, source, i) : null;
      if (symbol !== null) {
        tokens.push({ norm: symbol.toLowerCase(), kind: TokenKind.Symbol, caps: false });
        i += symbol.length;
        continue;
      }
      if (code === 0x21) exclamations++;
      else if (code === 0x3f) questions++;
      i += charLengthAt(source, i);
    }
    // Capitals only stand out against lowercase: a text written entirely in capitals emphasises nothing.
    if (capsWords > 0 && !lowercaseSeen) for (const t of tokens) t.caps = false;
    return { tokens, exclamations, questions };
  };
}
