/**
 * What counts as a word, a hashtag and a handle, for every script our users write in.
 * Letters and combining marks (Devanagari matras and viramas, Tamil vowel signs, Arabic
 * harakat) and the zero-width joiners (ZWNJ is part of Persian and Hindi spelling) belong
 * inside a word, so a word is never cut inside a grapheme cluster.
 */
export const WORD_CHAR = String.raw`\p{L}\p{M}\p{N}\u200C\u200D`;

/*
 * The emoji presentation selectors (U+FE0E text style, U+FE0F emoji style) and the keycap mark
 * (U+20E3) are combining marks to Unicode, but they belong to the emoji before them (❤️ ✔️ ☕️ 1️⃣),
 * never to a word: read as a space, `I ❤️acme`, `☕️#acme` and `✔️@acme` keep their word, tag and
 * handle. Skin-tone modifiers and the symbols of a ZWJ sequence are no word characters anyway, and
 * the ZWJ itself (a word character) is always followed by the next emoji.
 */
const EMOJI_MARK = /[\uFE0E\uFE0F\u20E3]/;
const EMOJI_MARKS = new RegExp(EMOJI_MARK.source, 'g');

/** `text` with each emoji presentation selector and keycap mark replaced by a space (the same length). */
export function separateEmojiMarks(text: string): string {
  return EMOJI_MARK.test(text) ? text.replace(EMOJI_MARKS, ' ') : text;
}

/*
 * A tag or handle starts with a letter, a digit or '_' (not a combining mark), after '#' or '@' or
 * their full-width forms ＃ and ＠ (Chinese and Japanese keyboards type those). The look-behinds keep
 * out what follows a word, a URL's path, query or fragment (`/#`, `?#`, `=#`, `)#`, `?q=@acme`). A
 * '.' may precede a handle: Twitter's `.@user` convention; a word character before '@' already keeps
 * e-mail addresses out. After ':' a tag is a tag (`TIL:#acme`), unless it is a CSS colour
 * (`color:#fff`, see isColour).
 */
const HASHTAG = new RegExp(String.raw`(?<![${WORD_CHAR}&/#\uFF03)?=])[#\uFF03]([\p{L}\p{N}_][${WORD_CHAR}_]*)`, 'gu');
// `@user` or Mastodon's `@user@instance.tld`.
const HANDLE = new RegExp(
  String.raw`(?<![${WORD_CHAR}_@\uFF20/)?=])[@\uFF20]([\p{L}\p{N}_][${WORD_CHAR}_]*(?:[.\-][${WORD_CHAR}_]+)*(?:@[${WORD_CHAR}\-]+(?:\.[${WORD_CHAR}\-]+)+)?)`,
  'gu',
);
const HEX_COLOUR = /^(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Case-folds a term the way every stored and queried term is folded: NFC, then lowercase. */
export function foldCase(term: string): string {
  return term.normalize('NFC').toLowerCase();
}

/*
 * What two spellings of one word share, for comparing only (never stored or shown):
 * - invisible characters that sit inside words and change nothing a reader sees: the soft hyphen
 *   (news sites put &shy; in long words), ZWNJ and ZWJ (Persian می‌خواهم is often typed
 *   میخواهم, Hindi half-forms) and the Arabic tatweel (ـ, a stretch, not a letter) go;
 * - Arabic and Persian letters that people type for one another (an Arabic keyboard gives ي and
 *   ك for ی and ک; ى and ي are interchanged at a word's end) become one letter;
 * - the Devanagari nukta goes: कॉफ़ी and कॉफी, ज़रूर and जरूर are one word to Hindi readers, and
 *   after NFC the nukta is always its own character (क़ U+0958 is क + U+093C);
 * - Arabic-Indic, Persian, Devanagari, Gujarati and Tamil digits become 0-9.
 */
const SEARCH_VARIANTS = /[\u00AD\u0640\u093C\u0643\u0649\u064A\u0660-\u0669\u06F0-\u06F9\u0966-\u096F\u0AE6-\u0AEF\u0BE6-\u0BEF\u200C\u200D]/;
const SEARCH_VARIANTS_ALL = new RegExp(SEARCH_VARIANTS.source, 'g');
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x0ae6, 0x0be6];

function searchVariant(ch: string): string {
  const code = ch.charCodeAt(0);
  switch (code) {
    case 0x0643:
      return '\u06A9'; // ک
    case 0x0649:
    case 0x064a:
      return '\u06CC'; // ی
    case 0x00ad:
    case 0x0640:
    case 0x093c:
    case 0x200c:
    case 0x200d:
      return '';
    default: {
      const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
      return zero === undefined ? ch : String.fromCharCode(0x30 + code - zero);
    }
  }
}

