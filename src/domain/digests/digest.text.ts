import { fixed, plainPieces, user } from './digest.bidi.js';
import { excerpt, safeUrl } from './digest.escape.js';
import {
  EXAMPLE_EXCERPT, MENTION_EXCERPT, brandNames, emailNote, emptyHeadline, evidencePieces, formatBrandNet, formatBrandShare, formatChange, formatGrowth, formatNet,
  keywordsNote, mentionDate, mentionDirection, mentionWords, periodLabel, plural, renderSections, signed, sourcesNote, swotExamples, swotPieces, swotSection,
  trendNote,
} from './digest.format.js';
import type { SwotItem } from '../swot/swot.types.js';
import type { DigestDocument, DigestMention, DigestTrendingTerm } from './digest.types.js';

const heading = (title: string) => `${title}\n${'='.repeat(title.length)}`;

// Every line but a heading is an English template with names, terms or mention text inside:
// plainPieces isolates those that are right to left (digest.bidi.ts says why only those).

function mentionLines(doc: DigestDocument, mentions: DigestMention[]): string {
  if (!mentions.length) return 'None in this period.';
  const nameOf = brandNames(doc);
  return mentions.map((m) => {
    const url = safeUrl(m.url);
    const words = excerpt(mentionWords(m), MENTION_EXCERPT);
    const line = plainPieces([
      fixed(`${signed(m.score)}  `), user(excerpt(nameOf(m.brandId), 40)), fixed(`, ${mentionDate(doc, m)}: `), words ? user(words, mentionDirection(m)) : fixed('(no text)'),
    ]);
    return `${line}${url ? `\n       ${url}` : ''}`;
  }).join('\n');
}

/** A SWOT item's examples under its evidence line, each with its link on the next line. */
function exampleLines(doc: DigestDocument, item: SwotItem): string {
  return (swotExamples(doc, item) ?? []).map((m) => {
    const words = excerpt(mentionWords(m), EXAMPLE_EXCERPT);
    const url = safeUrl(m.url);
    return `\n      - ${plainPieces([words ? user(words, mentionDirection(m)) : fixed('(no text)')])}${url ? `\n        ${url}` : ''}`;
  }).join('');
}

function trendingLines(terms: DigestTrendingTerm[], hash = ''): string {
  return terms.length
    ? terms.map((t) => plainPieces([user(excerpt(`${hash}${t.term}`, 60)), fixed(`: ${t.mentions} (previously ${t.previous}, ${formatGrowth(t)})`)])).join('\n')
    : 'Nothing trending.';
}

/** The plain-text part of the digest e-mail: the same content as the HTML, no markup. */
export function renderText(doc: DigestDocument): string {
  const nameOf = brandNames(doc);
  const sections = renderSections(doc, heading, {
    brands: () => doc.brands.map((b) => plainPieces([
      user(excerpt(b.name, 40)),
      fixed(` (${b.role}): ${plural(b.mentions, 'mention')} (was ${b.previousMentions}, ${formatChange(b.mentions, b.previousMentions)}), share of voice ${formatBrandShare(doc, b)}, net sentiment ${formatBrandNet(b)}`),
    ])).join('\n') || 'No brands.',
    trend: () => `${excerpt(trendNote(doc), 200)}\n${doc.sentimentTrend.map((s) => plainPieces([
      user(excerpt(nameOf(s.brandId), 40)),
      fixed(`: ${s.days.map((d) => `${d.date.slice(5)} ${d.mentions} (${formatNet(d.netSentiment)})`).join(', ')}`),
    ])).join('\n') || 'No data.'}`,
    positive: () => mentionLines(doc, doc.topPositive),
    negative: () => mentionLines(doc, doc.topNegative),
    hashtags: () => trendingLines(doc.trendingHashtags, '#'),
    keywords: () => {
      const note = keywordsNote(doc);
      return `${note ? `${note}\n` : ''}${trendingLines(doc.trendingKeywords)}`;
    },
    alerts: () => doc.alerts.map((a) => plainPieces([
      fixed(`${a.firedAt} `), user(excerpt(nameOf(a.brandId), 40)),
      fixed(`: ${plural(a.observed, 'mention')} against ${a.expected.toFixed(1)} expected (score ${a.score.toFixed(2)})`),
    ])).join('\n') || 'No alerts fired.',
    swot: () => swotSection(doc, {
      message: (text) => plainPieces(swotPieces(doc, excerpt(text, 300))),
      quadrant: (title, items) => `${title}:\n${items.length
        ? items.map((i) => `  * ${plainPieces(swotPieces(doc, excerpt(i.summary, 1000), i.theme))}\n    ${plainPieces(evidencePieces(doc, i, nameOf))}${exampleLines(doc, i)}`).join('\n')
        : '  none'}`,
    }),
  });
  const sources = sourcesNote(doc);
  const top = [
    emptyHeadline(doc),
    sources && [sources.line, ...sources.failing.map((pieces) => `  - ${plainPieces(pieces)}`)].join('\n'),
    emailNote(doc),
  ].filter((part): part is string => part !== null);
  sections.unshift(`${plainPieces([fixed('Earshot digest: '), user(excerpt(doc.workspace.name, 80))])}\n${periodLabel(doc)}${top.map((part) => `\n\n${part}`).join('')}`);
  return `${sections.join('\n\n')}\n`;
}
