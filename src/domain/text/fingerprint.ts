import { setImmediate as yieldToLoop } from 'node:timers/promises';
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

/** Folding a long text takes ~50 µs: a window of 50,000 would hold the event loop for seconds. */
const YIELD_EVERY = 500;

/**
 * The first of each text's copies in `items`, in their order (the newest, in the newest-first
 * order windows are read in); `onCopy(kept, copy)` sees each later copy, to take what it adds. A
 * text with nothing left but links and handles stands for itself. The one rule trending keywords,
 * the word cloud and the SWOT's themes count copies by; yields to the event loop as it goes.
 */
export async function firstOfEachText<T>(
  items: readonly T[],
  textOf: (item: T) => { title?: string | null | undefined; text?: string | null | undefined },
  onCopy?: (kept: T, copy: T) => void,
): Promise<T[]> {
  const kept = new Map<string, T>();
  const out: T[] = [];
  for (const [i, item] of items.entries()) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    const { title, text } = textOf(item);
    const print = textFingerprint(title, text);
    const held = print ? kept.get(print) : undefined;
    if (held === undefined) {
      if (print) kept.set(print, item);
      out.push(item);
    } else {
      onCopy?.(held, item);
    }
  }
  return out;
}
