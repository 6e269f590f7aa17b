import { FEED_ERROR_CODES, FeedParseError, type FeedErrorCode } from '../../domain/feeds/feed.types.js';

/** What a thread posts once its module has loaded, before its warm-up (the pool's 'message' event). */
export const THREAD_LOADED = 'earshot:ingest-thread-loaded';

/**
 * What crosses back from a pool thread. A thrown error loses its class on the way (structured
 * clone keeps a plain Error), so failures travel as data and the caller throws them again as the
 * FeedParseError they were: the poll records those on the source instead of failing the job.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; code: string | null; message: string; stack: string | null } };

export async function toOutcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as { code?: unknown }).code;
    return { ok: false, error: { name: e.name, code: typeof code === 'string' ? code : null, message: e.message, stack: e.stack ?? null } };
  }
}

export function fromOutcome<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const { name, code, message, stack } = outcome.error;
  if (name === 'FeedParseError' && FEED_ERROR_CODES.includes(code as FeedErrorCode)) throw new FeedParseError(code as FeedErrorCode, message);
  const error = new Error(message);
  error.name = name;
  if (stack) error.stack = stack;
  throw error;
}
