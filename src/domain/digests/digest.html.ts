import type { DigestLanguage } from '../i18n/languages.js';
import { renderTrendPng } from './digest.png.js';
import { chartGeometry, renderTrendSvg } from './digest.chart.js';
import { htmlPieces, mark, markedPieces, unmarked } from './digest.bidi.js';
import { cleanText, escapeHtml, excerpt, htmlText, safeUrl } from './digest.escape.js';
import {
  MENTION_EXCERPT, brandNames, emailNote, emptyHeadline, formatBrandNet, formatBrandShare, formatGrowth, formatMentions, formatNet, keywordsNote, mentionDate,
  mentionDirection, mentionWords, partialDayLabels, partialDays, periodLabel, renderSections, roleName, trendNote,
} from './digest.format.js';
import { digestLocale, localeOf, type DigestLocale } from './digest.locale.js';
import { sourcesNote } from './digest.notes.js';
import { EXAMPLE_EXCERPT, evidencePieces, summaryPieces, swotExamples, swotSection } from './digest.swot.js';
import type { DigestDocument, DigestMention, DigestSwotItem, DigestTrendingTerm } from './digest.types.js';

// Inline styles only: mail clients drop <style> blocks and never load external sheets. Sides are
// physical (left, right), not logical (start, end), which older mail clients ignore: a Persian
// digest swaps them (SIDES).
const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const SIDES = { ltr: { start: 'left', end: 'right' }, rtl: { start: 'right', end: 'left' } } as const;
const styles = (dir: 'ltr' | 'rtl') => ({
  h1: `${FONT}font-size:22px;margin:0 0 4px;color:#111;`,
  h2: `${FONT}font-size:17px;margin:24px 0 8px;color:#111;border-bottom:1px solid #ddd;padding-bottom:4px;`,
  h3: `${FONT}font-size:15px;margin:16px 0 6px;color:#333;`,
  p: `${FONT}font-size:14px;color:#333;margin:0 0 8px;`,
  muted: `${FONT}font-size:13px;color:#777;margin:0 0 8px;`,
  // Automatic layout: each column as wide as its words need, so that on a phone a brand name is
  // not cut mid-word into an equal share of the width. Only free text may break anywhere (below).
  table: 'border-collapse:collapse;width:100%;',
  th: `${FONT}font-size:12px;text-align:${SIDES[dir].start};color:#555;background:#f4f5f7;padding:6px;border-bottom:1px solid #ddd;`,
  td: `${FONT}font-size:13px;color:#222;padding:6px;border-bottom:1px solid #eee;vertical-align:top;overflow-wrap:break-word;`,
  // A mention's words, a term or a time: may break anywhere, so that a long word (chunked at 30
  // characters) never widens the table past a phone's screen.
  free: 'overflow-wrap:anywhere;',
  a: 'color:#0b57d0;text-decoration:underline;',
  positive: 'color:#137333;font-weight:bold;',
  negative: 'color:#b3261e;font-weight:bold;',
  /** A figure's side: right in a left-to-right table. */
  end: SIDES[dir].end,
  start: SIDES[dir].start,
});
type Styles = ReturnType<typeof styles>;
const STYLES = { ltr: styles('ltr'), rtl: styles('rtl') };

/** The pieces of a page, in one language and direction. */
function page(l: DigestLocale) {
  const S: Styles = STYLES[l.dir];
  /**
   * A text cell: dir="auto" lets each cell take the direction of its own script; `dir` sets it, for
   * a mention in a right-to-left language (digest.format.ts mentionDirection).
   */
  const td = (html: string, style = '', dir: 'rtl' | null = null) => `<td dir="${dir ?? 'auto'}" style="${S.td}${style}">${html}</td>`;
  /** A figure: at the end of its cell (right, in a left-to-right table); it wraps at its spaces only ("28 (was 2, +1300%)"). */
  const num = (text: string, style = '') => `<td style="${S.td}text-align:${S.end};${style}">${escapeHtml(text)}</td>`;
  const tableOf = (head: string[], rows: string[]) => `<table role="presentation" cellpadding="0" cellspacing="0" style="${S.table}"><tr>${head.map((h) => `<th style="${S.th}">${escapeHtml(h)}</th>`).join('')}</tr>${rows.join('')}</table>`;
  const h2 = (title: string) => `<h2 style="${S.h2}">${escapeHtml(title)}</h2>`;
  const none = (text: string) => `<p style="${S.muted}">${escapeHtml(text)}</p>`;
  const scoreStyle = (score: number) => (score > 0 ? S.positive : score < 0 ? S.negative : '');
  return { S, td, num, tableOf, h2, none, scoreStyle };
}
type Page = ReturnType<typeof page>;

