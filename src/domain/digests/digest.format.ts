import { signed } from '../swot/swot.summaries.js';
import type { SwotItem, SwotSample } from '../swot/swot.types.js';
import { fixed, findNames, user, type Piece } from './digest.bidi.js';
import { cleanText, excerpt } from './digest.escape.js';
import type { DigestBrand, DigestDocument, DigestFailingSource, DigestMention, DigestSources, DigestTrendingTerm } from './digest.types.js';
import { noMentions } from './digests.sources.js';

export { signed };

/** "+25%", "−40%", "new" (from zero), "0%". */
export function formatChange(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? '0%' : 'new';
  const change = Math.round(((current - previous) / previous) * 100);
  return `${change > 0 ? '+' : change < 0 ? '−' : ''}${Math.abs(change)}%`;
}

/**
 * A trending term's growth as its change: "+300%" for 1 → 4, "new" for 0 → 12. The stored
 * `growth` is (now − before) / max(before, 1): written as a multiple, 1 → 4 read "3.0×" and
 * 2 → 3 read "0.5×", as if it had halved.
 */
export const formatGrowth = (term: DigestTrendingTerm) => formatChange(term.mentions, term.previous);

export const formatShare = (share: number) => `${(share * 100).toFixed(1)}%`;
export const formatNet = (net: number | null) => (net === null ? '–' : signed(net));

/** "1 mention", "2 mentions", "0 mentions". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A brand's mentions beside the window before's: "28 (was 2, +1300%)", so that a change on a tiny
 * base reads as what it is.
 */
export const formatMentions = (b: DigestBrand) => `${b.mentions} (was ${b.previousMentions}, ${formatChange(b.mentions, b.previousMentions)})`;

/**
 * A brand's share of voice and its change in percentage points: "42.4% (+24.2 pts)". "–" when no
 * brand has a mention, where a share is undefined; no change when the window before had none.
 */
export function formatBrandShare(doc: DigestDocument, b: DigestBrand): string {
  if (noMentions(doc)) return '–';
  if (doc.brands.every((x) => x.previousMentions === 0)) return formatShare(b.share);
  return `${formatShare(b.share)} (${formatPoints(b.share - b.previousShare, 1)})`;
}

