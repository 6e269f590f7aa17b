import { WORD_CHAR, dropSoftHyphens, foldCase } from './tokens.js';

/*
 * What two copies of one post share. Feeds repeat a text under new ids (copy-paste campaigns,
 * cross-posts, bots, a demo republishing its samples); the copies differ in the links and handles
 * they carry, in case and in spacing, rarely in anything else. Hashtags stay: `#oatmilk` is words.
 */
const URL = /(?:https?:\/\/|www\.)\S+/giu;
// `@user` or Mastodon's `@user@instance.tld`, or the full-width ＠; a word character before it is an e-mail address.
const HANDLE = new RegExp(String.raw`(?<![${WORD_CHAR}_])[@\uFF20][${WORD_CHAR}_]+(?:[.\-@][${WORD_CHAR}_]+)*`, 'gu');
const SPACE = /\s+/gu;

/**
 * The key under which copies of one text count once: title and text, NFC, case-folded, without
 * URLs, @handles and soft hyphens, whitespace collapsed. A text with nothing left (only links)
 * gives ''.
 */
export function textFingerprint(title: string | null | undefined, text: string | null | undefined): string {
  let folded = foldCase(dropSoftHyphens(`${title ?? ''}\n${text ?? ''}`));
  // Most posts hold no link or handle: one scan for the marker instead of a regex at every position.
  if (folded.includes('http') || folded.includes('www.')) folded = folded.replace(URL, ' ');
  if (folded.includes('@') || folded.includes('\uFF20')) folded = folded.replace(HANDLE, ' ');
  return folded.replace(SPACE, ' ').trim();
}
