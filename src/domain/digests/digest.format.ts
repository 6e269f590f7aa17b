import { mark, markedPieces, plainHeader } from './digest.bidi.js';
import { cleanText } from './digest.escape.js';
import { digestLocale, localeOf, type DigestLocale } from './digest.locale.js';
import type { DigestBrand, DigestDocument, DigestMention, DigestTrendingTerm } from './digest.types.js';
import { noMentions } from './digests.sources.js';
import type { DigestLanguage } from '../i18n/languages.js';

// The figures, dates and short sentences every rendering shares, in the digest's language
// (DigestLocale: its Formatter and its catalogue in src/domain/i18n).

/** "+25%", "−40%", "new" (from zero), "0%". */
export function formatChange(l: DigestLocale, current: number, previous: number): string {
  if (previous === 0) return current === 0 ? l.f.percentChange(0) : l.m.fromZero;
  return l.f.percentChange(Math.round(((current - previous) / previous) * 100));
}

/**
 * A trending term's growth as its change: "+300%" for 1 → 4, "new" for 0 → 12. The stored
 * `growth` is (now − before) / max(before, 1): written as a multiple, 1 → 4 read "3.0×" and
 * 2 → 3 read "0.5×", as if it had halved.
 */
export const formatGrowth = (l: DigestLocale, term: DigestTrendingTerm) => formatChange(l, term.mentions, term.previous);

export const formatShare = (l: DigestLocale, share: number) => l.f.percent(share);
export const formatNet = (l: DigestLocale, net: number | null) => (net === null ? '–' : l.f.signed(net));

/**
 * A brand's mentions beside the window before's: "28 (was 2, +1300%)", so that a change on a tiny
 * base reads as what it is.
 */
export const formatMentions = (l: DigestLocale, b: DigestBrand) =>
  l.m.mentionsWas({ mentions: l.f.count(b.mentions), previous: l.f.count(b.previousMentions), change: formatChange(l, b.mentions, b.previousMentions) });

/**
 * A brand's share of voice and its change in percentage points: "42.4% (+24.2 pts)". "–" when no
 * brand has a mention, where a share is undefined; no change when the window before had none.
 */
export function formatBrandShare(doc: DigestDocument, l: DigestLocale, b: DigestBrand): string {
  if (noMentions(doc)) return '–';
  if (doc.brands.every((x) => x.previousMentions === 0)) return formatShare(l, b.share);
  // A change of a fraction in points (0.01 each), to one decimal: "+24.2 pts", "−3.0 pts", "±0.0 pts".
  const points = Math.round((b.share - b.previousShare) * 10 ** 3) / 10;
  return l.m.shareChange({ share: formatShare(l, b.share), points: l.m.points(l.f.change(points, 1)) });
}

/**
 * A brand's net sentiment beside the window before's, with the change in the same unit: "+0.40 (was
 * −0.20, +0.60)" (not "pts", which the share of voice beside it uses for percentage points). With
 * nothing scored on one side there is no change to give: "+0.40 (was –)", "– (was +0.20)". A
 * digest made before the window before's was recorded shows the figure alone.
 */
export function formatBrandNet(l: DigestLocale, b: DigestBrand): string {
  const now = formatNet(l, b.netSentiment);
  if (b.previousNetSentiment === undefined) return now;
  if (b.netSentiment === null && b.previousNetSentiment === null) return now;
  const change = b.netSentiment !== null && b.previousNetSentiment !== null
    ? l.f.change(Math.round((b.netSentiment - b.previousNetSentiment) * 100) / 100, 2)
    : null;
  return l.m.netWas({ now, previous: formatNet(l, b.previousNetSentiment), change });
}

/** `own` and `competitor` in the digest's language; any other role as stored. */
export const roleName = (l: DigestLocale, role: string) => (role === 'own' || role === 'competitor' ? l.m.roles[role] : role);

export function brandNames(doc: DigestDocument): (id: string) => string {
  const names = new Map(doc.brands.map((b) => [b.brandId, b.name]));
  return (id) => names.get(id) ?? id;
}

/**
 * The words a reader sees for a mention: its title and the start of its text ("Kafe Darya wifi —
 * the wifi was down all afternoon…"), or whichever it has. A text that repeats the title (feeds
 * often do) is shown once. Callers cut the whole to their excerpt length.
 */
export function mentionWords(mention: DigestMention): string {
  const title = cleanText(mention.title ?? '');
  const text = cleanText(mention.text ?? '');
  if (!title) return text;
  if (!text || text === title) return title;
  return text.startsWith(title) ? text : `${title} — ${text}`;
}

/** When the mention was published, on the digest's clock: "2026-12-06 14:30". */
export function mentionDate(doc: DigestDocument, l: DigestLocale, mention: DigestMention): string {
  return l.f.dateTime(mention.occurredAt, doc.period.timeZone);
}

/**
 * Languages written right to left. A post in one of them reads right to left even when it starts
 * with a Latin brand name ("Zlatá Lžička عالی است…"), which the first-strong rule (dir="auto")
 * would lay out left to right.
 */
