/**
 * Dates as feeds really write them. We parse them ourselves instead of trusting `Date.parse`,
 * which accepts nonsense ("1" is the year 2001) and reads zone-less strings in local time.
 */

export type DateQuality = 'exact' | 'unknown' | 'clamped';

/** Nothing a feed says happened before this is believed (the web had few feeds before 1995). */
export const EARLIEST_BELIEVABLE_DATE = new Date(Date.UTC(1995, 0, 1));
/** Clocks and time zones are often wrong by hours; beyond a day ahead of the fetch is absurd. */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

// Offsets in minutes. RFC 822's zones plus the abbreviations feeds actually emit; IST is read as
// India (the common case in feeds), BST as British Summer Time.
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, ist: 330, west: 60, cet: 60, met: 60, cest: 120, mest: 120,
  eet: 120, eest: 180, msk: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360,
  pst: -480, pdt: -420, akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  jst: 540, kst: 540, hkt: 480, sgt: 480, awst: 480, acst: 570, acdt: 630, aest: 600, aedt: 660,
  nzst: 720, nzdt: 780,
};

const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[a-z]{2,5})?$/i;
/*
 * A time of day: "17:30", "17:30:00.123", the European "17.30" and "17.30.00" (one separator
 * throughout), with an optional 12-hour "PM". The look-ahead keeps "AMT" a zone, not "AM" + "T".
 * What comes between the date and the time: a space, a comma, " - " or "@".
 */
const TIME = String.raw`(?<h>\d{1,2})(?<sep>[:.])(?<mi>\d{2})(?:\k<sep>(?<s>\d{2})(?:[.,]\d+)?)?(?:\s*(?<ampm>[ap])\.?m\.?(?![a-z]))?`;
const BEFORE_TIME = String.raw`(?:\s*[,@]\s*|\s+-\s+|\s+)`;
// [Day,] DD Mon YY[YY] [time] [zone]; the day name may be long, localised ("Út"), wrong or missing.
const RFC822 = new RegExp(
  String.raw`^(?:[^\d\s,.]+\.?(?:,\s*|\s+))?(?<d>\d{1,2})[\s-]+(?<mon>[a-z]{3,9})\.?[\s-]+(?<y>\d{4}|\d{2})(?!\d)(?:${BEFORE_TIME}${TIME})?\s*(?<zone>.*)$`,
  'i',
);
// JavaScript's Date#toString and its cousins: "Sun Nov 22 2026 10:00:00 GMT+0000", "Nov 22, 2026 10:00 PM".
const MONTH_FIRST = new RegExp(
  String.raw`^(?:[a-z]+(?:,\s*|\s+))?(?<mon>[a-z]{3,9})\.?\s+(?<d>\d{1,2}),?\s+(?<y>\d{4})(?!\d)(?:${BEFORE_TIME}${TIME})?\s*(?<zone>.*)$`,
  'i',
);
// C's asctime ("Sun Nov 22 10:00:00 2026", GMT by HTTP's rules) and date(1) ("… 10:00:00 UTC 2026").
const YEAR_LAST = new RegExp(String.raw`^(?:[a-z]+,?\s+)?(?<mon>[a-z]{3,9})\.?\s+(?<d>\d{1,2})\s+${TIME}(?:\s+(?<zone>[^\s\d]\S*))?\s+(?<y>\d{4})$`, 'i');

/** Parses a feed's date string; null when it is not a date we can read unambiguously. */
export function parseFeedDate(raw: string | null | undefined): Date | null {
  if (typeof raw !== 'string') return null;
  // Trailing comments such as "(UTC)" or "(Coordinated Universal Time)" carry nothing we need.
  const s = raw.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (s === '' || s.length > 100) return null;

  const iso = ISO.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso;
    const ms = frac ? Math.round(Number(`0.${frac.slice(0, 6)}`) * 1000) : 0;
    return build({ year: Number(y), month: Number(mo), day: Number(d), hour: num(h), minute: num(mi), second: num(sec), ms, offset: zoneOffset(zone ?? 'Z') });
  }
  const parts = (RFC822.exec(s) ?? MONTH_FIRST.exec(s) ?? YEAR_LAST.exec(s))?.groups;
  return parts ? fromParts(parts) : null;
}

