import { apostropheWordEnd, charLengthAt, wordCharAt } from '../text/word-scan.js';

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
  /**
   * The word goes on after a hyphen ("non-stop", "e-mail", "česko-slovenský"): the next token is
   * the rest of it. Set, like clauseEnd, only when the tokeniser was asked for clauses.
   */
  joinsNext: boolean;
}

export interface Tokenised {
  tokens: Token[];
  exclamations: number;
  questions: number;
}

const EMOJI_VARIANT = /[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu;
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

// Links and e-mail addresses are no words of the post: "http://evil.example" or "bad.reviews@acme.com"
// says nothing of what the post thinks. A URL (a scheme or "www.") runs to a space, a quote or an
// angle bracket, less the punctuation that ends it; an address is the usual local@domain.tld,
// tried only where a run of the characters of its local part begins: tried inside one too, a long
// run without an @ ("a.a.a.…") took time growing with its square.
const LINK = String.raw`(?<![\p{L}\p{N}])(?:(?:https?|ftp):\/\/|www\.)(?:[^\s"'<>]*[^\s"'<>.,;:!?)\]}])?|(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+`;
/** Whether a text may hold a link or an address: a scheme, "www." or an @ after an address's character (an @handle is no address). */
export const LINK_HINT = /:\/\/|www\.|[\p{L}\p{N}._%+\-]@/iu;

/** The pieces of the tokeniser's pattern, for anything that must find tokens exactly as it does. */
export const TOKEN_PARTS = { emoticon: EMOTICON, pictograph: PICTOGRAPH, link: LINK } as const;

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
    this.tokens.push({ norm: lower.includes('’') ? lower.replaceAll('’', "'") : lower, kind: TokenKind.Word, caps, clauseEnd: ClauseEnd.None, joinsNext: false });
  }

  /** A hashtag's body, without '#'. */
  hashtag(tag: string): void {
    // "#BestDayEver" already says where its words end; only an all-lowercase tag needs segmenting.
    const camel = tag.split(CAMEL_BOUNDARY);
    if (camel.length > 1) for (const part of camel) this.tokens.push({ norm: part.toLowerCase(), kind: TokenKind.Word, caps: false, clauseEnd: ClauseEnd.None, joinsNext: false });
    else this.tokens.push({ norm: tag.toLowerCase(), kind: TokenKind.Hashtag, caps: false, clauseEnd: ClauseEnd.None, joinsNext: false });
  }

  /** An emoticon or an emoji sequence; an emoji's presentation selector and skin tone say nothing of its sense (❤️ is ❤, 👍🏽 is 👍). */
  symbol(symbol: string): void {
    this.tokens.push({ norm: symbol.replace(EMOJI_VARIANT, '').toLowerCase(), kind: TokenKind.Symbol, caps: false, clauseEnd: ClauseEnd.None, joinsNext: false });
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

  /** A hyphen inside a word: the last token and the next are parts of one word. */
  joinNext(): void {
    const last = this.tokens[this.tokens.length - 1];
    if (last) last.joinsNext = true;
  }

  finish(): Tokenised {
    // Capitals only stand out against lowercase: a text written entirely in capitals emphasises nothing.
    if (this.capsWords > 0 && !this.lowercaseSeen) for (const t of this.tokens) t.caps = false;
    return { tokens: this.tokens, exclamations: this.exclamations, questions: this.questions };
  }
}

// Marks that end a clause, and with it the reach of a negator or an intensifier: Latin
// punctuation, the Devanagari danda and double danda, the Arabic-script comma, semicolon, question
// mark and full stop, the ideographic comma and full stop, full-width forms, the ellipsis, the
// Spanish opening marks (a new sentence starts there), and line breaks (LF, CR, VT, FF, NEL and the
// Unicode line and paragraph separators): posts use a new line where prose would put a full stop
// ("Not bad\nTerrible support though"). Only the ASCII '!' and '?' count as emphasis, as before.
const CLAUSE_ENDS: ReadonlyMap<number, ClauseEnd> = new Map([
  ...[...',;:.!\u0964\u0965\u060C\u061B\u06D4\u3001\u3002\uFF0C\uFF1B\uFF1A\uFF0E\uFF01\u2026\u00A1\u00BF\n\r\v\f\u0085\u2028\u2029'].map((c): [number, ClauseEnd] => [c.charCodeAt(0), ClauseEnd.Break]),
  ...[...'?\u061F\uFF1F'].map((c): [number, ClauseEnd] => [c.charCodeAt(0), ClauseEnd.Question]),
]);

