import { renderTrendPng } from './digest.png.js';
import { chartGeometry, renderTrendSvg } from './digest.chart.js';
import { fixed, htmlPieces, user } from './digest.bidi.js';
import { cleanText, escapeHtml, excerpt, htmlText, safeUrl } from './digest.escape.js';
import {
  EXAMPLE_EXCERPT, MENTION_EXCERPT, brandNames, emailNote, emptyHeadline, evidencePieces, formatBrandNet, formatBrandShare, formatGrowth, formatMentions,
  formatNet, keywordsNote, mentionDate, mentionDirection, mentionWords, partialDays, periodLabel, renderSections, signed, sourcesNote, swotExamples,
  swotPieces, swotSection, trendNote,
} from './digest.format.js';
import type { SwotItem } from '../swot/swot.types.js';
import type { DigestDocument, DigestMention, DigestTrendingTerm } from './digest.types.js';

// Inline styles only: mail clients drop <style> blocks and never load external sheets.
const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const S = {
  h1: `${FONT}font-size:22px;margin:0 0 4px;color:#111;`,
  h2: `${FONT}font-size:17px;margin:24px 0 8px;color:#111;border-bottom:1px solid #ddd;padding-bottom:4px;`,
  h3: `${FONT}font-size:15px;margin:16px 0 6px;color:#333;`,
  p: `${FONT}font-size:14px;color:#333;margin:0 0 8px;`,
  muted: `${FONT}font-size:13px;color:#777;margin:0 0 8px;`,
  // Automatic layout: each column as wide as its words need, so that on a phone a brand name is
  // not cut mid-word into an equal share of the width. Only free text may break anywhere (below).
  table: 'border-collapse:collapse;width:100%;',
  th: `${FONT}font-size:12px;text-align:left;color:#555;background:#f4f5f7;padding:6px;border-bottom:1px solid #ddd;`,
  td: `${FONT}font-size:13px;color:#222;padding:6px;border-bottom:1px solid #eee;vertical-align:top;overflow-wrap:break-word;`,
  // A mention's words, a term or a time: may break anywhere, so that a long word (chunked at 30
  // characters) never widens the table past a phone's screen.
  free: 'overflow-wrap:anywhere;',
  a: 'color:#0b57d0;text-decoration:underline;',
  positive: 'color:#137333;font-weight:bold;',
  negative: 'color:#b3261e;font-weight:bold;',
};

/**
 * A text cell: dir="auto" lets each cell take the direction of its own script; `dir` sets it, for
 * a mention in a right-to-left language (digest.format.ts mentionDirection).
 */
const td = (html: string, style = '', dir: 'rtl' | null = null) => `<td dir="${dir ?? 'auto'}" style="${S.td}${style}">${html}</td>`;
/** A figure: right-aligned; it wraps at its spaces only ("28 (was 2, +1300%)"). */
const num = (text: string, style = '') => `<td style="${S.td}text-align:right;${style}">${escapeHtml(text)}</td>`;
const tableOf = (head: string[], rows: string[]) => `<table role="presentation" cellpadding="0" cellspacing="0" style="${S.table}"><tr>${head.map((h) => `<th style="${S.th}">${escapeHtml(h)}</th>`).join('')}</tr>${rows.join('')}</table>`;
/** "was 2", "was −0.20", "+24.2 pts": a figure and its word stay on one line when a cell wraps. */
const keepTogether = (text: string) => text.replace(/was (?=[\d+−–])|(?<=\d) pts/gu, (m) => m.replace(' ', '\u00A0'));
const h2 = (title: string) => `<h2 style="${S.h2}">${escapeHtml(title)}</h2>`;
const none = (text: string) => `<p style="${S.muted}">${escapeHtml(text)}</p>`;
const scoreStyle = (score: number) => (score > 0 ? S.positive : score < 0 ? S.negative : '');

function mentionTable(doc: DigestDocument, mentions: DigestMention[]): string {
  if (!mentions.length) return none('None in this period.');
  const nameOf = brandNames(doc);
  // The brand over the date the post was published, on the digest's clock: three columns fit a phone.
  return tableOf(['Score', 'Brand', 'Mention'], mentions.map((m) => {
    const brand = `${htmlText(nameOf(m.brandId), 40)}<br><span style="font-size:12px;color:#777;white-space:nowrap;">${escapeHtml(mentionDate(doc, m))}</span>`;
    return `<tr>${num(signed(m.score), scoreStyle(m.score))}${td(brand)}${td(mentionLink(m, MENTION_EXCERPT), S.free, mentionDirection(m))}</tr>`;
  }));
}

/** A mention's words, linked to it when it has a safe URL. */
function mentionLink(m: DigestMention, max: number): string {
  const words = htmlText(mentionWords(m), max) || '(no text)';
  const url = safeUrl(m.url);
  return url ? `<a href="${escapeHtml(url)}" style="${S.a}">${words}</a>` : words;
}

