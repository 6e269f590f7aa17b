import { netSentiment } from './net-sentiment.js';
import { AppError } from '../errors.js';
import { isUuid } from '../pagination/cursor.js';
import { validationError } from '../validation.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import type { AnalyticsRepository, Interval } from './analytics.repository.js';
import { hashtagKey } from './hashtag-key.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A series longer than this is refused: ask for a larger interval instead. */
export const MAX_BUCKETS = 5000;
/** Trending terms need at least this many mentions in the current window. */
export const TRENDING_MIN_MENTIONS = 3;

export interface Bucket {
  start: string;
  mentions: number;
  positive: number;
  neutral: number;
  negative: number;
  unscored: number;
  /** Mean score of the scored mentions (−1..1), null when none were scored. */
  avgScore: number | null;
  /** A source feeding this brand was failing during the bucket: low volume here may be ours, not the market's. */
  gap: boolean;
}

/** Validated zones: building an Intl.DateTimeFormat costs about a millisecond, per request otherwise. */
const knownZones = new Map<string, string>();

/** The zone as ICU resolves it (a name Postgres knows too), or a 400 naming `field` (the parameter that held it). */
export function assertTimeZone(tz: string, field = 'tz'): string {
  const known = knownZones.get(tz);
  if (known) return known;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
    if (knownZones.size < 1000) knownZones.set(tz, resolved);
    return resolved;
  } catch {
    throw validationError([{ field, message: `unknown time zone "${tz}"; use an IANA name such as Europe/Prague` }]);
  }
}

/**
 * Current IANA names that ICU (Node 20) answers under an older alias (Asia/Kolkata as
 * Asia/Calcutta, Europe/Kyiv as Europe/Kiev), and zones ICU answers as another: every IANA zone
 * (tzdata 2025b) for which resolvedOptions().timeZone is not its own name. Intl.supportedValuesOf
 * lists none of them.
 */
const RENAMED_BY_ICU = [
  'Africa/Asmara', 'America/Argentina/Buenos_Aires', 'America/Argentina/Catamarca', 'America/Argentina/Cordoba', 'America/Argentina/Jujuy',
  'America/Argentina/Mendoza', 'America/Atikokan', 'America/Indiana/Indianapolis', 'America/Kentucky/Louisville', 'America/Nuuk',
  'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Asia/Kolkata', 'Asia/Yangon', 'Atlantic/Faroe', 'Europe/Kyiv', 'Pacific/Chuuk', 'Pacific/Kanton',
  'Pacific/Pohnpei', 'CET', 'CST6CDT', 'EET', 'EST', 'EST5EDT', 'Etc/GMT', 'Etc/UTC', 'HST', 'MET', 'MST', 'MST7MDT', 'PST8PDT', 'WET',
];

/** Zone names as IANA spells them, by their lower-case form; built on first use. */
let spellings: Map<string, string> | undefined;
function ianaSpelling(name: string): string | undefined {
  spellings ??= new Map([...Intl.supportedValuesOf('timeZone'), ...RENAMED_BY_ICU].map((zone) => [zone.toLowerCase(), zone]));
  return spellings.get(name.toLowerCase());
}

/**
 * The zone's name for the answer and for storing, in its IANA spelling whatever the letter case
 * it was written in (`asia/kolkata` is Asia/Kolkata). ICU resolves current IANA names to their
 * older aliases (Asia/Kolkata to Asia/Calcutta, Europe/Kyiv to Europe/Kiev), which is not what
 * the caller asked for, so the name asked for is kept, only spelled as IANA does. A link name no
 * list here spells (`us/eastern`) is answered as ICU names its zone (America/New_York), which is
 * spelled right and keeps the same time.
 */
export function zoneName(asked: string, resolved: string): string {
  return ianaSpelling(asked) ?? resolved;
}

/** Rollups are hourly: windows are applied at whole hours (since rounds down, until rounds up). */
export function hourWindow(since: Date, until: Date): { since: Date; until: Date } {
  return { since: new Date(Math.floor(since.getTime() / HOUR) * HOUR), until: new Date(Math.ceil(until.getTime() / HOUR) * HOUR) };
}

/** Mean score of the scored mentions to four decimals, null when none were scored. */
const avg = (scored: number, scoreSum: number) => (scored ? Math.round((scoreSum / scored) * 1e4) / 1e4 : null);

/** `brand=` holding an id of no brand of the workspace: deleted, another workspace's, or mistyped. */
export const brandNotFound = () => new AppError('brands.not_found', 404, 'brand not found: no brand of this workspace has this id; GET /v1/brands lists them');

async function brandsOf(workspaceId: string, brandId: string | undefined, brandRepository: BrandRepository) {
  if (brandId) {
    const brand = await brandRepository.get(workspaceId, brandId);
    if (!brand) throw brandNotFound();
    return [brand];
  }
  return brandRepository.all(workspaceId);
}