/** "was 2", "was −0.20", "+24.2 pts": a figure and its word stay on one line when a cell wraps. */
const keepTogether = (text: string) => text.replace(/was (?=[\d+−–])|(?<=\d) pts/gu, (m) => m.replace(' ', '\u00A0'));

function mentionTable(doc: DigestDocument, l: DigestLocale, p: Page, mentions: DigestMention[]): string {
  if (!mentions.length) return p.none(l.m.empty.mentions);
  const nameOf = brandNames(doc);
  const c = l.m.columns;
  // The brand over the date the post was published, on the digest's clock: three columns fit a phone.
  // The cell takes the name's direction (dir="auto"); the date keeps the digest's, or a Latin name
  // in a Persian digest (a Persian one in any other) would turn "2026-12-07 07:13" around.
  return p.tableOf([c.score, c.brand, c.mention], mentions.map((m) => {
    const brand = `${htmlText(nameOf(m.brandId), 40)}<br><span dir="${l.dir}" style="font-size:12px;color:#777;white-space:nowrap;">${escapeHtml(mentionDate(doc, l, m))}</span>`;
    return `<tr>${p.num(l.f.signed(m.score), p.scoreStyle(m.score))}${p.td(brand)}${p.td(mentionLink(l, p, m, MENTION_EXCERPT), p.S.free, mentionDirection(m))}</tr>`;
  }));
}

/** A mention's words, linked to it when it has a safe URL. */
function mentionLink(l: DigestLocale, p: Page, m: DigestMention, max: number): string {
  const words = htmlText(mentionWords(m), max) || escapeHtml(l.m.empty.text);
  const url = safeUrl(m.url);
  return url ? `<a href="${escapeHtml(url)}" style="${p.S.a}">${words}</a>` : words;
}

/** A SWOT item's examples, one a line, each in its own direction. */
function examplesHtml(doc: DigestDocument, l: DigestLocale, p: Page, item: DigestSwotItem): string {
  const examples = swotExamples(doc, item);
  if (!examples?.length) return '';
  return `<ul style="margin:4px 0 0;padding-${p.S.start}:18px;">${examples.map((m) => `<li dir="${mentionDirection(m) ?? 'auto'}" style="${p.S.muted}margin:0 0 2px;${p.S.free}">${mentionLink(l, p, m, EXAMPLE_EXCERPT)}</li>`).join('')}</ul>`;
}

function trendingTable(l: DigestLocale, p: Page, terms: DigestTrendingTerm[], hash = ''): string {
  if (!terms.length) return p.none(l.m.empty.trending);
  const c = l.m.columns;
  return p.tableOf([c.term, c.mentions, c.previous, c.growth], terms.map((t) =>
    `<tr>${p.td(htmlText(`${hash}${t.term}`, 60), p.S.free)}${p.num(l.f.count(t.mentions))}${p.num(l.f.count(t.previous))}${p.num(formatGrowth(l, t))}</tr>`));
}

/**
 * Where the trend chart comes from. Inline SVG suits browsers and the API; many mail clients drop
 * SVG and data: images, so an e-mail is better off with the PNG attached and referenced by its
 * Content-ID (`{ cid }`, with `renderTrendPngBytes` as the attachment).
 */
export type ChartOption = 'svg' | 'png' | 'svg+png' | { cid: string };

/** The chart's alternative text in English; each digest's is in its language (the catalogue's `chart.alt`). */
export const CHART_ALT = localeOf('en').m.chart.alt;

/** Null when every day is whole; else which are not, and why their lines dip. */
function partialDaysNote(doc: DigestDocument, l: DigestLocale, marked = false): string | null {
  const cuts = partialDayLabels(doc, l);
  return cuts.length ? l.m.chart.partialDays({ cuts, marked }) : null;
}

/**
 * What the PNG cannot say, as HTML around it: which colour is which brand, and the day-by-day
 * figures, partial days marked; and the scale of each panel in words. The PNG draws its scales
 * and days but no names, which may be in any script (digest.png.ts), and a mail client may not
 * show it at all.
 */