/** A SWOT item's examples, one a line, each in its own direction. */
function examplesHtml(doc: DigestDocument, item: SwotItem): string {
  const examples = swotExamples(doc, item);
  if (!examples?.length) return '';
  return `<ul style="margin:4px 0 0;padding-left:18px;">${examples.map((m) => `<li dir="${mentionDirection(m) ?? 'auto'}" style="${S.muted}margin:0 0 2px;${S.free}">${mentionLink(m, EXAMPLE_EXCERPT)}</li>`).join('')}</ul>`;
}

function trendingTable(terms: DigestTrendingTerm[], hash = ''): string {
  if (!terms.length) return none('Nothing trending.');
  return tableOf(['Term', 'Mentions', 'Previous', 'Growth'], terms.map((t) =>
    `<tr>${td(htmlText(`${hash}${t.term}`, 60), S.free)}${num(String(t.mentions))}${num(String(t.previous))}${num(formatGrowth(t))}</tr>`));
}

/**
 * Where the trend chart comes from. Inline SVG suits browsers and the API; many mail clients drop
 * SVG and data: images, so an e-mail is better off with the PNG attached and referenced by its
 * Content-ID (`{ cid }`, with `renderTrendPngBytes` as the attachment).
 */
export type ChartOption = 'svg' | 'png' | 'svg+png' | { cid: string };

export const CHART_ALT = 'Daily mentions and net sentiment per brand';

/** Null when every day is whole; else which are not, and why their lines dip. */
function partialDaysNote(doc: DigestDocument, mark = ''): string | null {
  const cuts = partialDays(doc).map((p) => `${p.date.slice(5)} ${p.cut}`);
  return cuts.length
    ? `Partial days${mark}, shaded in the chart: ${cuts.join(', ')}. They cover only part of a day, so their figures are lower and the lines dip there.`
    : null;
}

/**
 * What the PNG cannot say, as HTML around it: which colour is which brand, and the day-by-day
 * figures, partial days marked; and the scale of each panel in words. The PNG draws its scales
 * and days but no names, which may be in any script (digest.png.ts), and a mail client may not
 * show it at all.
 */
function chartLabels(doc: DigestDocument): string {
  const g = chartGeometry(doc);
  const partial = new Map(partialDays(doc).map((p) => [p.date, p.cut]));
  const swatch = (color: string) => `<span style="color:${color};font-size:14px;" aria-hidden="true">&#9632;</span>`;
  const legend = g.series.map((s) => `<span style="white-space:nowrap;margin-right:12px;">${swatch(s.color)}&nbsp;<bdi>${htmlText(s.name, 40)}</bdi></span>`).join(' ');
  const first = g.dates[0] ?? '';
  const last = g.dates[g.dates.length - 1] ?? '';
  // The scale as the chart draws it, and the busiest day on it (the axis rounds up: 9 is drawn on 0 to 10).
  const scale = `Top: mentions per day, on a scale of 0 to ${g.volumeTop} (the most in a day: ${g.maxVolume}). Bottom: net sentiment per day, −1 to +1. Left to right: ${first}${last !== first ? ` to ${last}` : ''}, one point a day.`;
  const partialNote = partialDaysNote(doc, ' (*)');
  const head = `<tr><th style="${S.th}">Day</th>${g.series.map((s) => `<th dir="auto" style="${S.th}">${swatch(s.color)}&nbsp;<bdi>${htmlText(s.name, 40)}</bdi></th>`).join('')}</tr>`;
  // One row a day, so cells carry a short style: a long period has many of them. They wrap at
  // their spaces ("11-30* (from 11:30)" on two lines on a phone) rather than run into the next.
  const cell = `${FONT}font-size:12px;color:#222;padding:2px 6px;border-bottom:1px solid #eee;`;
  const rows = g.dates.map((date, i) => {
    const cut = partial.get(date);
    const day = `<td style="${cell}">${escapeHtml(date.slice(5))}${cut ? `* (${escapeHtml(cut)})` : ''}</td>`;
    return `<tr>${day}${g.series.map((s) => `<td style="${cell}text-align:right;">${s.volume[i]} (${escapeHtml(formatNet(s.net[i] ?? null))})</td>`).join('')}</tr>`;
  });
  return [
    `<p dir="ltr" style="${S.p}margin-top:8px;">${legend}</p>`,
    `<p style="${S.muted}">${escapeHtml(scale)}</p>`,
    partialNote ? none(partialNote) : '',
    `<p style="${S.muted}">Mentions per day (net sentiment):</p>`,
    `<table role="presentation" cellpadding="0" cellspacing="0" style="${S.table}">${head}${rows.join('')}</table>`,
  ].join('');
}