function fromParts(p: Partial<Record<'d' | 'mon' | 'y' | 'h' | 'mi' | 's' | 'ampm' | 'zone', string>>): Date | null {
  const month = MONTHS[(p.mon ?? '').toLowerCase().slice(0, 3)];
  const longName = (p.mon ?? '').toLowerCase();
  // Accept "Nov", "Nov." and "November" but not "Novxyz".
  if (!month || (longName.length > 3 && !FULL_MONTHS[month - 1]!.startsWith(longName))) return null;
  let year = Number(p.y);
  // RFC 2822 §4.3: two-digit years 00–49 are 20xx, 50–99 are 19xx.
  if ((p.y ?? '').length === 2) year += year < 50 ? 2000 : 1900;
  let hour = num(p.h);
  if (p.ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (p.ampm.toLowerCase() === 'p' ? 12 : 0);
  }
  const offset = zoneOffset((p.zone ?? '').trim() || 'Z');
  return build({ year, month, day: Number(p.d), hour, minute: num(p.mi), second: num(p.s), ms: 0, offset });
}

const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function num(v: string | undefined): number {
  return v === undefined ? 0 : Number(v);
}

/*
 * A zone, all of what follows the time: a name ("CET"), an offset ("+0100", "-05:00"; "+01" as
 * ISO 8601 allows), GMT or UTC with an offset ("GMT+2", "UTC-05:00"), or an offset and a name
 * together ("-0500 EST", "CEST +0200"). Anything else (a time we could not read, "EST5EDT",
 * "Europe/Paris") makes the date unreadable rather than wrong.
 */
const OFFSET = String.raw`([+-])(\d{2})(?::?(\d{2}))?`;
const BARE_OFFSET = new RegExp(String.raw`^${OFFSET}$`);
const GMT_OFFSET = /^(?:gmt|utc|ut) ?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const OFFSET_NAME = new RegExp(String.raw`^${OFFSET} ([a-z]{1,5})$`, 'i');
const NAME_OFFSET = new RegExp(String.raw`^([a-z]{1,5}) ${OFFSET}$`, 'i');

/** Minutes east of UTC, or undefined when the zone is not one we know. */
function zoneOffset(zone: string): number | undefined {
  if (/^[a-z]{1,5}$/i.test(zone)) return namedOffset(zone);
  let numeric: readonly (string | undefined)[] | null = BARE_OFFSET.exec(zone) ?? GMT_OFFSET.exec(zone);
  if (!numeric) {
    // The numeric part wins over the name ("+0000 GMT"), but the name must be a zone too.
    const withName = OFFSET_NAME.exec(zone);
    const nameFirst = withName ? null : NAME_OFFSET.exec(zone);
    const name = withName?.[4] ?? nameFirst?.[1];
    if (name === undefined || namedOffset(name) === undefined) return undefined;
    numeric = withName ?? nameFirst!.slice(1);
  }
  const [, sign, h, m] = numeric;
  const minutes = Number(h) * 60 + Number(m ?? 0);
  if (Number(m ?? 0) > 59 || minutes > 14 * 60) return undefined;
  return sign === '-' ? -minutes : minutes;
}

function namedOffset(name: string): number | undefined {
  const key = name.toLowerCase();
  if (Object.hasOwn(ZONES, key)) return ZONES[key];
  // RFC 2822 §4.3: single-letter military zones are unreliable and are read as UTC.
  if (/^[a-ik-z]$/.test(key)) return 0;
  return undefined;
}

function build(p: { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number; offset: number | undefined }): Date | null {
  if (p.offset === undefined) return null;
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.hour > 24 || p.minute > 59 || p.second > 60) return null;
  if (p.hour === 24 && (p.minute > 0 || p.second > 0)) return null;
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  if (p.day > daysInMonth) return null;
  // A leap second is read as the last second of its minute.
  const t = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, Math.min(p.second, 59), p.ms) - p.offset * 60_000;
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Decides what we store for a parsed date. Unknown stays unknown (the pipeline buckets it by
 * fetch time) and is never replaced by "now"; an absurd date is clamped into
 * [1995-01-01, fetchedAt] and marked so.
 */
export function judgeDate(date: Date | null, fetchedAt: Date): { publishedAt: Date | null; dateQuality: DateQuality } {
  if (!date) return { publishedAt: null, dateQuality: 'unknown' };
  if (date.getTime() < EARLIEST_BELIEVABLE_DATE.getTime()) {
    return { publishedAt: new Date(EARLIEST_BELIEVABLE_DATE), dateQuality: 'clamped' };
  }
  if (date.getTime() > fetchedAt.getTime() + FUTURE_TOLERANCE_MS) {
    return { publishedAt: new Date(fetchedAt), dateQuality: 'clamped' };
  }
  return { publishedAt: date, dateQuality: 'exact' };
}
