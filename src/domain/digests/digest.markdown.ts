import { fixed, plainPieces, user, type Piece } from './digest.bidi.js';
import { excerpt, markdownEscape, markdownText, safeUrl } from './digest.escape.js';
import {
  EXAMPLE_EXCERPT, MENTION_EXCERPT, brandNames, emailNote, emptyHeadline, evidencePieces, formatBrandNet, formatBrandShare, formatChange, formatGrowth, formatNet,
  keywordsNote, mentionDate, mentionDirection, mentionWords, periodLabel, renderSections, signed, sourcesNote, swotExamples, swotPieces, swotSection, trendNote,
} from './digest.format.js';
import type { SwotItem } from '../swot/swot.types.js';
import type { DigestDocument, DigestMention, DigestTrendingTerm } from './digest.types.js';

const RLM = '\u200F';
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

// Angle brackets let a link destination hold parentheses; what would end it is percent-encoded,
// and so is `|`: GitHub-flavoured tables split a row on every unescaped pipe, links included.
const linkTarget = (url: string) => `<${url.replace(/[<>|\s]/gu, encodeURIComponent)}>`;

/**
 * A template line (list item, not a table cell) with its names isolated where right to left:
 * Markdown has no dir attribute, and Unicode's marks pass through to the rendered HTML, where
 * browsers honour them (digest.bidi.ts explains which marks and when).
 */
const line = (pieces: Piece[]) => plainPieces(pieces, markdownEscape);

function mentionRows(doc: DigestDocument, mentions: DigestMention[]): string {
  if (!mentions.length) return '_None in this period._';
  const nameOf = brandNames(doc);
  return table(['Score', 'Brand', 'Published', 'Mention'], mentions.map((m) => {
    const words = markdownText(mentionWords(m), MENTION_EXCERPT) || '\\(no text\\)';
    const url = safeUrl(m.url);
    // A cell's direction is its first strong character's; an RLM puts a right-to-left post that
    // starts with a Latin brand name right to left.
    const rtl = mentionDirection(m) === 'rtl' ? RLM : '';
    return [signed(m.score), markdownText(nameOf(m.brandId)), mentionDate(doc, m), `${rtl}${url ? `[${words}](${linkTarget(url)})` : words}`];
  }));
}

/** A SWOT item's examples as a list nested in its item, each linked when it has a safe URL. */
function exampleLines(doc: DigestDocument, item: SwotItem): string {
  return (swotExamples(doc, item) ?? []).map((m) => {
    const words = line([user(excerpt(mentionWords(m), EXAMPLE_EXCERPT), mentionDirection(m))]) || '\\(no text\\)';
    const url = safeUrl(m.url);
    return `\n  - ${url ? `[${words}](${linkTarget(url)})` : words}`;
  }).join('');
}

function trendingRows(terms: DigestTrendingTerm[], hash = ''): string {
  if (!terms.length) return '_Nothing trending._';
  return table(['Term', 'Mentions', 'Previous', 'Growth'], terms.map((t) => [
    markdownText(`${hash}${t.term}`), String(t.mentions), String(t.previous), formatGrowth(t),
  ]));
}

/** The digest as Markdown (GitHub-flavoured tables); every piece of mention text is escaped. */
export function renderMarkdown(doc: DigestDocument): string {
  const nameOf = brandNames(doc);
  const out = renderSections(doc, (title) => `## ${title}`, {
    brands: () => (doc.brands.length
      ? table(['Brand', 'Role', 'Mentions', 'Change', 'Share of voice', 'Net sentiment'], doc.brands.map((b) => [
        markdownText(b.name), b.role, `${b.mentions} (was ${b.previousMentions})`, formatChange(b.mentions, b.previousMentions), formatBrandShare(doc, b), formatBrandNet(b),
      ]))
      : '_No brands._'),
    // Only the name is escaped here: the figures' parentheses are template text, and stay as they were.
    trend: () => `_${markdownText(trendNote(doc))}_\n\n${doc.sentimentTrend.map((s) => `- ${plainPieces([
      user(markdownText(nameOf(s.brandId))), fixed(`: ${s.days.map((d) => `${d.date.slice(5)} ${d.mentions} (${formatNet(d.netSentiment)})`).join(', ') || 'no days'}`),
    ])}`).join('\n') || '_No data._'}`,
    positive: () => mentionRows(doc, doc.topPositive),
    negative: () => mentionRows(doc, doc.topNegative),
    hashtags: () => trendingRows(doc.trendingHashtags, '#'),
    keywords: () => {
      const note = keywordsNote(doc);
      return `${note ? `_${markdownText(note)}_\n\n` : ''}${trendingRows(doc.trendingKeywords)}`;
    },
    alerts: () => (doc.alerts.length
      ? table(['Fired', 'Brand', 'Observed', 'Expected', 'Score'], doc.alerts.map((a) => [
        a.firedAt, markdownText(nameOf(a.brandId)), String(a.observed), a.expected.toFixed(1), a.score.toFixed(2),
      ]))
      : '_No alerts fired._'),
    swot: () => swotSection(doc, {
      message: (text) => `_${line(swotPieces(doc, excerpt(text, 300)))}_`,
      quadrant: (title, items) => `### ${title}\n\n${items.length
        ? items.map((item) => `- ${line(swotPieces(doc, excerpt(item.summary, 1000), item.theme))}  \n  ${line(evidencePieces(doc, item, nameOf))}${exampleLines(doc, item)}`).join('\n')
        : '_None._'}`,
    }),
  });
  const headline = emptyHeadline(doc);
  const sources = sourcesNote(doc);
  const email = emailNote(doc);
  out.unshift(
    `# ${line([fixed('Earshot digest: '), user(excerpt(doc.workspace.name))])}`,
    periodLabel(doc),
    ...(headline ? [`**${headline}**`] : []),
    ...(sources ? [[markdownEscape(sources.line), sources.failing.map((pieces) => `- ${line(pieces)}`).join('\n')].filter(Boolean).join('\n\n')] : []),
    ...(email ? [`_${markdownEscape(email)}_`] : []),
  );
  return `${out.join('\n\n')}\n`;
}