/** The form a folded string is compared in (see above); a string with none of those characters is returned as it is. */
export function searchForm(folded: string): string {
  return SEARCH_VARIANTS.test(folded) ? folded.replace(SEARCH_VARIANTS_ALL, searchVariant) : folded;
}

/** The soft hyphen is a line-breaking hint inside a word (HTML &shy;): the word is what is left without it. */
export function dropSoftHyphens(text: string): string {
  return text.includes('\u00AD') ? text.replaceAll('\u00AD', '') : text;
}

/*
 * Invisible characters that may stand inside a word without cutting it: the word joiner (U+2060)
 * and the zero-width no-break space (U+FEFF, a BOM when it opens a text), whose very job is to
 * not break, and the zero-width space (U+200B), which text copied from apps carries and which is
 * typed into a name to slip past filters. Only between two letters, marks or digits: elsewhere
 * (before a '#' or '@', beside a space) they change nothing, and are left. Thai, Lao, Khmer,
 * Myanmar, Chinese and Japanese are written without spaces, and there a zero-width space is where
 * a word ends: beside a letter of those scripts it stays.
 */
const INVISIBLE_IN_WORDS = /[\u200B\u2060\uFEFF]/;
const INVISIBLE_INSIDE = /(?<=[\p{L}\p{M}\p{N}])[\u200B\u2060\uFEFF]+(?=[\p{L}\p{M}\p{N}])/gu;
const UNSPACED = String.raw`\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}`;
const UNSPACED_BEFORE = new RegExp(String.raw`[${UNSPACED}]\p{M}*$`, 'u');
const UNSPACED_AFTER = new RegExp(String.raw`^[${UNSPACED}]`, 'u');

/** `text` without the invisible characters inside its words (above): `Kofo\u200Bla` is `Kofola`. */
export function dropInvisibleInWords(text: string): string {
  if (!INVISIBLE_IN_WORDS.test(text)) return text;
  return text.replace(INVISIBLE_INSIDE, (run: string, at: number) => {
    const breaks = run.includes('\u200B') && (UNSPACED_BEFORE.test(text.slice(Math.max(0, at - 8), at)) || UNSPACED_AFTER.test(text.slice(at + run.length, at + run.length + 2)));
    return breaks ? '\u200B' : '';
  });
}

function collect(
  pattern: RegExp,
  markers: readonly string[],
  text: string,
  skip?: (body: string, text: string, markerAt: number) => boolean,
): string[] {
  // The patterns open with a look-behind, which the regex engine must try at every position:
  // most texts carry no '#' or '@' at all, and that is one fast scan.
  if (!markers.some((marker) => text.includes(marker))) return [];
  const normalized = separateEmojiMarks(dropInvisibleInWords(dropSoftHyphens(text)).normalize('NFC'));
  const found = new Set<string>();
  for (const m of normalized.matchAll(pattern)) {
    let body = m[1]!;
    // A joiner belongs inside a word (Persian می‌خواهم), never at its end: `#ایران‌ و` is the tag ایران.
    let end = body.length;
    while (end > 0 && (body.charCodeAt(end - 1) === 0x200c || body.charCodeAt(end - 1) === 0x200d)) end--;
    if (end < body.length) body = body.slice(0, end);
    // A tag of digits only (#1, #2024) is a number, not a topic.
    if (!/[^\p{N}_]/u.test(body)) continue;
    if (skip?.(body, normalized, m.index)) continue;
    found.add(foldCase(body));
  }
  return [...found];
}

/**
 * A CSS colour, not a topic: 3, 6 or 8 hex digits with at least one digit (#ff6600, #0a0), or
 * hex letters right after ':' or ending a CSS declaration (`color:#fff`, `color: #fff;`). Words
 * spelt in hex letters (#bad, #face, #decade) stay tags.
 */
function isColour(body: string, text: string, markerAt: number): boolean {
  if (!HEX_COLOUR.test(body)) return false;
  const end = markerAt + 1 + body.length;
  return /\d/.test(body) || text.charCodeAt(markerAt - 1) === 0x3a || /^\s*[;}]/.test(text.slice(end, end + 8));
}

/** Hashtags in order of first appearance, lowercase, without '#', without duplicates. */
export function extractHashtags(text: string): string[] {
  return collect(HASHTAG, ['#', '\uFF03'], text, isColour);
}

/** Handles in order of first appearance, lowercase, without the leading '@'. */
export function extractHandles(text: string): string[] {
  return collect(HANDLE, ['@', '\uFF20'], text);
}
