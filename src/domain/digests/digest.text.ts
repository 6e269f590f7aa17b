import { excerpt, safeUrl } from './digest.escape.js';
import {
  MENTION_EXCERPT, SWOT_SECTIONS, brandNames, evidenceLine, formatChange, formatNet, formatShare, mentionWords, periodLabel, signed,
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
    ? terms.map((t) => `${excerpt(`${hash}${t.term}`, 60)}: ${t.mentions} (previously ${t.previous}, ${t.growth.toFixed(1)}×)`).join('\n')
    : 'Nothing trending.';
}

/** The plain-text part of the digest e-mail: the same content as the HTML, no markup. */
export function renderText(doc: DigestDocument): string {
  const nameOf = brandNames(doc);
  const sections: string[] = [
    `Earshot digest: ${excerpt(doc.workspace.name, 80)}\n${periodLabel(doc)}`,
    heading('Brands'),
    doc.brands.map((b) => `${excerpt(b.name, 40)} (${b.role}): ${b.mentions} mentions (${formatChange(b.mentions, b.previousMentions)}), share of voice ${formatShare(b.share)}, net sentiment ${formatNet(b.netSentiment)}`).join('\n') || 'No brands.',
    heading('Sentiment trend'),
    doc.sentimentTrend.map((s) => `${excerpt(nameOf(s.brandId), 40)}: ${s.days.map((d) => `${d.date.slice(5)} ${d.mentions} (${formatNet(d.netSentiment)})`).join(', ')}`).join('\n') || 'No data.',
    heading('Top positive mentions'),
    mentionLines(doc, doc.topPositive),
    heading('Top negative mentions'),
    mentionLines(doc, doc.topNegative),
    heading('Trending hashtags'),
    trendingLines(doc.trendingHashtags, '#'),
    heading('Trending keywords'),
    trendingLines(doc.trendingKeywords),
    heading('Alerts'),
    doc.alerts.map((a) => `${a.firedAt} ${excerpt(nameOf(a.brandId), 40)}: ${a.observed} mentions against ${a.expected.toFixed(1)} expected (score ${a.score.toFixed(2)})`).join('\n') || 'No alerts fired.',
    heading('SWOT'),
  ];
  const swot = doc.swot;
  if (!swot) sections.push('No own brand: no SWOT.');
  else if (swot.status === 'not_enough_data') sections.push(`Not enough data: ${excerpt(swot.reason ?? '', 300)}`);
  else {
    for (const [key, title] of SWOT_SECTIONS) {
      const items = swot[key];
      sections.push(`${title}:\n${items.length ? items.map((i) => `  * ${excerpt(i.summary, 1000)}\n    ${excerpt(evidenceLine(i, nameOf), 1000)}`).join('\n') : '  none'}`);
    }
  }
  return `${sections.join('\n\n')}\n`;
}
