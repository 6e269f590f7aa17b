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

/** ICU's name of the zone `tz` names (one name per zone, whichever alias was given); null for no zone. */
function icuZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone as ICU resolves it (a name Postgres knows too), or a 400 naming `field` (the parameter that held it). */
export function assertTimeZone(tz: string, field = 'tz'): string {
  const known = knownZones.get(tz);
  if (known) return known;
  const resolved = icuZone(tz);
  if (resolved === null) throw validationError([{ field, message: `unknown time zone "${tz}"; use an IANA name such as Europe/Prague` }]);
  if (knownZones.size < 1000) knownZones.set(tz, resolved);
  return resolved;
}

/**
 * The zones IANA has renamed that ICU (Node 20) still names by their older names, which CLDR
 * keeps for stability: Asia/Kolkata is Asia/Calcutta to ICU, Europe/Kyiv Europe/Kiev. ICU has no
 * way to give the current name, so they are listed: every zone of tzdata 2025b that ICU answers
 * under another name of the same zone (test/domain/analytics.time-zone-names.test.ts checks this
 * against the system's tzdata, every zone and link of it).
 */
const RENAMED_BY_ICU = [
  'Africa/Asmara', 'America/Argentina/Buenos_Aires', 'America/Argentina/Catamarca', 'America/Argentina/Cordoba', 'America/Argentina/Jujuy',
  'America/Argentina/Mendoza', 'America/Atikokan', 'America/Indiana/Indianapolis', 'America/Kentucky/Louisville', 'America/Nuuk',
  'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Asia/Kolkata', 'Asia/Yangon', 'Atlantic/Faroe', 'Europe/Kyiv', 'Pacific/Chuuk', 'Pacific/Kanton',
  'Pacific/Pohnpei',
];

/**
 * The System V names, answered as written: IANA zones of their own until tzdata 2024b made them
 * links to a city (CET to Europe/Brussels, EST to America/Panama), and still zones in the tzdata
 * of distributions that keep them (Debian's). Either way they keep the same time since 1970, and
 * whoever writes CET means Central European Time, not Brussels, which is how ICU answers it.
 */
const SYSTEM_V = ['CET', 'CST6CDT', 'EET', 'EST', 'EST5EDT', 'HST', 'MET', 'MST', 'MST7MDT', 'PST8PDT', 'WET'];

/** ICU's name of each renamed zone → IANA's; the System V names by their lower-case form. Built on first use. */
let names: { current: Map<string, string>; systemV: Map<string, string> } | undefined;
function zoneNames() {
  if (names) return names;
  const current = new Map<string, string>();
  for (const zone of RENAMED_BY_ICU) {
    const icu = icuZone(zone);
    if (icu !== null && icu !== zone) current.set(icu, zone);
  }
  names = { current, systemV: new Map(SYSTEM_V.map((zone) => [zone.toLowerCase(), zone])) };
  return names;
}

/**
 * The zone's name for the answer and for storing: one name per zone, however it was asked for
 * (in any letter case, by any of its names), as IANA spells it now. ICU already resolves every
 * alias to one name per zone (US/Eastern to America/New_York, Asia/Kolkata to Asia/Calcutta,
 * Etc/UTC and GMT to UTC), which is IANA's but for the zones IANA renamed since, answered by
 * their current name (Asia/Calcutta and Asia/Kolkata are Asia/Kolkata). A System V name (CET,
 * EST5EDT) is kept as asked, in capitals. `resolved` is assertTimeZone(asked).
 */
export function zoneName(asked: string, resolved: string): string {
  const { current, systemV } = zoneNames();
  return systemV.get(asked.toLowerCase()) ?? current.get(resolved) ?? resolved;
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
