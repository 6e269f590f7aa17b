import { renderTrendPng } from './digest.png.js';
import { renderTrendSvg } from './digest.chart.js';
import { cleanText, escapeHtml, htmlText, safeUrl } from './digest.escape.js';
import {
  MENTION_EXCERPT, brandNames, evidenceLine, formatChange, formatGrowth, formatNet, formatShare, keywordsNote, mentionWords, periodLabel, renderSections, signed, swotSection, trendNote,
} from './digest.format.js';
import type { DigestDocument, DigestMention, DigestTrendingTerm } from './digest.types.js';

// Inline styles only: mail clients drop <style> blocks and never load external sheets.
const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const S = {
  h1: `${FONT}font-size:22px;margin:0 0 4px;color:#111;`,
  h2: `${FONT}font-size:17px;margin:24px 0 8px;color:#111;border-bottom:1px solid #ddd;padding-bottom:4px;`,
  h3: `${FONT}font-size:15px;margin:16px 0 6px;color:#333;`,
  p: `${FONT}font-size:14px;color:#333;margin:0 0 8px;`,
  muted: `${FONT}font-size:13px;color:#777;margin:0 0 8px;`,
  table: 'border-collapse:collapse;width:100%;table-layout:fixed;',
  th: `${FONT}font-size:12px;text-align:left;color:#555;background:#f4f5f7;padding:6px 8px;border-bottom:1px solid #ddd;`,
  td: `${FONT}font-size:13px;color:#222;padding:6px 8px;border-bottom:1px solid #eee;vertical-align:top;overflow-wrap:anywhere;word-break:break-word;`,
  a: 'color:#0b57d0;text-decoration:underline;',
  positive: 'color:#137333;font-weight:bold;',
  negative: 'color:#b3261e;font-weight:bold;',
};

/** A text cell: dir="auto" lets each cell take the direction of its own script. */
const td = (html: string, style = '') => `<td dir="auto" style="${S.td}${style}">${html}</td>`;
const num = (text: string, style = '') => `<td style="${S.td}text-align:right;white-space:nowrap;${style}">${escapeHtml(text)}</td>`;
const tableOf = (head: string[], rows: string[]) => `<table role="presentation" cellpadding="0" cellspacing="0" style="${S.table}"><tr>${head.map((h) => `<th style="${S.th}">${escapeHtml(h)}</th>`).join('')}</tr>${rows.join('')}</table>`;
const h2 = (title: string) => `<h2 style="${S.h2}">${escapeHtml(title)}</h2>`;
const none = (text: string) => `<p style="${S.muted}">${escapeHtml(text)}</p>`;
const scoreStyle = (score: number) => (score > 0 ? S.positive : score < 0 ? S.negative : '');

function mentionTable(doc: DigestDocument, mentions: DigestMention[]): string {
  if (!mentions.length) return none('None in this period.');
  const nameOf = brandNames(doc);
  return tableOf(['Score', 'Brand', 'Mention'], mentions.map((m) => {
    const words = htmlText(mentionWords(m), MENTION_EXCERPT) || '(no text)';
    const url = safeUrl(m.url);
    const body = url ? `<a href="${escapeHtml(url)}" style="${S.a}">${words}</a>` : words;
    return `<tr>${num(signed(m.score), scoreStyle(m.score))}${td(htmlText(nameOf(m.brandId), 40))}${td(body)}</tr>`;
  }));
}

function trendingTable(terms: DigestTrendingTerm[], hash = ''): string {
  if (!terms.length) return none('Nothing trending.');
  return tableOf(['Term', 'Mentions', 'Previous', 'Growth'], terms.map((t) =>
    `<tr>${td(htmlText(`${hash}${t.term}`, 60))}${num(String(t.mentions))}${num(String(t.previous))}${num(formatGrowth(t))}</tr>`));
}

/**
 * Where the trend chart comes from. Inline SVG suits browsers and the API; many mail clients drop
 * SVG and data: images, so an e-mail is better off with the PNG attached and referenced by its
 * Content-ID (`{ cid }`, with `renderTrendPngBytes` as the attachment).
 */
export type ChartOption = 'svg' | 'png' | 'svg+png' | { cid: string };

export const CHART_ALT = 'Daily mentions and net sentiment per brand';

function chartHtml(doc: DigestDocument, chart: ChartOption): string {
  const img = (src: string) => `<img src="${escapeHtml(src)}" width="600" height="220" alt="${CHART_ALT}" style="display:block;border:0;max-width:100%;margin-top:8px;">`;
  if (typeof chart === 'object') return img(`cid:${chart.cid}`);
  return [
    chart === 'svg' || chart === 'svg+png' ? renderTrendSvg(doc) : '',
    chart === 'png' || chart === 'svg+png' ? img(renderTrendPng(doc)) : '',
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
  const body = renderSections(h2, {
    brands: () => (doc.brands.length
      ? tableOf(['Brand', 'Role', 'Mentions', 'Change', 'Share of voice', 'Net sentiment'], doc.brands.map((b) =>
        `<tr>${td(htmlText(b.name, 60))}${td(escapeHtml(b.role))}${num(String(b.mentions))}${num(formatChange(b.mentions, b.previousMentions))}${num(formatShare(b.share))}${num(formatNet(b.netSentiment))}</tr>`))
      : none('No brands.')),
    trend: () => trend,
    positive: () => mentionTable(doc, doc.topPositive),
    negative: () => mentionTable(doc, doc.topNegative),
    hashtags: () => trendingTable(doc.trendingHashtags, '#'),
    keywords: () => `${note ? none(note) : ''}${trendingTable(doc.trendingKeywords)}`,
    alerts: () => (doc.alerts.length
      ? tableOf(['Fired', 'Brand', 'Observed', 'Expected', 'Score'], doc.alerts.map((a) =>
        `<tr>${td(escapeHtml(a.firedAt))}${td(htmlText(nameOf(a.brandId), 40))}${num(String(a.observed))}${num(a.expected.toFixed(1))}${num(a.score.toFixed(2))}</tr>`))
      : none('No alerts fired.')),
    swot: () => swotSection(doc, {
      message: none,
      quadrant: (title, items) => `<h3 style="${S.h3}">${escapeHtml(title)}</h3>${items.length
        ? `<ul style="margin:0 0 8px;padding-left:20px;">${items.map((item) => `<li dir="auto" style="${S.p}">${htmlText(item.summary, 1000)}<br><span style="${S.muted}">${htmlText(evidenceLine(item, nameOf), 1000)}</span></li>`).join('')}</ul>`
        : none('None.')}`,
    }),
  });
  body.unshift(`<h1 dir="auto" style="${S.h1}">${htmlText(title, 120)}</h1>`, `<p style="${S.muted}">${escapeHtml(periodLabel(doc))}</p>`);
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