/** A change of a fraction in points (0.01 each), to `digits` decimals: "+24.2 pts", "−3 pts", "±0 pts". */
function formatPoints(change: number, digits: number): string {
  const rounded = Math.round(change * 10 ** (digits + 2)) / 10 ** digits;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(digits)} pts`;
}

/**
 * A brand's net sentiment beside the window before's, with the change in the same unit: "+0.40 (was
 * −0.20, +0.60)" (not "pts", which the share of voice beside it uses for percentage points). With
 * nothing scored on one side there is no change to give: "+0.40 (was –)", "– (was +0.20)". A
 * digest made before the window before's was recorded shows the figure alone.
 */
export function formatBrandNet(b: DigestBrand): string {
  const now = formatNet(b.netSentiment);
  if (b.previousNetSentiment === undefined) return now;
  if (b.netSentiment === null && b.previousNetSentiment === null) return now;
  const change = b.netSentiment !== null && b.previousNetSentiment !== null
    ? `, ${formatNetChange(b.netSentiment - b.previousNetSentiment)}`
    : '';
  return `${now} (was ${formatNet(b.previousNetSentiment)}${change})`;
}

/** A change of net sentiment, signed, to two decimals: "+0.60", "−0.12", "±0.00". */
function formatNetChange(change: number): string {
  const rounded = Math.round(change * 100) / 100;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(2)}`;
}

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
export function mentionDate(doc: DigestDocument, mention: DigestMention): string {
  return localDateTime(mention.occurredAt, doc.period.timeZone);
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
export function periodLabel(doc: DigestDocument): string {
  const { since, until, timeZone } = doc.period;
  const first = localDate(since, timeZone);
  const last = localDate(new Date(Math.max(Date.parse(since), Date.parse(until) - 1)).toISOString(), timeZone);
  return `${first === last ? first : `${first} – ${last}`} (${timeZone})`;
}

/** The e-mail subject; the workspace name is cleaned so it cannot carry a line break or bidi override. */
export function digestSubject(doc: DigestDocument): string {
  return `Earshot digest for ${cleanText(doc.workspace.name)}: ${periodLabel(doc)}`;
}

/** An instant's wall-clock fields in a zone, digits only, whatever the runtime's locale. */
function wallClock(iso: string, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return { year: part('year').padStart(4, '0'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

/** YYYY-MM-DD of an instant in a zone. */
function localDate(iso: string, timeZone: string): string {
  const { year, month, day } = wallClock(iso, timeZone);
  return `${year}-${month}-${day}`;
}

/** HH:MM of an instant in a zone (24-hour clock). */
function localTime(iso: string, timeZone: string): string {
  const { hour, minute } = wallClock(iso, timeZone);
  return `${hour}:${minute}`;
}

/** "YYYY-MM-DD HH:MM" of an instant in a zone: when a mention was published, a source last read. */
function localDateTime(iso: string, timeZone: string): string {
  const { year, month, day, hour, minute } = wallClock(iso, timeZone);
  return `${year}-${month}-${day} ${hour}:${minute}`;
}

/**
 * The first and last days when the period's bounds cut them: "from 18:30", "until 02:00". Their
 * figures cover only that part of the day, so a chart's lines dip there.
 */
export function partialDays(doc: DigestDocument): Array<{ date: string; cut: string }> {
  const zone = doc.period.timeZone;
  const days = doc.sentimentTrend.find((s) => s.days.length)?.days ?? [];
  const first = days[0];
  const last = days[days.length - 1];
  const cuts: Array<{ date: string; cut: string }> = [];
  if (first?.since) {
    const from = localTime(first.since, zone);
    if (from !== '00:00') cuts.push({ date: first.date, cut: `from ${from}` });
  }
  if (last?.until) {
    const to = localTime(last.until, zone);
    if (to !== '00:00') cuts.push({ date: last.date, cut: `until ${to}` });
  }
  return cuts;
}

/**
 * Which time the daily figures cover: days of the digest's zone, the first and last cut by the
 * period's bounds ("Days in Asia/Kolkata: 11-13 from 18:30, 11-20 until 18:30.").
 */
export function trendNote(doc: DigestDocument): string {
  const cuts = partialDays(doc).map((p) => `${p.date.slice(5)} ${p.cut}`);
  return `Days in ${doc.period.timeZone}${cuts.length ? `: ${cuts.join(', ')}` : ''}.`;
}

/** The one-line headline of a period without a single mention, so a reader need not scan the whole digest to learn it. */
export function emptyHeadline(doc: DigestDocument): string | null {
  return noMentions(doc) ? 'No mentions of any brand in this period.' : null;
}

/**
 * What the sources not read in full are, by kind: "are failing", "are not read in full (1
 * failing, 2 not read for part of the period)", or, when every one reads now, "were not read for
 * part of the period".
 */
function troubleWords(sources: DigestSources): string {
  const { failing, disabled = 0, partlyFailing = 0, recovered = 0 } = sources;
  const are = failing === 1 ? 'is' : 'are';
  const kinds = [
    [failing - disabled - partlyFailing - recovered, 'failing'],
    [disabled, 'switched off'],
    [partlyFailing, 'partly failing'],
    [recovered, 'not read for part of the period'],
  ] as const;
  const present = kinds.filter(([n]) => n > 0);
  if (present.length > 1) return `${are} not read in full (${present.map(([n, word]) => `${n} ${word}`).join(', ')})`;
  return recovered > 0 ? `${failing === 1 ? 'was' : 'were'} not read for part of the period` : `${are} ${present[0]![1]}`;
}

/** A length of time, for a reader: "40 min", "2.5 h", "52 h". */
function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  return `${hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)} h`;
}

/**
 * The stretches of the period a source was not read: "was not read from 2026-12-01 10:00 to
 * 2026-12-03 14:00 (52 h)", more joined with ", and from … to … (3 h)", and those not listed
 * counted: "; 2 more stretches, 61 h in all".
 */
function outageWords(doc: DigestDocument, f: DigestFailingSource): string {
  const zone = doc.period.timeZone;
  const outages = f.outages ?? [];
  const stretches = outages.map((o) => `from ${localDateTime(o.from, zone)} to ${localDateTime(o.until, zone)} (${formatHours(Date.parse(o.until) - Date.parse(o.from))})`).join(', and ');
  const more = (f.outageCount ?? outages.length) - outages.length;
  return `was not read ${stretches}${more > 0 ? `; ${more} more ${more === 1 ? 'stretch' : 'stretches'}, ${formatHours((f.hoursNotRead ?? 0) * 3_600_000)} in all` : ''}`;
}

/**
 * One source not read in full: "rss https://… : 12 failures in a row (HTTP 503); last success
 * 2026-11-02 09:15". One that reads now, or reads in part, says when in the period it was not read.
 */
function troubledSource(doc: DigestDocument, f: DigestFailingSource): Piece[] {
  const zone = doc.period.timeZone;
  const state = f.state ?? (f.enabled ? 'failing' : 'disabled');
  if (state === 'recovered') return [fixed(`${f.type} `), user(excerpt(f.target, 100)), fixed(`: ${outageWords(doc, f)}`)];
  const failures = `${plural(f.consecutiveFailures, 'failure')} in a row`;
  const how = state === 'partly_failing' ? 'read in part at its last poll' : state === 'failing' ? failures : f.consecutiveFailures > 0 ? `switched off after ${failures}` : 'switched off';
  return [
    fixed(`${f.type} `), user(excerpt(f.target, 100)), fixed(`: ${how}`),
    ...(f.lastError ? [fixed(' ('), user(excerpt(f.lastError, 160)), fixed(')')] : []),
    ...(f.lastSucceededAt && state !== 'partly_failing' ? [fixed(`; last success ${localDateTime(f.lastSucceededAt, zone)}`)] : []),
    ...(state === 'partly_failing' && f.outages?.length ? [fixed(`; ${outageWords(doc, f)}`)] : []),
  ];
}

/**
 * What the digest says of the workspace's sources, at its top, so a reader can tell "nothing was
 * said" from "a source could not be read": a line, and one line per source not read in full
 * listed ("rss https://… : 12 failures in a row (HTTP 503); last success 2026-11-02 09:15", "rss
 * https://…: was not read from 2026-12-01 10:00 to 2026-12-03 14:00 (52 h)"). A
 * period with mentions says nothing when every source is read; one without a single mention also
 * says how the sources fetch. Null when there is nothing to say, or the digest has no such record
 * (one made before it was kept).
 */
export function sourcesNote(doc: DigestDocument): { line: string; failing: Piece[][] } | null {
  const sources = doc.sources;
  if (!sources) return null;
  const { total, enabled, failing, firstAddedAt } = sources;
  const empty = noMentions(doc);
  if (!empty && failing === 0) return null;
  const zone = doc.period.timeZone;
  // Working or not, no source existed in the period: that, not their health now, is why it is empty.
  if (empty && total > 0 && firstAddedAt && Date.parse(firstAddedAt) >= Date.parse(doc.period.until)) {
    const added = localDateTime(firstAddedAt, zone);
    return { line: `No source was watching this period: the workspace's first was added on ${added}, after it ended, and nothing fetched since from this period named a brand.`, failing: [] };
  }
  const line = failing > 0
    ? `${failing} of the workspace's ${plural(total, 'source')} ${troubleWords(sources)}${empty ? '' : `, so this digest may miss mentions from ${failing === 1 ? 'it' : 'them'}`}:`
    : total === 0
      ? 'The workspace has no sources: nothing was fetched.'
      : enabled === 0
        ? `None of the workspace's ${plural(total, 'source')} is enabled: nothing was fetched.`
        : `The workspace's ${enabled === 1 ? 'enabled source fetches' : `${enabled} enabled sources fetch`} without errors: nothing fetched named a brand.`;
  const lines = sources.failingSources.map((f) => troubledSource(doc, f));
  const more = failing - sources.failingSources.length;
  return { line, failing: more > 0 ? [...lines, [fixed(`and ${more} more`)]] : lines };
}

/** Null unless the digest was not e-mailed because it had nothing to report; else the sentence that says so. */
export function emailNote(doc: DigestDocument): string | null {
  return doc.email?.reason === 'nothing_to_report'
    ? 'Not e-mailed: nothing to report, as no brand had a mention in this period or in the one before. Stored, and posted to the digest webhook if one is set.'
    : null;
}

/** Null when the keywords were counted in every mention; else the sample they were counted in. */
export function keywordsNote(doc: DigestDocument): string | null {
  const sample = doc.trendingKeywordsSample;
  return sample ? `Counted in the newest ${sample.toLocaleString('en-US')} mentions of the period and of the equal window before it.` : null;
}

export type SectionKey = 'brands' | 'trend' | 'positive' | 'negative' | 'hashtags' | 'keywords' | 'alerts' | 'swot';

/** One section order for every format, so Markdown, HTML and text always say the same thing. */
export const SECTIONS: ReadonlyArray<readonly [SectionKey, string]> = [
  ['brands', 'Brands'], ['trend', 'Sentiment trend'], ['positive', 'Top positive mentions'], ['negative', 'Top negative mentions'],
  ['hashtags', 'Trending hashtags'], ['keywords', 'Trending keywords'], ['alerts', 'Alerts'], ['swot', 'SWOT'],
];

/**
 * The sections in order. A period without a single mention shows its brands alone (their counts
 * before it, and "–" for a share of nothing): every other section would be an empty table or chart.
 */
export function renderSections(doc: DigestDocument, heading: (title: string) => string, bodies: Record<SectionKey, () => string>): string[] {
  const empty = doc.brands.length > 0 && emptyHeadline(doc) !== null;
  return SECTIONS.filter(([key]) => !empty || key === 'brands').flatMap(([key, title]) => [heading(title), bodies[key]()]);
}

/** The SWOT section in any format: the missing and not-enough-data cases, or the four quadrants. */
export function swotSection(doc: DigestDocument, format: {
  message(text: string): string;
  quadrant(title: string, items: readonly SwotItem[]): string;
}): string {
  const swot = doc.swot;
  if (!swot) return format.message('No own brand: no SWOT.');
  if (swot.status === 'not_enough_data') return format.message(`Not enough data: ${oneMention(swot.reason ?? '')}`);
  const note = swotSampleNote(swot.sample);
  return [...(note ? [format.message(note)] : []), ...SWOT_SECTIONS.map(([key, title]) => format.quadrant(title, swot[key]))].join('\n\n');
}

/** "has 1 mentions" in a SWOT reason of a digest stored before the SWOT said "1 mention" (swot.build.ts) reads "has 1 mention". */
const oneMention = (sentence: string) => sentence.replace(/(^|[^\d.,])1 mentions\b/gu, (_, before: string) => `${before}1 mention`);

/**
 * Null when the themes were drawn from every mention (or the digest predates the sample); else
 * how many, per window. What was read is always a window's newest: the cap takes the newest, and
 * retention deletes the oldest.
 */
export function swotSampleNote(sample: SwotSample | undefined): string | null {
  if (!sample?.sampled) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  const part = (read: number, of: number, where: string) =>
    (read >= of ? `all ${n(of)} mention${of === 1 ? '' : 's'} ${where}` : read === 0 ? `none of the ${n(of)} mention${of === 1 ? '' : 's'} ${where}` : `the newest ${n(read)} of the ${n(of)} mentions ${where}`);
  const previous = sample.previousMentions < sample.previousOf ? `, and ${part(sample.previousMentions, sample.previousOf, 'in the window before')}` : '';
  return `SWOT themes come from ${part(sample.mentions, sample.of, 'in the period')}${previous}.`;
}

export const SWOT_SECTIONS = [
  ['strengths', 'Strengths'], ['weaknesses', 'Weaknesses'], ['opportunities', 'Opportunities'], ['threats', 'Threats'],
] as const;

/** How many of a SWOT item's sample mentions a digest shows, words and link. */
export const SWOT_EXAMPLES = 3;
/** Each example's words, in grapheme clusters. */
export const EXAMPLE_EXCERPT = 100;

/**
 * The SWOT item's sample mentions the document holds, at most SWOT_EXAMPLES; null for documents
 * made before they were kept, whose evidence line names the ids instead.
 */
export function swotExamples(doc: DigestDocument, item: SwotItem): DigestMention[] | null {
  if (!doc.swotSamples) return null;
  const byId = new Map(doc.swotSamples.map((m) => [m.id, m]));
  return item.evidence.sampleMentionIds.flatMap((id) => byId.get(id) ?? []).slice(0, SWOT_EXAMPLES);
}

/**
 * "12 mentions, net −1.00, Beta", with each brand name a piece of its own; for a document without
 * the samples' words, "; sample mentions 81, 82" after it.
 */
export function evidencePieces(doc: DigestDocument, item: SwotItem, nameOf: (id: string) => string): Piece[] {
  const ids = doc.swotSamples ? [] : item.evidence.sampleMentionIds;
  const samples = ids.length ? `; sample mentions ${ids.join(', ')}` : '';
  const { mentions, scored } = item.evidence;
  // Net sentiment is over the scored mentions; digests made before `scored` was recorded lack it.
  const ofThem = scored !== undefined && scored !== mentions ? ` (${scored} scored)` : '';
  const names = item.evidence.brandIds.flatMap((id, i) => [...(i ? [fixed(', ')] : []), user(nameOf(id))]);
  return [fixed(`${plural(mentions, 'mention')}${ofThem}, net ${formatNet(item.evidence.netSentiment)}, `), ...names, ...(samples ? [fixed(samples)] : [])];
}

/**
 * A SWOT sentence (summary or reason) in pieces: made by the SWOT module as one string, with the
 * brand names and the item's theme inside; those are found again to be isolated.
 */
export function swotPieces(doc: DigestDocument, sentence: string, theme?: string): Piece[] {
  return findNames(sentence, { names: doc.brands.map((b) => b.name), theme });
}

export const MENTION_EXCERPT = 240;