function chartHtml(doc: DigestDocument, chart: ChartOption): string {
  // width:100% in the style: with images blocked, a mail client otherwise keeps the attributes'
  // 600 px for the empty box, and the page grows wider than a phone's screen.
  const img = (src: string) => `<img src="${escapeHtml(src)}" width="600" height="220" alt="${CHART_ALT}" style="display:block;border:0;width:100%;max-width:600px;height:auto;margin-top:8px;">`;
  if (typeof chart === 'object') return `${img(`cid:${chart.cid}`)}${chartLabels(doc)}`;
  // The SVG names the brands and the dates itself; only the shading needs saying.
  const partialNote = partialDaysNote(doc);
  return [
    chart === 'svg' || chart === 'svg+png' ? renderTrendSvg(doc) : '',
    chart === 'png' || chart === 'svg+png' ? img(renderTrendPng(doc)) : '',
    partialNote ? none(partialNote) : '',
  ].join('');
}

/**
 * The digest as one e-mail-safe HTML page: UTF-8, tables and inline CSS, no external resource;
 * the only URLs are the links to mentions.
 */
export function renderHtml(doc: DigestDocument, { chart = 'svg' }: { chart?: ChartOption } = {}): string {
  const nameOf = brandNames(doc);
  const title = `Earshot digest: ${doc.workspace.name}`;
  const trend = `${none(trendNote(doc))}${doc.sentimentTrend.some((s) => s.days.length) ? chartHtml(doc, chart) : none('No data.')}`;
  const note = keywordsNote(doc);
  // Four columns, the role under the name and the change beside the count, so the table fits a phone.
  const body = renderSections(doc, h2, {
    brands: () => (doc.brands.length
      ? tableOf(['Brand', 'Mentions', 'Share of voice', 'Net sentiment'], doc.brands.map((b) =>
        `<tr>${td(`${htmlText(b.name, 60)}<br><span style="font-size:12px;color:#777;">${escapeHtml(b.role)}</span>`)}${num(keepTogether(formatMentions(b)))}${num(keepTogether(formatBrandShare(doc, b)))}${num(keepTogether(formatBrandNet(b)))}</tr>`))
      : none('No brands.')),
    trend: () => trend,
    positive: () => mentionTable(doc, doc.topPositive),
    negative: () => mentionTable(doc, doc.topNegative),
    hashtags: () => trendingTable(doc.trendingHashtags, '#'),
    keywords: () => `${note ? none(note) : ''}${trendingTable(doc.trendingKeywords)}`,
    alerts: () => (doc.alerts.length
      ? tableOf(['Fired', 'Brand', 'Observed', 'Expected', 'Score'], doc.alerts.map((a) =>
        `<tr>${td(escapeHtml(a.firedAt), S.free)}${td(htmlText(nameOf(a.brandId), 40))}${num(String(a.observed))}${num(a.expected.toFixed(1))}${num(a.score.toFixed(2))}</tr>`))
      : none('No alerts fired.')),
    // The sentences are English (dir="ltr"); the names and themes inside them are isolated.
    swot: () => swotSection(doc, {
      message: (text) => `<p dir="ltr" style="${S.muted}">${htmlPieces(swotPieces(doc, excerpt(text, 1000)))}</p>`,
      quadrant: (title, items) => `<h3 style="${S.h3}">${escapeHtml(title)}</h3>${items.length
        ? `<ul dir="ltr" style="margin:0 0 8px;padding-left:20px;">${items.map((item) => `<li dir="ltr" style="${S.p}">${htmlPieces(swotPieces(doc, excerpt(item.summary, 1000), item.theme))}<br><span style="${S.muted}">${htmlPieces(evidencePieces(doc, item, nameOf))}</span>${examplesHtml(doc, item)}</li>`).join('')}</ul>`
        : none('None.')}`,
    }),
  });
  const headline = emptyHeadline(doc);
  const sources = sourcesNote(doc);
  const email = emailNote(doc);
  body.unshift(
    `<h1 dir="ltr" style="${S.h1}">${htmlPieces([fixed('Earshot digest: '), user(excerpt(doc.workspace.name, 100))])}</h1>`,
    `<p style="${S.muted}">${escapeHtml(periodLabel(doc))}</p>`,
    ...(headline ? [`<p style="${S.p}font-weight:bold;">${escapeHtml(headline)}</p>`] : []),
    // English lines with the sources' targets and errors isolated inside; they may break anywhere (a long URL).
    ...(sources ? [`<p style="${S.p}">${escapeHtml(sources.line)}</p>${sources.failing.length
      ? `<ul dir="ltr" style="margin:0 0 8px;padding-left:20px;">${sources.failing.map((pieces) => `<li dir="ltr" style="${S.muted}margin:0 0 2px;${S.free}">${htmlPieces(pieces)}</li>`).join('')}</ul>`
      : ''}`] : []),
    ...(email ? [none(email)] : []),
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
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