function chartLabels(doc: DigestDocument, l: DigestLocale, p: Page): string {
  const { S } = p;
  const g = chartGeometry(doc);
  const partial = new Map(partialDays(doc, l).map((d) => [d.date, d.cut]));
  const swatch = (color: string) => `<span style="color:${color};font-size:14px;" aria-hidden="true">&#9632;</span>`;
  const legend = g.series.map((s) => `<span style="white-space:nowrap;margin-${S.end}:12px;">${swatch(s.color)}&nbsp;<bdi>${htmlText(s.name, 40)}</bdi></span>`).join(' ');
  const first = g.dates[0] ?? '';
  const last = g.dates[g.dates.length - 1] ?? '';
  // The scale as the chart draws it, and the busiest day on it (the axis rounds up: 9 is drawn on 0 to 10).
  const scale = l.m.chart.scale({
    top: l.f.count(g.volumeTop),
    max: l.f.count(g.maxVolume),
    first: first && l.f.calendarDate(first),
    last: last !== first ? l.f.calendarDate(last) : null,
  });
  const partialNote = partialDaysNote(doc, l, true);
  const head = `<tr><th style="${S.th}">${escapeHtml(l.m.columns.day)}</th>${g.series.map((s) => `<th dir="auto" style="${S.th}">${swatch(s.color)}&nbsp;<bdi>${htmlText(s.name, 40)}</bdi></th>`).join('')}</tr>`;
  // One row a day, so cells carry a short style: a long period has many of them. They wrap at
  // their spaces ("11-30* (from 11:30)" on two lines on a phone) rather than run into the next.
  const cell = `${FONT}font-size:12px;color:#222;padding:2px 6px;border-bottom:1px solid #eee;`;
  const rows = g.dates.map((date, i) => {
    const cut = partial.get(date);
    const day = `<td style="${cell}">${escapeHtml(l.f.day(date))}${cut ? `* (${escapeHtml(cut)})` : ''}</td>`;
    return `<tr>${day}${g.series.map((s) => `<td style="${cell}text-align:${S.end};">${escapeHtml(l.f.count(s.volume[i] ?? 0))} (${escapeHtml(formatNet(l, s.net[i] ?? null))})</td>`).join('')}</tr>`;
  });
  return [
    `<p dir="${l.dir}" style="${S.p}margin-top:8px;">${legend}</p>`,
    `<p style="${S.muted}">${escapeHtml(scale)}</p>`,
    partialNote ? p.none(partialNote) : '',
    `<p style="${S.muted}">${escapeHtml(l.m.chart.dailyFigures)}</p>`,
    `<table role="presentation" cellpadding="0" cellspacing="0" style="${S.table}">${head}${rows.join('')}</table>`,
  ].join('');
}

function chartHtml(doc: DigestDocument, l: DigestLocale, p: Page, chart: ChartOption): string {
  // width:100% in the style: with images blocked, a mail client otherwise keeps the attributes'
  // 600 px for the empty box, and the page grows wider than a phone's screen.
  const img = (src: string) => `<img src="${escapeHtml(src)}" width="600" height="220" alt="${escapeHtml(l.m.chart.alt)}" style="display:block;border:0;width:100%;max-width:600px;height:auto;margin-top:8px;">`;
  if (typeof chart === 'object') return `${img(`cid:${chart.cid}`)}${chartLabels(doc, l, p)}`;
  // The SVG names the brands and the dates itself; only the shading needs saying.
  const partialNote = partialDaysNote(doc, l);
  return [
    chart === 'svg' || chart === 'svg+png' ? renderTrendSvg(doc, { lang: l.lang }) : '',
    chart === 'png' || chart === 'svg+png' ? img(renderTrendPng(doc)) : '',
    partialNote ? p.none(partialNote) : '',
  ].join('');
}

/**
 * The digest as one e-mail-safe HTML page: UTF-8, tables and inline CSS, no external resource;
 * the only URLs are the links to mentions. Written in the digest's language, or `lang`: the page
 * says which (`lang`) and its direction (`dir`, right to left in Persian), and every sentence and
 * list takes that direction, with the names, themes and terms inside isolated (<bdi>).
 */
