// When each attempt of a delivery is made: attempt 1 at once, then after these waits. Eight
// attempts over about 28 hours ride out a receiver's overnight outage; jitter keeps endpoints
// that failed together from being retried in lockstep.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The wait before attempts 2…8. */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Each wait is scaled by a factor drawn uniformly from [1 − JITTER, 1 + JITTER]. */
export const RETRY_JITTER = 0.15;

/**
 * The wait in milliseconds before the attempt after `attempt` (1-based, the one that just
 * failed), or null when that was the last. `random` returns values in [0, 1).
 */
export function nextAttemptDelay(attempt: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined || !Number.isInteger(attempt) || attempt < 1) return null;
  return Math.round(base * (1 + RETRY_JITTER * (2 * random() - 1)));
}