export async function sentimentTrend({
  workspaceId,
  brandId,
  interval,
  tz,
  sourceType,
  lang,
  now,
  analyticsRepository,
  ...window
}: {
  workspaceId: string;
  brandId?: string | undefined;
  interval: Interval;
  since: Date;
  until: Date;
  tz: string;
  sourceType?: string | undefined;
  lang?: string | undefined;
  now: Date;
  analyticsRepository: AnalyticsRepository;
}) {
  const zone = assertTimeZone(tz);
  const { since, until } = hourWindow(window.since, window.until);
  const approx = (until.getTime() - since.getTime()) / (interval === 'hour' ? HOUR : interval === 'day' ? DAY : 7 * DAY);
  if (approx > MAX_BUCKETS) {
    throw validationError([{ field: 'interval', message: `this window has about ${Math.ceil(approx)} ${interval}s; at most ${MAX_BUCKETS} buckets, so use a larger interval` }]);
  }
  if (brandId && !isUuid(brandId)) throw brandNotFound();
  const [starts, trends] = await Promise.all([
    analyticsRepository.buckets(interval, since, until, zone),
    analyticsRepository.trend({ workspaceId, brandId: brandId || undefined, interval, since, until, tz: zone, sourceType, lang, now }),
  ]);
  if (brandId && !trends.length) throw brandNotFound();
  // Per bucket once, not per brand × bucket: 20 brands × 180 days is 3,600 buckets to shape.
  const slots = starts.map((start, i) => ({ from: start.getTime(), to: (starts[i + 1] ?? until).getTime(), iso: start.toISOString() }));
  const slotOf = new Map(slots.map((slot, i) => [slot.from / 1000, i]));
  return {
    interval,
    tz: zoneName(tz, zone),
    since: since.toISOString(),
    until: until.toISOString(),
    series: trends.map((t) => {
      // at[i]: the column position of slot i's counts, -1 for a zero-filled bucket.
      const at = new Int32Array(slots.length).fill(-1);
      for (let k = 0; k < t.starts.length; k++) {
        const i = slotOf.get(t.starts[k]!);
        if (i !== undefined) at[i] = k;
      }
      return {
        brandId: t.brandId,
        buckets: slots.map((slot, i): Bucket => {
          const gap = t.outages.length > 0 && t.outages.some((o) => o[0] < slot.to && o[1] > slot.from);
          const k = at[i]!;
          if (k < 0) return { start: slot.iso, mentions: 0, positive: 0, neutral: 0, negative: 0, unscored: 0, avgScore: null, gap };
          const [mentions, positive, neutral, negative, unscored] = t.counts[k]!;
          return { start: slot.iso, mentions, positive, neutral, negative, unscored, avgScore: avg(positive + neutral + negative, t.scoreSums[k]!), gap };
        }),
      };
    }),
  };
}

/**
 * The workspace's brand names, read once beside the figures (one query, not one per brand). A
 * brand the figures hold but the names do not was created or deleted between the two reads: it is
 * left out, as the answer of a moment earlier or later would have it.
 */
async function brandNames(workspaceId: string, brandRepository: BrandRepository): Promise<Map<string, string>> {
  return new Map((await brandRepository.all(workspaceId)).map((b) => [b.id, b.name]));
}

/** sentimentTrend with each series named by its brand: what GET /v1/trends/sentiment answers. */
export async function namedSentimentTrend({ brandRepository, ...query }: Parameters<typeof sentimentTrend>[0] & { brandRepository: BrandRepository }) {
  const [trend, names] = await Promise.all([sentimentTrend(query), brandNames(query.workspaceId, brandRepository)]);
  const series = trend.series.flatMap(({ brandId, buckets }) => {
    const name = names.get(brandId);
    return name === undefined ? [] : [{ brandId, name, buckets }];
  });
  if (query.brandId && !series.length) throw brandNotFound();
  return { ...trend, series };
}

export async function shareOfVoice({
  workspaceId,
  analyticsRepository,
  ...window
}: {
  workspaceId: string;
  since: Date;
  until: Date;
  analyticsRepository: AnalyticsRepository;
}) {
  const { since, until } = hourWindow(window.since, window.until);
  const totals = await analyticsRepository.totalsByBrand(workspaceId, since, until);
  const all = totals.reduce((n, t) => n + t.mentions, 0);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    total: all,
    brands: totals.map((t) => ({
      brandId: t.brandId,
      name: t.name,
      role: t.role as 'own' | 'competitor',
      mentions: t.mentions,
      share: all ? t.mentions / all : 0,
      netSentiment: netSentiment(t),
    })),
  };
}

/**
 * Hashtag counts with the spellings of one tag together (`hashtagKey`: ZWNJ or not, Arabic or
 * Persian letters, the nukta, the script of digits, Latin diacritics or not), as `hashtag=` written
 * without diacritics finds them: one row per tag, named by its spelling most used in the current
 * window (the lowest in code-unit order on a tie). Summing is right because the rollups count a
 * mention under one spelling of each tag only (rollups.ts, countedSpellings): one holding two
 * counts once.
 */
