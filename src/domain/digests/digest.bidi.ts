import { chunkLongWords, cleanText, escapeHtml } from './digest.escape.js';

/**
 * The digest's sentences are templates in the digest's language (src/domain/i18n) with
 * user-supplied names, themes and terms inside. A Persian or Hebrew name must not turn an English
 * sentence right to left, nor a Latin name a Persian one left to right, nor drag the numbers and
 * punctuation around it into its own run: each user-supplied piece is isolated from the sentence.
 */

/**
 * A piece of a template sentence; `user` marks a name, theme or term that came from a user or a
 * mention. `rtl` marks a mention's words in a right-to-left language (digest.format.ts
 * mentionDirection), laid out right to left whatever their first letter.
 */
export interface Piece { text: string; user?: boolean; rtl?: boolean }

export const user = (text: string, dir?: 'rtl' | null): Piece => ({ text: cleanText(text), user: true, ...(dir === 'rtl' ? { rtl: true } : {}) });
export const fixed = (text: string): Piece => ({ text });

// A message of the catalogue is one string, with the user's values placed where the language puts
// them; a value marked before it goes in is found again as a piece of its own. The marks are
// noncharacters (U+FDD0–U+FDD2), which no text exchanged between programs holds: any in a value
// are dropped with its other controls.
const OPEN = '\uFDD0';
const CLOSE = '\uFDD1';
const OPEN_RTL = '\uFDD2';
const MARKS = /[\uFDD0-\uFDD2]/gu;
const MARKED = /([\uFDD0\uFDD2])([^\uFDD0-\uFDD2]*)\uFDD1/gu;

/** A user's value to put in a message, marked to become a user piece again (markedPieces). */
export const mark = (text: string, dir?: 'rtl' | null) => `${dir === 'rtl' ? OPEN_RTL : OPEN}${cleanText(text).replace(MARKS, '')}${CLOSE}`;

/** A message made with marked values, as pieces: the marked values user pieces, the rest fixed. */
export function markedPieces(message: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const match of message.matchAll(MARKED)) {
    if (match.index > at) pieces.push(fixed(message.slice(at, match.index)));
    pieces.push({ text: match[2]!, user: true, ...(match[1] === OPEN_RTL ? { rtl: true } : {}) });
    at = match.index + match[0].length;
  }
  if (at < message.length) pieces.push(fixed(message.slice(at)));
  return pieces.map((p) => (p.user ? p : { ...p, text: p.text.replace(MARKS, '') }));
}