export function renderHtml(doc: DigestDocument, { chart = 'svg', lang }: { chart?: ChartOption; lang?: DigestLanguage | undefined } = {}): string {
  const l = digestLocale(doc, lang);
  const p = page(l);
  const { S } = p;
  const c = l.m.columns;
  const nameOf = brandNames(doc);
  const title = unmarked(l.m.title(doc.workspace.name));
  const trend = `${p.none(trendNote(doc, l))}${doc.sentimentTrend.some((s) => s.days.length) ? chartHtml(doc, l, p, chart) : p.none(l.m.empty.data)}`;
  const note = keywordsNote(doc, l);
  const list = `margin:0 0 8px;padding-${S.start}:20px;`;
  // Four columns, the role under the name and the change beside the count, so the table fits a phone.
  const body = renderSections(doc, l, p.h2, {
    brands: () => (doc.brands.length
      ? p.tableOf([c.brand, c.mentions, c.shareOfVoice, c.netSentiment], doc.brands.map((b) =>
        `<tr>${p.td(`${htmlText(b.name, 60)}<br><span style="font-size:12px;color:#777;">${escapeHtml(roleName(l, b.role))}</span>`)}${p.num(keepTogether(formatMentions(l, b)))}${p.num(keepTogether(formatBrandShare(doc, l, b)))}${p.num(keepTogether(formatBrandNet(l, b)))}</tr>`))
      : p.none(l.m.empty.brands)),
    trend: () => trend,
    positive: () => mentionTable(doc, l, p, doc.topPositive),
    negative: () => mentionTable(doc, l, p, doc.topNegative),
    hashtags: () => trendingTable(l, p, doc.trendingHashtags, '#'),
    keywords: () => `${note ? p.none(note) : ''}${trendingTable(l, p, doc.trendingKeywords)}`,
    alerts: () => (doc.alerts.length
      ? p.tableOf([c.fired, c.brand, c.observed, c.expected, c.score], doc.alerts.map((a) =>
        `<tr>${p.td(escapeHtml(l.lang === 'en' ? a.firedAt : l.f.dateTime(a.firedAt, doc.period.timeZone)), S.free)}${p.td(htmlText(nameOf(a.brandId), 40))}${p.num(l.f.count(a.observed))}${p.num(l.f.fixed(a.expected, 1))}${p.num(l.f.fixed(a.score, 2))}</tr>`))
      : p.none(l.m.empty.alerts)),
    // The sentences are the digest's language's (its dir); the names and themes inside them are isolated.
    swot: () => swotSection(doc, l, {
      excerpt: 1000,
      message: (pieces) => `<p dir="${l.dir}" style="${S.muted}">${htmlPieces(pieces)}</p>`,
      quadrant: (title, items) => `<h3 style="${S.h3}">${escapeHtml(title)}</h3>${items.length
        ? `<ul dir="${l.dir}" style="${list}">${items.map((item) => `<li dir="${l.dir}" style="${S.p}">${htmlPieces(summaryPieces(doc, l, item, 1000))}<br><span style="${S.muted}">${htmlPieces(evidencePieces(doc, l, item, nameOf))}</span>${examplesHtml(doc, l, p, item)}</li>`).join('')}</ul>`
        : p.none(l.m.empty.items)}`,
    }),
  });
  const headline = emptyHeadline(doc, l);
  const sources = sourcesNote(doc, l);
  const email = emailNote(doc, l);
  body.unshift(
    `<h1 dir="${l.dir}" style="${S.h1}">${htmlPieces(markedPieces(l.m.title(mark(excerpt(doc.workspace.name, 100)))))}</h1>`,
    `<p style="${S.muted}">${escapeHtml(periodLabel(doc, l))}</p>`,
    ...(headline ? [`<p style="${S.p}font-weight:bold;">${escapeHtml(headline)}</p>`] : []),
    // Lines of the digest's language with the sources' targets and errors isolated inside; they may break anywhere (a long URL).
    ...(sources ? [`<p style="${S.p}">${escapeHtml(sources.line)}</p>${sources.failing.length
      ? `<ul dir="${l.dir}" style="${list}">${sources.failing.map((pieces) => `<li dir="${l.dir}" style="${S.muted}margin:0 0 2px;${S.free}">${htmlPieces(pieces)}</li>`).join('')}</ul>`
      : ''}`] : []),
    ...(email ? [p.none(email)] : []),
  );
  return [
    '<!DOCTYPE html>',
    `<html lang="${l.lang}" dir="${l.dir}">`,
    '<head><meta charset="utf-8"><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(cleanText(title))}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f5f7;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;"><tr><td align="center" style="padding:16px;">',
    '<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="width:100%;max-width:640px;background:#ffffff;"><tr><td style="padding:20px;">',
    body.join('\n'),
    '</td></tr></table>',
    '</td></tr></table>',
    '</body></html>',
    '',
  ].join('\n');
}
