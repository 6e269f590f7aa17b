import type { DigestLanguage } from '../i18n/languages.js';
import { mark, markedPieces, plainLine, plainPieces, user, type Piece } from './digest.bidi.js';
import { excerpt, markdownEscape, markdownText, safeUrl } from './digest.escape.js';
import {
  MENTION_EXCERPT, brandNames, dayFigure, emailNote, emptyHeadline, formatBrandNet, formatBrandShare, formatChange, formatGrowth, keywordsNote, mentionDate,
  mentionDirection, mentionWords, periodLabel, renderSections, roleName, trendNote,
} from './digest.format.js';
import { digestLocale, type DigestLocale } from './digest.locale.js';
import { sourcesNote } from './digest.notes.js';
import { EXAMPLE_EXCERPT, evidencePieces, summaryPieces, swotExamples, swotSection } from './digest.swot.js';
import type { DigestDocument, DigestMention, DigestSwotItem, DigestTrendingTerm } from './digest.types.js';

const RLM = '\u200F';
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

// Angle brackets let a link destination hold parentheses; what would end it is percent-encoded,
// and so is `|`: GitHub-flavoured tables split a row on every unescaped pipe, links included.
const linkTarget = (url: string) => `<${url.replace(/[<>|\s]/gu, encodeURIComponent)}>`;

/**
 * A template line (list item, not a table cell) with its names isolated where their direction is
 * not the line's: Markdown has no dir attribute, and Unicode's marks pass through to the rendered
 * HTML, where browsers honour them (digest.bidi.ts explains which marks and when).
 */
const line = (l: DigestLocale, pieces: Piece[]) => plainPieces(pieces, markdownEscape, l.dir);
/** A line of the language's own words, escaped, and marked right to left in Persian when it would not start so. */
const said = (l: DigestLocale, text: string) => plainLine(markdownEscape(text), l.dir);
/** The same for a note, cleaned and cut as mention text is. */
const noted = (l: DigestLocale, text: string) => plainLine(markdownText(text), l.dir);

function mentionRows(doc: DigestDocument, l: DigestLocale, mentions: DigestMention[]): string {
  if (!mentions.length) return `_${said(l, l.m.empty.mentions)}_`;
  const nameOf = brandNames(doc);
  const c = l.m.columns;
  return table([c.score, c.brand, c.published, c.mention].map(markdownEscape), mentions.map((m) => {
    const words = markdownText(mentionWords(m), MENTION_EXCERPT) || markdownEscape(l.m.empty.text);
    const url = safeUrl(m.url);
    // A cell's direction is its first strong character's; an RLM puts a right-to-left post that
    // starts with a Latin brand name right to left.
    const rtl = mentionDirection(m) === 'rtl' ? RLM : '';
    return [l.f.signed(m.score), markdownText(nameOf(m.brandId)), mentionDate(doc, l, m), `${rtl}${url ? `[${words}](${linkTarget(url)})` : words}`];
  }));
}

/** A SWOT item's examples as a list nested in its item, each linked when it has a safe URL. */
function exampleLines(doc: DigestDocument, l: DigestLocale, item: DigestSwotItem): string {
  return (swotExamples(doc, item) ?? []).map((m) => {
    const words = line(l, [user(excerpt(mentionWords(m), EXAMPLE_EXCERPT), mentionDirection(m))]) || markdownEscape(l.m.empty.text);
    const url = safeUrl(m.url);
    return `\n  - ${url ? `[${words}](${linkTarget(url)})` : words}`;
  }).join('');
}

function trendingRows(l: DigestLocale, terms: DigestTrendingTerm[], hash = ''): string {
  if (!terms.length) return `_${said(l, l.m.empty.trending)}_`;
  const c = l.m.columns;
  return table([c.term, c.mentions, c.previous, c.growth].map(markdownEscape), terms.map((t) => [
    markdownText(`${hash}${t.term}`), l.f.count(t.mentions), l.f.count(t.previous), formatGrowth(l, t),
  ]));
}

/** The digest as Markdown (GitHub-flavoured tables), in the digest's language or `lang`; every piece of mention text is escaped. */
export function renderMarkdown(doc: DigestDocument, { lang }: { lang?: DigestLanguage | undefined } = {}): string {
  const l = digestLocale(doc, lang);
  const nameOf = brandNames(doc);
  const c = l.m.columns;
  const out = renderSections(doc, l, (title) => `## ${said(l, title)}`, {
    brands: () => (doc.brands.length
      ? table([c.brand, c.role, c.mentions, c.change, c.shareOfVoice, c.netSentiment].map(markdownEscape), doc.brands.map((b) => [
        markdownText(b.name), markdownEscape(roleName(l, b.role)), l.m.countWas({ mentions: l.f.count(b.mentions), previous: l.f.count(b.previousMentions) }),
        formatChange(l, b.mentions, b.previousMentions), formatBrandShare(doc, l, b), formatBrandNet(l, b),
      ]))
      : `_${said(l, l.m.empty.brands)}_`),
    // Only the name is escaped here: the figures' parentheses are template text, and stay as they were.
    trend: () => `_${noted(l, trendNote(doc, l))}_\n\n${doc.sentimentTrend.map((s) => `- ${plainPieces(markedPieces(l.m.brandDays({
      name: mark(markdownText(nameOf(s.brandId))),
      days: s.days.map((d) => dayFigure(l, d)).join(l.m.comma) || l.m.empty.days,
    })), undefined, l.dir)}`).join('\n') || `_${said(l, l.m.empty.data)}_`}`,
    positive: () => mentionRows(doc, l, doc.topPositive),
    negative: () => mentionRows(doc, l, doc.topNegative),
    hashtags: () => trendingRows(l, doc.trendingHashtags, '#'),
    keywords: () => {
      const note = keywordsNote(doc, l);
      return `${note ? `_${noted(l, note)}_\n\n` : ''}${trendingRows(l, doc.trendingKeywords)}`;
    },
    alerts: () => (doc.alerts.length
      ? table([c.fired, c.brand, c.observed, c.expected, c.score].map(markdownEscape), doc.alerts.map((a) => [
        l.lang === 'en' ? a.firedAt : l.f.dateTime(a.firedAt, doc.period.timeZone), markdownText(nameOf(a.brandId)), l.f.count(a.observed), l.f.fixed(a.expected, 1), l.f.fixed(a.score, 2),
      ]))
      : `_${said(l, l.m.empty.alerts)}_`),
    swot: () => swotSection(doc, l, {
      excerpt: 300,
      message: (pieces) => `_${line(l, pieces)}_`,
      quadrant: (title, items) => `### ${said(l, title)}\n\n${items.length
        ? items.map((item) => `- ${line(l, summaryPieces(doc, l, item, 1000))}  \n  ${line(l, evidencePieces(doc, l, item, nameOf))}${exampleLines(doc, l, item)}`).join('\n')
        : `_${said(l, l.m.empty.items)}_`}`,
    }),
  });
  const headline = emptyHeadline(doc, l);
  const sources = sourcesNote(doc, l);
  const email = emailNote(doc, l);
  out.unshift(
    `# ${line(l, markedPieces(l.m.title(mark(excerpt(doc.workspace.name)))))}`,
    plainLine(periodLabel(doc, l), l.dir),
    ...(headline ? [`**${said(l, headline)}**`] : []),
    ...(sources ? [[said(l, sources.line), sources.failing.map((pieces) => `- ${line(l, pieces)}`).join('\n')].filter(Boolean).join('\n\n')] : []),
    ...(email ? [`_${said(l, email)}_`] : []),
  );
  return `${out.join('\n\n')}\n`;
}