export function mergeSpellings(rows: ReadonlyArray<{ tag: string; current: number; previous: number }>) {
  const merged = new Map<string, { term: string; current: number; previous: number; top: number }>();
  for (const r of rows) {
    const key = hashtagKey(r.tag);
    const m = merged.get(key);
    if (!m) merged.set(key, { term: r.tag, current: r.current, previous: r.previous, top: r.current });
    else {
      m.current += r.current;
      m.previous += r.previous;
      if (r.current > m.top || (r.current === m.top && r.tag < m.term)) Object.assign(m, { term: r.tag, top: r.current });
    }
  }
  return [...merged.values()].map(({ term, current, previous }) => ({ term, current, previous }));
}

/** A term trends with enough mentions now, and more than in the window before. */
export const isTrending = (r: { current: number; previous: number }) => r.current >= TRENDING_MIN_MENTIONS && r.current > r.previous;

/**
 * A trending keyword or hashtag rises above chance: its rise is at least twice the spread a count
 * like the previous window's has by chance (Poisson: √(previous + 1)); that is, its rank score is
 * at least 2. Six mentions after one is a rise (5 ≥ 2.8); eight after seven is noise (1 < 5.7).
 */
const NOISE_SIGMAS = 2;
export const risesAboveNoise = (r: { current: number; previous: number }) => isTrending(r) && r.current - r.previous >= NOISE_SIGMAS * Math.sqrt(r.previous + 1);

/**
 * Terms whose count grew most against the previous equal window. Ranked by a Poisson-style
 * significance, (current − previous) / √(previous + 1), so three mentions after none do not
 * outrank three hundred after a hundred; at least TRENDING_MIN_MENTIONS in the current window.
 */
export function rankTrending(rows: Array<{ term: string; current: number; previous: number }>, limit: number) {
  return rows
    .filter(isTrending)
    .map((r) => ({
      term: r.term,
      mentions: r.current,
      previous: r.previous,
      growth: Math.round(((r.current - r.previous) / Math.max(r.previous, 1)) * 1e4) / 1e4,
      score: Math.round(((r.current - r.previous) / Math.sqrt(r.previous + 1)) * 1e3) / 1e3,
    }))
    .sort((a, b) => b.score - a.score || b.mentions - a.mentions || (a.term < b.term ? -1 : 1))
    .slice(0, limit);
}

/** The earliest time trending compares with: the equal window before the one asked for must not start before year 1. */
const CALENDAR_START = Date.parse('0001-01-01T00:00:00Z');
/**
 * The part of a trending window that has happened: a window reaching into the future is compared
 * up to now, so the equal window before it is as long as the current one has had to collect
 * mentions (a week asked for on its Tuesday compares two days with two days, not with seven).
 * Null when nothing of the window has happened yet.
 */
export function elapsedWindow(since: Date, until: Date, now: Date): { since: Date; until: Date } | null {
  const end = Math.min(until.getTime(), now.getTime());
  return end > since.getTime() ? { since, until: new Date(end) } : null;
}

/** Trending and the SWOT compare [since, until) with the equal window before it: that one must be a time of the calendar. */
export function assertComparable(since: Date, until: Date, what = 'trending'): void {
  const previousSince = 2 * Math.floor(since.getTime() / DAY) * DAY - Math.ceil(until.getTime() / DAY) * DAY;
  if (previousSince < CALENDAR_START) {
    throw validationError([
      {
        field: 'since',
        message: `${what} compares the window with the equal window before it, which would start before 0001-01-01; move since later or shorten the window`,
      },
    ]);
  }
}

/** Whole UTC days covering [since, until), and the equal run of days before them. */
export function dayWindow(since: Date, until: Date) {
  const from = Math.floor(since.getTime() / DAY) * DAY;
  const to = Math.ceil(until.getTime() / DAY) * DAY;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(from), to: iso(to), previousFrom: iso(from - (to - from)) };
}

/** What the term and trending reads take: a window, an optional brand, a page size. */
export interface TermQuery {
  workspaceId: string;
  brandId?: string | undefined;
  since: Date;
  until: Date;
  limit: number;
  /** Trending only: the end of the part of the window that has happened (default: the clock). */
  now?: Date | undefined;
  brandRepository: BrandRepository;
  analyticsRepository: AnalyticsRepository;
}

export async function trendingHashtags({ workspaceId, brandId, limit, now = new Date(), brandRepository, analyticsRepository, ...asked }: TermQuery) {
  if (brandId) await brandsOf(workspaceId, brandId, brandRepository);
  const window = elapsedWindow(asked.since, asked.until, now);
  if (!window) return { since: asked.since.toISOString(), until: asked.until.toISOString(), items: [] };
  const { since, until } = window;
  assertComparable(since, until);
  const days = dayWindow(since, until);
  const rows = await analyticsRepository.hashtagCounts({ workspaceId, brandId, ...days });
  return { since: `${days.from}T00:00:00.000Z`, until: `${days.to}T00:00:00.000Z`, items: rankTrending(mergeSpellings(rows).filter(risesAboveNoise), limit) };
}
