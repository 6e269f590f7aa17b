/**
 * When a source is polled next. Pure, so the rules are tested without clocks:
 * - after success: the interval, ±10 % jitter so sources created together drift apart;
 * - after failure: exponential backoff from one minute, doubling per consecutive failure, and
 *   never sooner than the interval, both capped at six hours (so a failing daily or weekly
 *   source is retried within six hours), with ±20 % jitter;
 * - an upstream Retry-After is honoured when it asks for longer (capped at one day).
 */
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 6 * 3600_000;
export const RETRY_AFTER_MAX_MS = 24 * 3600_000;
/** RETRY_AFTER_MAX_MS as said in a source's lastError. */
export const RETRY_AFTER_MAX_TEXT = '1 day';

const jitter = (ms: number, spread: number, random: () => number) => Math.round(ms * (1 - spread + 2 * spread * random()));

export function nextPollAfterSuccess({ intervalSeconds, now, random = Math.random }: { intervalSeconds: number; now: Date; random?: () => number }): Date {
  return new Date(now.getTime() + jitter(intervalSeconds * 1000, 0.1, random));
}

export function nextPollAfterFailure({
  intervalSeconds,
  consecutiveFailures,
  retryAfterMs,
  now,
  random = Math.random,
}: {
  intervalSeconds: number;
  /** Including the failure just recorded (1 after the first). */
  consecutiveFailures: number;
  retryAfterMs?: number | null;
  now: Date;
  random?: () => number;
}): Date {
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, consecutiveFailures - 1));
  const backoff = jitter(Math.max(exponential, Math.min(intervalSeconds * 1000, BACKOFF_MAX_MS)), 0.2, random);
  const asked = upstreamWaitUntil({ retryAfterMs, now });
  return new Date(Math.max(now.getTime() + backoff, asked?.getTime() ?? 0));
}

/**
 * The end of the wait the upstream asked for (Retry-After, a rate-limit reset) as applied, capped
 * at one day; null when it asked for none. The next poll is never sooner, and "poll now" is
 * refused until then (Earshot's own backoff never refuses it).
 */
export function upstreamWaitUntil({ retryAfterMs, now }: { retryAfterMs?: number | null; now: Date }): Date | null {
  if (retryAfterMs == null || retryAfterMs <= 0) return null;
  return new Date(now.getTime() + Math.min(retryAfterMs, RETRY_AFTER_MAX_MS));
}
