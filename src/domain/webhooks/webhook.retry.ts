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

/**
 * A delivery attempt that failed and is to be made again. `attempt` is its number in the
 * deliveries log, which a job queued anew by a redelivery sweep goes on counting from: the wait
 * before the next attempt is the schedule's after that attempt, not after the job's own count,
 * which starts over, and would turn a delivery backing off for hours into attempts seconds apart.
 */
export class DeliveryRetry extends Error {
  constructor(
    message: string,
    readonly attempt: number,
  ) {
    super(message);
    this.name = 'DeliveryRetry';
  }
}

/** The schedule as a queue's backoff: the wait after the logged attempt a DeliveryRetry names, else after the job's `attemptsMade`. */
export function retryBackoff(attemptsMade: number, err?: unknown): number {
  return nextAttemptDelay(err instanceof DeliveryRetry ? err.attempt : attemptsMade) ?? 0;
}

/**
 * How long a delivery queued anew waits for its next attempt: the schedule's delay after the last
 * attempt logged (`attempts` of them, the last made at `lastAttemptAt`), counted from that attempt,
 * less what has passed since; 0 when none is logged or the attempt is due; null once the schedule
 * is spent.
 */
export function delayFromLog({
  attempts,
  lastAttemptAt,
  now,
  random = Math.random,
}: {
  attempts: number;
  lastAttemptAt: Date | null;
  now: Date;
  random?: () => number;
}): number | null {
  if (attempts < 1 || lastAttemptAt === null) return 0;
  const wait = nextAttemptDelay(attempts, random);
  return wait === null ? null : Math.max(0, lastAttemptAt.getTime() + wait - now.getTime());
}
