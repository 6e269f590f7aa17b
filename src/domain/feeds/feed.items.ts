import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { htmlTitleToText, htmlToText, tidyPlainText } from '../text/html.js';
import { judgeDate, parseFeedDate } from '../text/dates.js';
import { dropSoftHyphens, extractHandles, extractHashtags, foldCase } from '../text/tokens.js';
import { FEED_LIMITS, type ParsedFeed, type ParsedFeedItem, type ParseFeedOptions } from './feed.types.js';

/** A title or body as the feed typed it: HTML to strip, or text that is already plain. */
export interface TextConstruct {
  value: string;
  kind: 'html' | 'text';
}

/** One item as a format parser read it, before anything is resolved, decoded or judged. */
export interface RawFeedItem {
  id: string | null;
  /** As written: may be relative. */
  link: string | null;
  /** A guid that is also the item's address (RSS `isPermaLink`), used when there is no link. */
  permalink: string | null;
  /** The item's own xml:base, as written. */
  base: string | null;
  title: TextConstruct | null;
  /** Candidates in order of preference (full content before summaries); the first non-empty wins. */
  bodies: TextConstruct[];
  author: string | null;
  /** Raw date strings in order of preference (published before updated). */
  dates: string[];
  categories: string[];
}

export interface RawFeed {
  title: TextConstruct | null;
  link: string | null;
  /** The author of items that name none. */
  author: string | null;
  /** The feed's xml:base chain, outermost first, as written. */
  bases: string[];
  items: RawFeedItem[];
}

// Yield to the event loop this often so a 16 MiB feed never holds it for long.
const SLICE_MS = 20;

/** Turns a format parser's raw items into the items Earshot stores. */
export async function finishFeed(raw: RawFeed, opts: ParseFeedOptions): Promise<ParsedFeed> {
  const feedBase = raw.bases.reduce<string>((base, ref) => resolveHttpUrl(ref, base) ?? base, opts.feedUrl);
  const link = raw.link === null ? null : resolveHttpUrl(raw.link, feedBase);
  // Relative item links are relative to the xml:base when there is one, else to the site.
  const itemBase = raw.bases.length > 0 ? feedBase : (link ?? feedBase);

  const seen = new Set<string>();
  const items = await mapInSlices(raw.items.slice(0, FEED_LIMITS.maxItems), (rawItem) => {
    const item = finishItem(rawItem.author === null ? { ...rawItem, author: raw.author } : rawItem, itemBase, opts.fetchedAt);
    if (!item || seen.has(item.itemKey)) return null;
    seen.add(item.itemKey);
    return item;
  });
  return { title: titleText(raw.title) || null, link, items };
}

/** Maps `fn` over `inputs`, dropping nulls, yielding to the event loop every few milliseconds. */
export async function mapInSlices<T, R>(inputs: readonly T[], fn: (input: T) => R | null): Promise<R[]> {
  const out: R[] = [];
  let sliceStart = performance.now();
  for (const input of inputs) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
    const result = fn(input);
    if (result !== null) out.push(result);
  }
  return out;
}

/** True when `started` (a performance.now()) is a slice ago: time to yield. */
export function sliceIsOver(started: number): boolean {
  return performance.now() - started > SLICE_MS;
}

function finishItem(raw: RawFeedItem, feedBase: string, fetchedAt: Date): ParsedFeedItem | null {
  const base = raw.base === null ? feedBase : (resolveHttpUrl(raw.base, feedBase) ?? feedBase);
  const url =
    (raw.link === null ? null : resolveHttpUrl(raw.link, base)) ??
    (raw.permalink === null ? null : resolveHttpUrl(raw.permalink, base));
  const title = titleText(raw.title) || null;
  let text = '';
  for (const body of raw.bodies) {
    text = toText(body);
    if (text !== '') break;
  }
  text = cut(text, FEED_LIMITS.maxTextChars);
  const id = raw.id?.trim() || null;
  if (!id && !url && !title && !text) return null;

  const rawDate = raw.dates.find((d) => d.trim() !== '') ?? '';
  const parsedDate = raw.dates.map(parseFeedDate).find((d) => d !== null) ?? null;
  const tokensFrom = title ? `${title}\n${text}` : text;
  return {
    // Hashed as read, soft hyphens and all, so an item without id or link keeps the key it had.
    itemKey: indexableKey(id || url || `sha256:${sha256(`${title ?? ''}\n${text}\n${rawDate.trim()}`)}`),
    url,
    // A soft hyphen (&shy;, which news sites put in long words) only says where a word may break:
    // stored, it would cut the word in two for whoever copies, searches or counts it.
    title: title === null ? null : dropSoftHyphens(title),
    text: dropSoftHyphens(text),
    author: authorName(raw.author),
    ...judgeDate(parsedDate, fetchedAt),
    hashtags: extractHashtags(tokensFrom),
    handles: extractHandles(tokensFrom),
    categories: uniqueCategories(raw.categories),
  };
}

// RSS 2.0's <author> is "address (Name)"; the name is what people search for.
function authorName(raw: string | null): string | null {
  const author = raw?.replace(/\s+/g, ' ').trim();
  if (!author) return null;
  return /^[^\s@()]+@[^\s@()]+ \((.+)\)$/.exec(author)?.[1]?.trim() || author;
}

function toText(construct: TextConstruct | null): string {
  if (!construct) return '';
  const value = cut(construct.value, FEED_LIMITS.maxHtmlChars);
  return construct.kind === 'html' ? htmlToText(value) : tidyPlainText(value);
}

/** A title read as HTML keeps what only looks like a tag: htmlTitleToText. */
function titleText(construct: TextConstruct | null): string {
  if (!construct) return '';
  const value = cut(construct.value, FEED_LIMITS.maxHtmlChars);
  return construct.kind === 'html' ? htmlTitleToText(value) : tidyPlainText(value);
}

/**
 * Item keys are unique-indexed, and an index entry holds at most ~2.7 KB: a megabyte-long guid,
 * or the 4 KB link that keys an item without one, is stored as its hash. Ingestion applies it to
 * every source's keys.
 */
export function indexableKey(key: string): string {
  return key.length <= 512 ? key : `sha256:${sha256(key)}`;
}

function uniqueCategories(raw: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const category of raw) {
    const name = category.replace(/\s+/g, ' ').trim();
    const folded = foldCase(name);
    if (name === '' || name.length > 200 || seen.has(folded)) continue;
    seen.add(folded);
    out.push(name);
    if (out.length === FEED_LIMITS.maxCategories) break;
  }
  return out;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** An absolute http(s) URL for `ref` against `base`, or null (javascript:, mailto:, garbage). */
export function resolveHttpUrl(ref: string, base: string): string | null {
  const trimmed = ref.trim();
  if (trimmed === '' || trimmed.length > 4096) return null;
  try {
    const url = new URL(trimmed, base);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}
