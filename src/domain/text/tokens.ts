/**
 * What counts as a word, a hashtag and a handle, for every script our users write in.
 * Letters and combining marks (Devanagari matras and viramas, Tamil vowel signs, Arabic
 * harakat) and the zero-width joiners (ZWNJ is part of Persian and Hindi spelling) belong
 * inside a word, so a word is never cut inside a grapheme cluster.
 */
export const WORD_CHAR = String.raw`\p{L}\p{M}\p{N}\u200C\u200D`;

const HASHTAG = new RegExp(String.raw`(?<![${WORD_CHAR}&/#])#([${WORD_CHAR}_]+)`, 'gu');
// `@user` or Mastodon's `@user@instance.tld`; the look-behind keeps e-mail addresses out.
const HANDLE = new RegExp(
  String.raw`(?<![${WORD_CHAR}_.@/])@([${WORD_CHAR}_]+(?:[.\-][${WORD_CHAR}_]+)*(?:@[${WORD_CHAR}\-]+(?:\.[${WORD_CHAR}\-]+)+)?)`,
  'gu',
);

/** Case-folds a term the way every stored and queried term is folded: NFC, then lowercase. */
export function foldCase(term: string): string {
  return term.normalize('NFC').toLowerCase();
}

function collect(pattern: RegExp, marker: string, text: string): string[] {
  // The patterns open with a look-behind, which the regex engine must try at every position:
  // most texts carry no '#' or '@' at all, and that is one fast scan.
  if (!text.includes(marker)) return [];
  const found = new Set<string>();
  for (const m of text.normalize('NFC').matchAll(pattern)) {
    const body = m[1];
    // A tag of digits only (#1, #2024) is a number, not a topic.
    if (body && /[^\p{N}_]/u.test(body)) found.add(foldCase(body));
  }
  return [...found];
}

/** Hashtags in order of first appearance, lowercase, without '#', without duplicates. */
export function extractHashtags(text: string): string[] {
  return collect(HASHTAG, '#', text);
}

/** Handles in order of first appearance, lowercase, without the leading '@'. */
export function extractHandles(text: string): string[] {
  return collect(HANDLE, '@', text);
}