/** The text of a marked message, the marks taken out (a subject line, a heading). */
export const unmarked = (message: string) => message.replace(MARKS, '');

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Pieces cut to at most `max` grapheme clusters in all, with an ellipsis where cut (excerpt's rule, for a sentence in pieces). */
export function cutPieces(pieces: readonly Piece[], max: number): Piece[] {
  const out: Piece[] = [];
  let left = max;
  for (const piece of pieces) {
    const clusters = [...graphemes.segment(piece.text)].map((s) => s.segment);
    if (clusters.length <= left) {
      out.push(piece);
      left -= clusters.length;
      continue;
    }
    out.push({ ...piece, text: `${clusters.slice(0, left).join('').trimEnd()}…` });
    return out;
  }
  return out;
}

const FSI = '\u2068';
const RLI = '\u2067';
const PDI = '\u2069';
const LRM = '\u200E';
const RLM = '\u200F';

// Strong right-to-left characters (Bidi_Class R and AL): Hebrew, Arabic, Syriac, Thaana, NKo,
// Samaritan, Mandaic and their presentation forms, the supplementary RTL scripts, and RLM.
const RTL = /[\u0590-\u08FF\u200F\uFB1D-\uFDFF\uFE70-\uFEFE\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
const STRONG = /[\p{L}\p{Mc}\u200E\u200F]/u;

export const hasRtl = (text: string) => RTL.test(text);

/** Whether a text holds a strong left-to-right character: a letter of any script but the right-to-left ones. */
function hasLtr(text: string): boolean {
  for (const c of text) if (STRONG.test(c) && !RTL.test(c)) return true;
  return false;
}

/** The direction of the first strong character, as HTML's dir="auto" and plain-text clients guess a paragraph's. */
function firstStrong(text: string): 'ltr' | 'rtl' | null {
  for (const c of text) {
    if (RTL.test(c)) return 'rtl';
    if (STRONG.test(c)) return 'ltr';
  }
  return null;
}

const WORD = /[\p{L}\p{M}\p{N}]/u;

/**
 * Splits a sentence made elsewhere (a SWOT summary or reason: English with the names and theme
 * already in it) into template and user pieces, by finding the quoted theme and the brand names
 * as whole words. A name that happens to equal an English word gets isolated needlessly, which
 * changes nothing for left-to-right text; a name not found stays as it was.
 */
export function findNames(sentence: string, { names, theme }: { names: readonly string[]; theme?: string }): Piece[] {
  const text = cleanText(sentence);
  const needles = [...new Set(names.map(cleanText).filter(Boolean))].sort((a, b) => b.length - a.length);
  const quoted = theme ? `"${cleanText(theme)}"` : null;
  const pieces: Piece[] = [];
  let plain = '';
  const flush = () => {
    if (plain) pieces.push(fixed(plain));
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    if (quoted && quoted.length > 2 && text.startsWith(quoted, i)) {
      plain += '"';
      flush();
      pieces.push({ text: quoted.slice(1, -1), user: true });
      plain = '"';
      i += quoted.length;
      continue;
    }
    const atWordStart = i === 0 || !WORD.test(text[i - 1]!);
    const name = atWordStart ? needles.find((n) => text.startsWith(n, i) && !WORD.test(text[i + n.length] ?? '')) : undefined;
    if (name) {
      flush();
      pieces.push({ text: name, user: true });
      i += name.length;
      continue;
    }
    plain += text[i];
    i += 1;
  }
  flush();
  return pieces;
}

/** HTML: every user piece in <bdi>, which isolates it and takes its direction from its own text (or is right to left, for `rtl`). */
export function htmlPieces(pieces: readonly Piece[]): string {
  const html = (text: string) => chunkLongWords(text).map((chunks) => chunks.map(escapeHtml).join('<wbr>')).join(' ');
  return pieces.map((p) => (p.user ? `<bdi${p.rtl ? ' dir="rtl"' : ''}>${html(p.text)}</bdi>` : html(p.text))).join('');
}

/**
 * Plain text and Markdown have no markup for direction, so Unicode's own marks stand in for
 * dir="ltr" and <bdi>, but only where a piece holds right-to-left text (in a left-to-right
 * language; in Persian, `dir` rtl, the same holds the other way round: marks where a piece holds
 * left-to-right text, and an RLM before a line that would otherwise start left to right):
 * - FSI…PDI around such a piece keeps it one unit (RLI…PDI for a mention in a right-to-left
 *   language, which FSI would lay out left to right when it starts with a Latin brand name), so a list of two Persian names is not read
 *   backwards and the numbers after a name are not pulled into its run.
 * - An LRM before a line that would otherwise start (first strong character) right to left:
 *   clients that follow the Unicode algorithm (P2) skip isolates when guessing a paragraph's
 *   direction, but HTML's dir="auto" (which Markdown renderers and webmail put on paragraphs and
 *   list items) does not, and sees the Persian name first; the LRM is a strong left-to-right
 *   character that both see.
 * The marks are invisible, but they travel with a copied name and can defeat a search for it, and
 * older renderers may show them as boxes; left-to-right names gain nothing from them, so a digest
 * without right-to-left text is left exactly as it was. In a Markdown table a cell holds only one
 * name or term, whose own direction is right, so cells get no marks.
 */
export function plainPieces(pieces: readonly Piece[], escape: (text: string) => string = (t) => t, dir: 'ltr' | 'rtl' = 'ltr'): string {
  const raw = pieces.map((p) => p.text).join('');
  const foreign = dir === 'rtl' ? hasLtr : hasRtl;
  const body = pieces.map((p) => (p.user && foreign(p.text) ? `${p.rtl ? RLI : FSI}${escape(p.text)}${PDI}` : escape(p.text))).join('');
  if (dir === 'rtl') return raw && firstStrong(raw) !== 'rtl' ? `${RLM}${body}` : body;
  return firstStrong(raw) === 'rtl' ? `${LRM}${body}` : body;
}

const LETTER = /[\p{L}\p{M}]/u;

/**
 * A plain-text header (the e-mail subject): marked as plainPieces marks a line, but with LRM and
 * RLM alone, never isolates. A header has no markup to fall back on, and mail clients older than
 * Unicode 6.3's isolates (or without them in their fonts) show FSI and PDI as boxes, while the
 * marks, in Unicode since 1.1, are drawn invisibly by old and new clients alike. A name holding text of the other direction
 * is followed by the subject's own mark, which ends its run: the colon and dates after it ("Kavárny
 * Praha‏: ۲۰۲۶/۱۱/۹") keep the subject's direction instead of joining the name's (a Persian digit
 * after a Latin letter counts as left to right). An edge of the name that is not a letter (a quote,
 * a final ".") gets the name's own mark so it stays with the name. Names of the subject's direction,
 * the usual case, get no mark at all. Unlike an isolate, marks cannot give a name that mixes both
 * directions a paragraph of its own: its words stay in their logical order.
 */
export function plainHeader(pieces: readonly Piece[], dir: 'ltr' | 'rtl'): string {
  const raw = pieces.map((p) => p.text).join('');
  const foreign = dir === 'rtl' ? hasLtr : hasRtl;
  const markOf = (d: 'ltr' | 'rtl' | null) => (d === 'rtl' ? RLM : LRM);
  const own = markOf(dir);
  const body = pieces.map(({ text, user: isUser }) => {
    if (!isUser || !foreign(text)) return text;
    const chars = [...text];
    const starts = LETTER.test(chars[0]!) ? '' : markOf(firstStrong(text));
    const ends = LETTER.test(chars[chars.length - 1]!) ? '' : markOf(firstStrong(chars.reverse().join('')));
    return `${starts}${text}${ends}${own}`;
  }).join('');
  const opensAgainst = dir === 'rtl' ? raw !== '' && firstStrong(raw) !== 'rtl' : firstStrong(raw) === 'rtl';
  return opensAgainst ? `${own}${body}` : body;
}

/**
 * A line of a right-to-left digest that holds no user piece (a heading, a note), marked as
 * plainPieces marks one: it starts with an RLM when its first strong character would make it
 * left to right. Unchanged in a left-to-right digest.
 */
export const plainLine = (text: string, dir: 'ltr' | 'rtl') => (dir === 'rtl' && text && firstStrong(text) !== 'rtl' ? `${RLM}${text}` : text);
