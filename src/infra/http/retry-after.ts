const DELAY_SECONDS = /^\d+$/;
// Every HTTP-date form names a day and month; this keeps "1.5" from parsing as the year 2001.
const HAS_LETTER = /[a-z]/i;
// asctime() dates carry no zone but are GMT by definition; Date.parse would read them as local.
const HAS_ZONE = /\b(GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}\b/i;
/** Longer than any schedule waits; it keeps absurd values (400 digits) finite in messages. */
export const MAX_WAIT_MS = 365 * 86_400_000;

/**
 * Retry-After as a delay in milliseconds from `now`: delta-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). A date in the past means "now" (0), a delay past a year is a year;
 * anything unreadable is null.
 */
export function parseRetryAfter(header: string | null, now: Date): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (DELAY_SECONDS.test(value)) return Math.min(Number(value) * 1000, MAX_WAIT_MS);
  if (!HAS_LETTER.test(value)) return null;
  const at = Date.parse(HAS_ZONE.test(value) ? value : `${value} GMT`);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now.getTime()), MAX_WAIT_MS);
}