const RTL_LANGS = new Set(['ar', 'fa', 'he', 'iw', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

/** 'rtl' for a mention detected in a right-to-left language; else null: its own first strong character decides. */
export function mentionDirection(mention: DigestMention): 'rtl' | null {
  return mention.lang && RTL_LANGS.has(mention.lang.toLowerCase().split(/[-_]/u)[0]!) ? 'rtl' : null;
}

/**
 * The local dates of the period's first and last day in the digest's zone, the days the "Days in"
 * line cuts. `until` is exclusive: a week from Monday 00:00 to the next Monday 00:00 ends on Sunday.
 */
export function periodLabel(doc: DigestDocument, l: DigestLocale): string {
  const { since, until, timeZone } = doc.period;
  const first = l.f.date(since, timeZone);
  const last = l.f.date(new Date(Math.max(Date.parse(since), Date.parse(until) - 1)).toISOString(), timeZone);
  return l.m.period({ first, last: first === last ? null : last, zone: timeZone });
}

/**
 * The e-mail subject, in the digest's language (or `lang`); the workspace name is cleaned so it
 * cannot carry a line break or bidi override, and held in its place with LRM/RLM marks where its
 * direction is not the subject's (plainHeader says why marks and not isolates).
 */
export function digestSubject(doc: DigestDocument, lang?: DigestLanguage): string {
  const l = digestLocale(doc, lang);
  return plainHeader(markedPieces(l.m.subject({ workspace: mark(doc.workspace.name), period: periodLabel(doc, l) })), l.dir);
}

/**
 * The first and last days when the period's bounds cut them: "from 18:30", "until 02:00". Their
 * figures cover only that part of the day, so a chart's lines dip there.
 */
export function partialDays(doc: DigestDocument, l: DigestLocale = localeOf('en')): Array<{ date: string; cut: string }> {
  const zone = doc.period.timeZone;
  const days = doc.sentimentTrend.find((s) => s.days.length)?.days ?? [];
  const first = days[0];
  const last = days[days.length - 1];
  const english = localeOf('en').f;
  const cuts: Array<{ date: string; cut: string }> = [];
  // Midnight is told by the wall clock, whatever digits the language writes it in.
  if (first?.since && english.time(first.since, zone) !== '00:00') cuts.push({ date: first.date, cut: l.m.cutFrom(l.f.time(first.since, zone)) });
  if (last?.until && english.time(last.until, zone) !== '00:00') cuts.push({ date: last.date, cut: l.m.cutUntil(l.f.time(last.until, zone)) });
  return cuts;
}

/** The partial days as a reader sees them: "11-13 from 18:30". */
export const partialDayLabels = (doc: DigestDocument, l: DigestLocale) => partialDays(doc, l).map((p) => l.m.partialDay({ day: l.f.day(p.date), cut: p.cut }));

/**
 * Which time the daily figures cover: days of the digest's zone, the first and last cut by the
 * period's bounds ("Days in Asia/Kolkata: 11-13 from 18:30, 11-20 until 18:30.").
 */
export function trendNote(doc: DigestDocument, l: DigestLocale): string {
  return l.m.daysIn({ zone: doc.period.timeZone, cuts: partialDayLabels(doc, l) });
}

/** The one-line headline of a period without a single mention, so a reader need not scan the whole digest to learn it. */
export function emptyHeadline(doc: DigestDocument, l: DigestLocale): string | null {
  return noMentions(doc) ? l.m.noMentions : null;
}

/** Null unless the digest was not e-mailed because it had nothing to report; else the sentence that says so. */
export function emailNote(doc: DigestDocument, l: DigestLocale): string | null {
  return doc.email?.reason === 'nothing_to_report' ? l.m.notEmailed : null;
}

/** Null when the keywords were counted in every mention; else the sample they were counted in. */
export function keywordsNote(doc: DigestDocument, l: DigestLocale): string | null {
  const sample = doc.trendingKeywordsSample;
  return sample ? l.m.keywordsSample(l.f.grouped(sample)) : null;
}

/** A day of a brand's trend: "11-09 3 (+0.20)". */
export const dayFigure = (l: DigestLocale, d: { date: string; mentions: number; netSentiment: number | null }) =>
  l.m.dayFigure({ day: l.f.day(d.date), mentions: l.f.count(d.mentions), net: formatNet(l, d.netSentiment) });

export type SectionKey = 'brands' | 'trend' | 'positive' | 'negative' | 'hashtags' | 'keywords' | 'alerts' | 'swot';

/** One section order for every format, so Markdown, HTML and text always say the same thing. */
export const SECTIONS: readonly SectionKey[] = ['brands', 'trend', 'positive', 'negative', 'hashtags', 'keywords', 'alerts', 'swot'];

/**
 * The sections in order, each under its heading in the digest's language. A period without a
 * single mention shows its brands alone (their counts before it, and "–" for a share of nothing):
 * every other section would be an empty table or chart.
 */
export function renderSections(doc: DigestDocument, l: DigestLocale, heading: (title: string) => string, bodies: Record<SectionKey, () => string>): string[] {
  const empty = doc.brands.length > 0 && emptyHeadline(doc, l) !== null;
  return SECTIONS.filter((key) => !empty || key === 'brands').flatMap((key) => [heading(l.m.sections[key]), bodies[key]()]);
}

export const MENTION_EXCERPT = 240;
