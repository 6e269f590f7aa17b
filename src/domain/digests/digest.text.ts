import { excerpt, safeUrl } from './digest.escape.js';
import {
  MENTION_EXCERPT, brandNames, evidenceLine, formatChange, formatGrowth, formatNet, formatShare, keywordsNote, mentionWords, periodLabel, renderSections, signed, swotSection, trendNote,
} from './digest.format.js';
import type { DigestDocument, DigestMention, DigestTrendingTerm } from './digest.types.js';

const heading = (title: string) => `${title}\n${'='.repeat(title.length)}`;

function mentionLines(doc: DigestDocument, mentions: DigestMention[]): string {
  if (!mentions.length) return 'None in this period.';
  const nameOf = brandNames(doc);
  return mentions.map((m) => {
    const url = safeUrl(m.url);
    return `${signed(m.score)}  ${excerpt(nameOf(m.brandId), 40)}: ${excerpt(mentionWords(m), MENTION_EXCERPT) || '(no text)'}${url ? `\n       ${url}` : ''}`;
  }).join('\n');
}

function trendingLines(terms: DigestTrendingTerm[], hash = ''): string {
  return terms.length
    ? terms.map((t) => `${excerpt(`${hash}${t.term}`, 60)}: ${t.mentions} (previously ${t.previous}, ${formatGrowth(t)})`).join('\n')
    : 'Nothing trending.';
}

/** The plain-text part of the digest e-mail: the same content as the HTML, no markup. */
export function renderText(doc: DigestDocument): string {
  const nameOf = brandNames(doc);
  const sections = renderSections(heading, {
    brands: () => doc.brands.map((b) => `${excerpt(b.name, 40)} (${b.role}): ${b.mentions} mentions (${formatChange(b.mentions, b.previousMentions)}), share of voice ${formatShare(b.share)}, net sentiment ${formatNet(b.netSentiment)}`).join('\n') || 'No brands.',
    trend: () => `${excerpt(trendNote(doc), 200)}\n${doc.sentimentTrend.map((s) => `${excerpt(nameOf(s.brandId), 40)}: ${s.days.map((d) => `${d.date.slice(5)} ${d.mentions} (${formatNet(d.netSentiment)})`).join(', ')}`).join('\n') || 'No data.'}`,
    positive: () => mentionLines(doc, doc.topPositive),
    negative: () => mentionLines(doc, doc.topNegative),
    hashtags: () => trendingLines(doc.trendingHashtags, '#'),
    keywords: () => {
      const note = keywordsNote(doc);
      return `${note ? `${note}\n` : ''}${trendingLines(doc.trendingKeywords)}`;
    },
    alerts: () => doc.alerts.map((a) => `${a.firedAt} ${excerpt(nameOf(a.brandId), 40)}: ${a.observed} mentions against ${a.expected.toFixed(1)} expected (score ${a.score.toFixed(2)})`).join('\n') || 'No alerts fired.',
    swot: () => swotSection(doc, {
      message: (text) => excerpt(text, 300),
      quadrant: (title, items) => `${title}:\n${items.length ? items.map((i) => `  * ${excerpt(i.summary, 1000)}\n    ${excerpt(evidenceLine(i, nameOf), 1000)}`).join('\n') : '  none'}`,
    }),
  });
  sections.unshift(`Earshot digest: ${excerpt(doc.workspace.name, 80)}\n${periodLabel(doc)}`);
  return `${sections.join('\n\n')}\n`;
}
