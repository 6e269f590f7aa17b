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

const CAMEL_BOUNDARY = /(?<=\p{Ll})(?=\p{Lu})/u;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Builds a tokeniser that also recognises the given emoticons (":)", "<3"). An emoticon must not
 * touch a letter or digit on either side, so "http://" or "8)" inside "(item 8)" stay out.
 */
export function createTokeniser(emoticons: Iterable<string>): (text: string) => Tokenised {
  // Lexicons store emoticons lowercase; ":D" and ":P" are written in capitals.
  const variants = new Set([...emoticons].flatMap((e) => [e, e.toUpperCase()]));
  const sorted = [...variants].sort((a, b) => b.length - a.length).map(escape);
  const emoticon = sorted.length ? String.raw`(?<![\p{L}\p{N}])(?:${sorted.join('|')})(?![\p{L}\p{N}])|` : '';
  const pattern = new RegExp(String.raw`${emoticon}#(${WORD})|(${WORD})|${PICTOGRAPH}|[!?]`, 'gu');

  return (text) => {
    const source = text.normalize('NFC');
    const tokens: Token[] = [];
    let exclamations = 0;
    let questions = 0;
    let capsWords = 0;
    let casedWords = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(source); m; m = pattern.exec(source)) {
      const [raw, tag, word] = m;
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
        casedWords++;
        caps = word.length > 1 && word === word.toUpperCase();
        if (caps) capsWords++;
      } else if (word !== word.toUpperCase()) {
        casedWords++;
      }
      tokens.push({ norm: lower.includes('’') ? lower.replaceAll('’', "'") : lower, kind: TokenKind.Word, caps });
    }
    // Capitals only stand out against lowercase: a text written entirely in capitals emphasises nothing.
    if (capsWords === 0 || capsWords === casedWords) for (const t of tokens) t.caps = false;
    return { tokens, exclamations, questions };
  };
}
