const DELAY_SECONDS = /^\d+$/;
// Every HTTP-date form names a day and month; this keeps "1.5" from parsing as the year 2001.
const HAS_LETTER = /[a-z]/i;
// asctime() dates carry no zone but are GMT by definition; Date.parse would read them as local.
const HAS_ZONE = /\b(GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}\b/i;

/**
 * Retry-After as a delay in milliseconds from `now`: delta-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). A date in the past means "now" (0); anything unreadable is null.
 */
export function parseRetryAfter(header: string | null, now: Date): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (DELAY_SECONDS.test(value)) return Number(value) * 1000;
  if (!HAS_LETTER.test(value)) return null;
  const at = Date.parse(HAS_ZONE.test(value) ? value : `${value} GMT`);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
