/**
 * What counts as a word, a hashtag and a handle, for every script our users write in.
 * Letters and combining marks (Devanagari matras and viramas, Tamil vowel signs, Arabic
 * harakat) and the zero-width joiners (ZWNJ is part of Persian and Hindi spelling) belong
 * inside a word, so a word is never cut inside a grapheme cluster.
 */
export const WORD_CHAR = String.raw`\p{L}\p{M}\p{N}\u200C\u200D`;

/*
 * A tag or handle starts with a letter, a digit or '_' (not a combining mark, so the keycap
 * emoji #️⃣ is no tag). The look-behinds keep out what follows a word, a URL's path, query or
 * fragment (`/#`, `?#`, `=#`, `)#`, `?q=@acme`) and, for tags, CSS's `color:#fff`. A '.' may
 * precede a handle: Twitter's `.@user` convention; a word character before '@' already keeps
 * e-mail addresses out.
 */
const HASHTAG = new RegExp(String.raw`(?<![${WORD_CHAR}&/#)?=:])#([\p{L}\p{N}_][${WORD_CHAR}_]*)`, 'gu');
// `@user` or Mastodon's `@user@instance.tld`.
const HANDLE = new RegExp(
  String.raw`(?<![${WORD_CHAR}_@/)?=])@([\p{L}\p{N}_][${WORD_CHAR}_]*(?:[.\-][${WORD_CHAR}_]+)*(?:@[${WORD_CHAR}\-]+(?:\.[${WORD_CHAR}\-]+)+)?)`,
  'gu',
);
const HEX_COLOUR = /^(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Case-folds a term the way every stored and queried term is folded: NFC, then lowercase. */
export function foldCase(term: string): string {
  return term.normalize('NFC').toLowerCase();
}

function collect(pattern: RegExp, marker: string, text: string, skip?: (body: string, text: string, end: number) => boolean): string[] {
  // The patterns open with a look-behind, which the regex engine must try at every position:
  // most texts carry no '#' or '@' at all, and that is one fast scan.
  if (!text.includes(marker)) return [];
  const normalized = text.normalize('NFC');
  const found = new Set<string>();
  for (const m of normalized.matchAll(pattern)) {
    let body = m[1]!;
    // A joiner belongs inside a word (Persian می‌خواهم), never at its end: `#ایران‌ و` is the tag ایران.
    let end = body.length;
    while (end > 0 && (body.charCodeAt(end - 1) === 0x200c || body.charCodeAt(end - 1) === 0x200d)) end--;
    if (end < body.length) body = body.slice(0, end);
    // A tag of digits only (#1, #2024) is a number, not a topic.
    if (!/[^\p{N}_]/u.test(body)) continue;
    if (skip?.(body, normalized, m.index + 1 + body.length)) continue;
    found.add(foldCase(body));
  }
  return [...found];
}

/**
 * A CSS colour, not a topic: 3, 6 or 8 hex digits with at least one digit (#ff6600, #0a0), or
 * hex letters that end a CSS declaration (`color: #fff;`). Words spelt in hex letters (#bad,
 * #face, #decade) stay tags.
 */
function isColour(body: string, text: string, end: number): boolean {
  return HEX_COLOUR.test(body) && (/\d/.test(body) || /^\s*[;}]/.test(text.slice(end, end + 8)));
}

/** Hashtags in order of first appearance, lowercase, without '#', without duplicates. */
export function extractHashtags(text: string): string[] {
  return collect(HASHTAG, '#', text, isColour);
}

/** Handles in order of first appearance, lowercase, without the leading '@'. */
export function extractHandles(text: string): string[] {
  return collect(HANDLE, '@', text);
}
