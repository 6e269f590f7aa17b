import { z } from 'zod';
import type { JsonValue } from './connector.types.js';
import { FUTURE_TOLERANCE_MS } from '../domain/text/dates.js';

/**
 * The high-water mark of a source whose API lists newest first (Hacker News, Bluesky, Reddit).
 *
 * Each poll reads from the top down to `mark - lookback`, at most `maxPages` pages. When it gets
 * there the new mark is the newest position seen. When the page budget runs out first, what lies
 * between the mark and the oldest item read is still unread: the state keeps it as a `backlog`
 * (`upTo`, inclusive) and the next poll reads only that range before moving the mark to `top`,
 * so a burst larger than one poll's budget is caught up over several polls, without a gap.
 *
 * `lookback` re-reads a margin below the mark for APIs that index late (an item created at
 * 10:00 may appear at 10:02); `seen` remembers the keys read in that margin so they are not
 * returned twice. Positions are numbers: milliseconds since the epoch. The margin is read last,
 * newest first, with what the page budget leaves: new items come first, and a margin larger than
 * the budget is re-read only in its newer part (where late items are likeliest) rather than
 * holding the mark back; and once past the mark, the first page with nothing new ends the re-read.
 *
 * A first poll that reads nothing still records a mark (`start`, the poll time): the next poll
 * then reads everything above it. Without one it would be a first poll again, which reads only
 * the newest pages, and lose whatever was published in between beyond them.
 *
 * `backlog.next` is the `next` of the last page read: an API whose cursors stay valid between
 * polls (Reddit's `after=<fullname>`) resumes the backlog there, one that pages by offset
 * filters by `upTo` instead. When the page after that anchor is empty (Reddit's answer once the
 * post it names is removed), the backlog is read again from the top, filtered by `upTo`.
 */
export const WindowState = z.object({
  mark: z.number().nullable(),
  seen: z.array(z.object({ key: z.string(), at: z.number() })),
  backlog: z.object({ upTo: z.number(), top: z.number(), next: z.string().nullable().default(null) }).nullable(),
});
export type WindowState = z.infer<typeof WindowState>;

/** Keys remembered for the look-back margin; beyond it a repeat is harmless (ingestion deduplicates). */
export const MAX_SEEN = 1_000;

export interface WindowEntry<T> {
  key: string;
  at: number;
  item: T;
}

export interface WindowPage<T> {
  entries: WindowEntry<T>[];
  /** Entries the API listed, valid or not: a page of odd entries is not the end of the listing. */
  listed: number;
  /** How to ask for the next (older) page; null at the end of the listing. */
  next: string | null;
}

/** The highest believable time position at `now`, for `scanNewestFirst`'s `ceiling`: as far ahead as `judgeDate` believes a date. */
export function timeCeiling(now: Date): number {
  return now.getTime() + FUTURE_TOLERANCE_MS;
}

export interface WindowRequest {
  /** Lowest position still wanted (inclusive), or null on a first poll. */
  from: number | null;
  /** Highest position wanted (inclusive) while a backlog is read, else null. */
  upTo: number | null;
  /** The previous page's `next`, null for the first page. */
  next: string | null;
  /** On the first page of a backlog: the previous poll's last `next` (see `WindowState`), else null. */
  resume: string | null;
}

export async function scanNewestFirst<T>(options: {
  state: WindowState | null;
  lookback: number;
  maxPages: number;
  /**
   * Positions above this are not believed: such an item is still returned, but one post dated
   * 2100 (or an id out of range) must not carry the mark past everything that comes after it.
   */
  ceiling: number;
  /** The mark of a first poll that reads nothing: the poll time. */
  start: number;
  fetchPage: (request: WindowRequest) => Promise<WindowPage<T>>;
}): Promise<{ items: T[]; state: WindowState & JsonValue }> {
  const state = options.state ?? { mark: null, seen: [], backlog: null };
  const from = state.mark === null ? null : state.mark - options.lookback;
  const upTo = state.backlog?.upTo ?? null;
  const resume = state.backlog?.next ?? null;
  const seenKeys = new Set(state.seen.map((s) => s.key));
  const read: WindowEntry<T>[] = [];
  let complete = false;
  // Whether everything above the old mark has been read: what is left is only the margin's re-read.
  let pastMark = false;
  let next: string | null = null;
  let anchor = resume;
  for (let pages = 0; pages < options.maxPages && !complete; pages++) {
    const result = await options.fetchPage({ from, upTo, next, resume: next === null ? anchor : null });
    let newOnPage = false;
    for (const entry of result.entries) {
      // Servers filter by these bounds already; checking again costs nothing and guards against one that does not.
      if (from !== null && entry.at < from) complete = true;
      else if (upTo === null || entry.at <= upTo) {
        read.push(entry);
        if (!seenKeys.has(entry.key)) newOnPage = true;
      }
      if (state.mark !== null && entry.at < state.mark) pastMark = true;
    }
    if (result.listed === 0 && next === null && anchor !== null) {
      // Nothing after the backlog's anchor: the thing it names was removed since (Reddit then lists
      // nothing after it), not the end of the listing. Read again from the top, `upTo` filtering;
      // the empty answer costs no page of the budget.
      anchor = null;
      pages--;
      continue;
    }
    next = result.next;
    if (next === null || result.listed === 0) complete = true;
    // Past the mark, a page of the margin that brings nothing new ends the poll: late items sit
    // just below the mark, where this page read, and the margin below a burst is not read again
    // page after page for nothing.
    if (pastMark && !newOnPage) complete = true;
  }
  // A margin denser than the page budget must not hold the mark back (every other poll would then
  // re-read only the margin): once past the old mark, what the budget left of it goes unread.
  if (pastMark) complete = true;

  const fresh = new Map<string, WindowEntry<T>>();
  for (const entry of read) if (!seenKeys.has(entry.key) && !fresh.has(entry.key)) fresh.set(entry.key, entry);
  const positions = read.map((e) => e.at).filter((at) => at <= options.ceiling);
  const top = Math.max(state.backlog?.top ?? -Infinity, state.mark ?? -Infinity, ...positions);
  const remembered = [...state.seen, ...[...fresh.values()].map(({ key, at }) => ({ key, at }))];

  let nextState: WindowState;
  if (complete || state.mark === null) {
    // Caught up; a first poll that ran out of pages does not dig into history either.
    const mark = Number.isFinite(top) ? top : options.start;
    const floor = mark - options.lookback;
    nextState = { mark, seen: newest(remembered.filter((s) => s.at >= floor)), backlog: null };
  } else {
    const oldest = Math.min(...positions, upTo ?? Infinity);
    const floor = state.mark - options.lookback;
    const mark = state.mark;
    // Keep what the next polls re-read: the margin below the old mark, the backlog's boundary,
    // and the margin below `top`, where reading resumes once the backlog is done.
    const keep = remembered.filter((s) => (s.at >= floor && s.at <= mark) || s.at === oldest || s.at >= top - options.lookback);
    nextState = { mark: state.mark, seen: newest(keep), backlog: { upTo: oldest, top, next } };
  }
  return { items: [...fresh.values()].map((e) => e.item), state: nextState as WindowState & JsonValue };
}

function newest(seen: WindowState['seen']): WindowState['seen'] {
  return seen.sort((a, b) => b.at - a.at).slice(0, MAX_SEEN);
}
