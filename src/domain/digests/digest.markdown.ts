import { markdownText, safeUrl } from './digest.escape.js';
import {
  MENTION_EXCERPT, brandNames, evidenceLine, formatChange, formatGrowth, formatNet, formatShare, keywordsNote, mentionWords, periodLabel, renderSections, signed, swotSection, trendNote,
} from './digest.format.js';
import type { DigestDocument, DigestMention, DigestTrendingTerm } from './digest.types.js';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

// Angle brackets let a link destination hold parentheses; what would end it is percent-encoded.
const linkTarget = (url: string) => `<${url.replace(/[<>\s]/gu, encodeURIComponent)}>`;

function mentionRows(doc: DigestDocument, mentions: DigestMention[]): string {
  if (!mentions.length) return '_None in this period._';
  const nameOf = brandNames(doc);
  return table(['Score', 'Brand', 'Mention'], mentions.map((m) => {
    const words = markdownText(mentionWords(m), MENTION_EXCERPT) || '\\(no text\\)';
    const url = safeUrl(m.url);
    return [signed(m.score), markdownText(nameOf(m.brandId)), url ? `[${words}](${linkTarget(url)})` : words];
  }));
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
  const out = renderSections((title) => `## ${title}`, {
    brands: () => (doc.brands.length
      ? table(['Brand', 'Role', 'Mentions', 'Change', 'Share of voice', 'Net sentiment'], doc.brands.map((b) => [
        markdownText(b.name), b.role, String(b.mentions), formatChange(b.mentions, b.previousMentions), formatShare(b.share), formatNet(b.netSentiment),
      ]))
      : '_No brands._'),
    trend: () => `_${markdownText(trendNote(doc))}_\n\n${doc.sentimentTrend.map((s) => `- ${markdownText(nameOf(s.brandId))}: ${s.days.map((d) => `${d.date.slice(5)} ${d.mentions} (${formatNet(d.netSentiment)})`).join(', ') || 'no days'}`).join('\n') || '_No data._'}`,
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
      message: (text) => `_${markdownText(text, 300)}_`,
      quadrant: (title, items) => `### ${title}\n\n${items.length
        ? items.map((item) => `- ${markdownText(item.summary, 1000)}  \n  ${markdownText(evidenceLine(item, nameOf), 1000)}`).join('\n')
        : '_None._'}`,
    }),
  });
  out.unshift(`# Earshot digest: ${markdownText(doc.workspace.name)}`, periodLabel(doc));
  return `${out.join('\n\n')}\n`;
}