const enum Dash { Em, En, Hyphen }
// The em dash, horizontal bar, two- and three-em dashes and the small em dash; the en dash; the
// hyphen-minus, the Unicode hyphen and the non-breaking hyphen.
const DASHES: ReadonlyMap<number, Dash> = new Map([
  ...[0x2014, 0x2015, 0x2e3a, 0x2e3b, 0xfe58].map((code): [number, Dash] => [code, Dash.Em]),
  [0x2013, Dash.En],
  ...[0x2d, 0x2010, 0x2011].map((code): [number, Dash] => [code, Dash.Hyphen]),
]);
const SPACE = /\s/;

const spaceAt = (text: string, i: number): boolean => i < 0 || i >= text.length || SPACE.test(text[i]!);

/**
 * Whether a dash separates clauses, as a comma does. An em dash always does: "not great—awful" is
 * ordinary American typesetting. An en dash does unless it joins two words, where it is a range
 * or a link ("1990–2000", "Praha–Brno"). A hyphen does only with space on both sides ("not great
 * - awful") or doubled as a typed em dash ("--"), never inside a word ("e-mail", "non-stop") nor
 * hanging ("pre- and post-sale", "-5").
 */
function dashEndsClause(text: string, i: number, dash: Dash, joinsWords: boolean): boolean {
  if (dash === Dash.Em) return true;
  if (dash === Dash.En) return !joinsWords;
  if (DASHES.get(text.charCodeAt(i - 1)) === Dash.Hyphen || DASHES.get(text.charCodeAt(i + 1)) === Dash.Hyphen) return true;
  return spaceAt(text, i - 1) && spaceAt(text, i + 1);
}

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
 * Links and e-mail addresses (LINK) are cut out first: the text is read piece by piece between
 * them, as if each piece were a text of its own, so no token is found in a link or runs into one.
 *
 * With `clauses`, the last token before each mark of CLAUSE_ENDS or a dash between clauses also
 * gets `clauseEnd`, and a word cut by a hyphen inside it gets `joinsNext` on each part but its
 * last; the tokens and counts are the same either way, and the plain form stays comparable to
 * that pattern.
 */
export function createTokeniser({ clauses = false }: { clauses?: boolean } = {}): (text: string) => Tokenised {
  // Sticky: tried at one position only, where the scanner stands.
  const emoticon = new RegExp(EMOTICON, 'uy');
  const pictograph = new RegExp(PICTOGRAPH, 'uy');
  const matchAt = (pattern: RegExp, text: string, i: number): string | null => {
    pattern.lastIndex = i;
    return pattern.exec(text)?.[0] ?? null;
  };

  const links = new RegExp(LINK, 'giu');

  // One piece of a text: all of it, or what stands between two links.
  const scan = (source: string, found: TokenCollector): void => {
    // Where the last word or hashtag ended: a hyphen right there, with a word right after it, is inside a word.
    let wordEndedAt = -1;
    for (let i = 0; i < source.length; ) {
      // Words first: they are most tokens, and "xD" reads the same as a word (the lexicon lists "xd").
      const wordEnd = apostropheWordEnd(source, i);
      if (wordEnd > i) {
        found.word(source.slice(i, wordEnd));
        i = wordEndedAt = wordEnd;
        continue;
      }
      const code = source.charCodeAt(i);
      if (code === 0x23) {
        const tagEnd = apostropheWordEnd(source, i + 1);
        if (tagEnd > i + 1) {
          found.hashtag(source.slice(i + 1, tagEnd));
          i = wordEndedAt = tagEnd;
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
        else {
          const dash = DASHES.get(code);
          if (dash !== undefined) {
            const joinsWords = wordEndedAt === i && wordCharAt(source, i + 1) > 0;
            if (dashEndsClause(source, i, dash, joinsWords)) found.clauseEnd(ClauseEnd.Break);
            else if (joinsWords && dash === Dash.Hyphen) found.joinNext();
          }
        }
      }
      i += charLengthAt(source, i);
    }
  };

  return (text) => {
    const source = text.normalize('NFC');
    const found = new TokenCollector();
    // Most texts hold no link: one scan for its marks instead of the pattern at every position.
    if (!LINK_HINT.test(source)) scan(source, found);
    else {
      let at = 0;
      for (const link of source.matchAll(links)) {
        scan(source.slice(at, link.index), found);
        at = link.index + link[0].length;
      }
      scan(source.slice(at), found);
    }
    return found.finish();
  };
}
