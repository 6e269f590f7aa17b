import { apostropheWordEnd, charLengthAt } from '../text/word-scan.js';

export const enum TokenKind { Word, Hashtag, Symbol }

/** What closes the clause a token ends: a question is the only kind the engine tells apart. */
export const enum ClauseEnd { None = 0, Break = 1, Question = 2 }

export interface Token {
  /** Lowercase form used for lookups; for a hashtag, the tag body without '#'. */
  readonly norm: string;
  readonly kind: TokenKind;
  /** The word was written in capitals (two letters or more) in a text that is not all capitals. */
  caps: boolean;
  /**
   * Set on the last token before clause punctuation, when the tokeniser was asked for clauses.
   * Every token has the field, so the engine's code sees one object shape.
   */
  clauseEnd: ClauseEnd;
}

export interface Tokenised {
  tokens: Token[];
  exclamations: number;
  questions: number;
}

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

/** The pieces of the tokeniser's pattern, for anything that must find tokens exactly as it does. */
export const TOKEN_PARTS = { emoticon: EMOTICON, pictograph: PICTOGRAPH } as const;

/**
 * Turns what a scan of one text finds, in order, into its tokens. Whether a word counts as
 * written in capitals depends on the whole text, so `finish` settles it.
 */
export class TokenCollector {
  private readonly tokens: Token[] = [];
  private exclamations = 0;
  private questions = 0;
  private capsWords = 0;
  private lowercaseSeen = false;

  /** A word with inner apostrophes (`don't`, `l’appli`), as written. */
  word(word: string): void {
    const lower = word.toLowerCase();
    let caps = false;
    if (lower !== word) {
      caps = word.length > 1 && word === word.toUpperCase();
      if (caps) this.capsWords++;
      else this.lowercaseSeen = true;
    } else if (isAsciiLower(word.charCodeAt(0))) {
      this.lowercaseSeen = true;
    }
    this.tokens.push({ norm: lower.includes('’') ? lower.replaceAll('’', "'") : lower, kind: TokenKind.Word, caps, clauseEnd: ClauseEnd.None });
  }

  /** A hashtag's body, without '#'. */
  hashtag(tag: string): void {
    // "#BestDayEver" already says where its words end; only an all-lowercase tag needs segmenting.
    const camel = tag.split(CAMEL_BOUNDARY);
    if (camel.length > 1) for (const part of camel) this.tokens.push({ norm: part.toLowerCase(), kind: TokenKind.Word, caps: false, clauseEnd: ClauseEnd.None });
    else this.tokens.push({ norm: tag.toLowerCase(), kind: TokenKind.Hashtag, caps: false, clauseEnd: ClauseEnd.None });
  }

  /** An emoticon or an emoji sequence. */
  symbol(symbol: string): void {
    this.tokens.push({ norm: symbol.toLowerCase(), kind: TokenKind.Symbol, caps: false, clauseEnd: ClauseEnd.None });
  }

  exclamation(): void {
    this.exclamations++;
  }

  question(): void {
    this.questions++;
  }

  /** Punctuation that closes a clause; "?!" and "!?" still close a question. */
  clauseEnd(end: ClauseEnd): void {
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.clauseEnd < end) last.clauseEnd = end;
  }

  finish(): Tokenised {
    // Capitals only stand out against lowercase: a text written entirely in capitals emphasises nothing.
    if (this.capsWords > 0 && !this.lowercaseSeen) for (const t of this.tokens) t.caps = false;
    return { tokens: this.tokens, exclamations: this.exclamations, questions: this.questions };
  }
}

// Marks that end a clause, and with it a negator's reach: Latin punctuation, the Devanagari danda
// and double danda, the Arabic-script comma, semicolon, question mark and full stop, the
// ideographic comma and full stop, full-width forms, the ellipsis, and the Spanish opening marks
// (a new sentence starts there). Only the ASCII '!' and '?' count as emphasis, as before.
const CLAUSE_ENDS: ReadonlyMap<number, ClauseEnd> = new Map([
  ...[...',;:.!\u0964\u0965\u060C\u061B\u06D4\u3001\u3002\uFF0C\uFF1B\uFF1A\uFF0E\uFF01\u2026\u00A1\u00BF'].map((c): [number, ClauseEnd] => [c.charCodeAt(0), ClauseEnd.Break]),
  ...[...'?\u061F\uFF1F'].map((c): [number, ClauseEnd] => [c.charCodeAt(0), ClauseEnd.Question]),
]);

/**
 * The tokeniser: words (never cut inside a grapheme cluster), hashtags, emoji, emoticons, and
 * counts of '!' and '?'. An emoticon must not touch a letter or digit on either side, so
 * "http://" or "8)" inside "(item 8)" stay out.
 *
 * It finds what the pattern `(WORD)|#(WORD)|EMOTICON|PICTOGRAPH|[!?]` (flags gu) would, alternatives
 * tried in that order at each position, where a WORD is `[WORD_CHAR]+(?:['’][WORD_CHAR]+)*`:
 * apostrophes inside keep English contractions ("don't") and French elisions whole, and combining
 * marks and ZWJ/ZWNJ never split a grapheme cluster. Words and hashtags, most of any text, are cut
 * by the table-driven scanners of `word-scan.ts` instead of the regular expression.
 *
 * With `clauses`, the last token before each mark of CLAUSE_ENDS also gets `clauseEnd`; the
 * tokens and counts are the same either way, and the plain form stays comparable to that pattern.
 */
export function createTokeniser({ clauses = false }: { clauses?: boolean } = {}): (text: string) => Tokenised {
  // Sticky: tried at one position only, where the scanner stands.
  const emoticon = new RegExp(EMOTICON, 'uy');
  const pictograph = new RegExp(PICTOGRAPH, 'uy');
  const matchAt = (pattern: RegExp, text: string, i: number): string | null => {
    pattern.lastIndex = i;
    return pattern.exec(text)?.[0] ?? null;
  };

  return (text) => {
    const source = text.normalize('NFC');
    const found = new TokenCollector();
    for (let i = 0; i < source.length; ) {
      // Words first: they are most tokens, and "xD" reads the same as a word (the lexicon lists "xd").
      const wordEnd = apostropheWordEnd(source, i);
      if (wordEnd > i) {
        found.word(source.slice(i, wordEnd));
        i = wordEnd;
        continue;
      }
      const code = source.charCodeAt(i);
      if (code === 0x23) {
        const tagEnd = apostropheWordEnd(source, i + 1);
        if (tagEnd > i + 1) {
          found.hashtag(source.slice(i + 1, tagEnd));
          i = tagEnd;
          continue;
        }
      }
      // No ASCII character starts a pictograph; only these start an emoticon.
      const symbol = EMOTICON_START.has(code) ? matchAt(emoticon, source, i) : code >= 0x80 ? matchAt(pictograph, source, i) : null;
      if (symbol !== null) {
        found.symbol(symbol);
        i += symbol.length;
        continue;
      }
      if (code === 0x21) found.exclamation();
      else if (code === 0x3f) found.question();
      if (clauses) {
        const end = CLAUSE_ENDS.get(code);
        if (end !== undefined) found.clauseEnd(end);
      }
      i += charLengthAt(source, i);
    }
    return found.finish();
  };
}
