import type { DigestLanguage } from '../i18n/languages.js';
import { fixed, mark, markedPieces, plainLine, plainPieces, user, type Piece } from './digest.bidi.js';
import { excerpt, safeUrl } from './digest.escape.js';
import {
  MENTION_EXCERPT, brandNames, dayFigure, emailNote, emptyHeadline, formatBrandNet, formatBrandShare, formatChange, formatGrowth, keywordsNote, mentionDate,
  mentionDirection, mentionWords, periodLabel, renderSections, roleName, trendNote,
} from './digest.format.js';
import { digestLocale, type DigestLocale } from './digest.locale.js';
import { sourcesNote } from './digest.notes.js';
import { EXAMPLE_EXCERPT, evidencePieces, summaryPieces, swotExamples, swotSection } from './digest.swot.js';
import type { DigestDocument, DigestMention, DigestSwotItem, DigestTrendingTerm } from './digest.types.js';

const clusters = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** A heading underlined as wide as its letters (its grapheme clusters, for Devanagari or Tamil). */
const heading = (l: DigestLocale) => (title: string) => `${plainLine(title, l.dir)}\n${'='.repeat([...clusters.segment(title)].length)}`;

// Every line but a heading is a template of the digest's language with names, terms or mention
// text inside: plainPieces isolates those whose direction is not the line's (digest.bidi.ts says
// why only those).

function mentionLines(doc: DigestDocument, l: DigestLocale, mentions: DigestMention[]): string {
  if (!mentions.length) return plainLine(l.m.empty.mentions, l.dir);
  const nameOf = brandNames(doc);
  return mentions.map((m) => {
    const url = safeUrl(m.url);
    const words = excerpt(mentionWords(m), MENTION_EXCERPT);
    const line = plainPieces(markedPieces(l.m.mentionLine({
      score: l.f.signed(m.score),
      brand: mark(excerpt(nameOf(m.brandId), 40)),
      date: mentionDate(doc, l, m),
      words: words ? mark(words, mentionDirection(m)) : l.m.empty.text,
    })), undefined, l.dir);
    return `${line}${url ? `\n       ${url}` : ''}`;
  }).join('\n');
}

/** A SWOT item's examples under its evidence line, each with its link on the next line. */
function exampleLines(doc: DigestDocument, l: DigestLocale, item: DigestSwotItem): string {
  return (swotExamples(doc, item) ?? []).map((m) => {
    const words = excerpt(mentionWords(m), EXAMPLE_EXCERPT);
    const url = safeUrl(m.url);
    return `\n      - ${plainPieces([words ? user(words, mentionDirection(m)) : fixed(l.m.empty.text)], undefined, l.dir)}${url ? `\n        ${url}` : ''}`;
  }).join('');
}

function trendingLines(l: DigestLocale, terms: DigestTrendingTerm[], hash = ''): string {
  return terms.length
    ? terms.map((t) => plainPieces(markedPieces(l.m.trendingLine({
      term: mark(excerpt(`${hash}${t.term}`, 60)), mentions: l.f.count(t.mentions), previous: l.f.count(t.previous), growth: formatGrowth(l, t),
    })), undefined, l.dir)).join('\n')
    : plainLine(l.m.empty.trending, l.dir);
}

/** The plain-text part of the digest e-mail: the same content as the HTML, no markup; in the digest's language, or `lang`. */
export function renderText(doc: DigestDocument, { lang }: { lang?: DigestLanguage | undefined } = {}): string {
  const l = digestLocale(doc, lang);
  const nameOf = brandNames(doc);
  const pieces = (p: Piece[]) => plainPieces(p, undefined, l.dir);
  const text = (line: string) => plainLine(line, l.dir);
  const sections = renderSections(doc, l, heading(l), {
    brands: () => doc.brands.map((b) => pieces(markedPieces(l.m.brandLine({
      name: mark(excerpt(b.name, 40)),
      role: roleName(l, b.role),
      mentions: b.mentions,
      previous: l.f.count(b.previousMentions),
      change: formatChange(l, b.mentions, b.previousMentions),
      share: formatBrandShare(doc, l, b),
      net: formatBrandNet(l, b),
    })))).join('\n') || text(l.m.empty.brands),
    trend: () => `${text(excerpt(trendNote(doc, l), 200))}\n${doc.sentimentTrend.map((s) => pieces(markedPieces(l.m.brandDays({
      name: mark(excerpt(nameOf(s.brandId), 40)),
      days: s.days.map((d) => dayFigure(l, d)).join(l.m.comma),
    })))).join('\n') || text(l.m.empty.data)}`,
    positive: () => mentionLines(doc, l, doc.topPositive),
    negative: () => mentionLines(doc, l, doc.topNegative),
    hashtags: () => trendingLines(l, doc.trendingHashtags, '#'),
    keywords: () => {
      const note = keywordsNote(doc, l);
      return `${note ? `${text(note)}\n` : ''}${trendingLines(l, doc.trendingKeywords)}`;
    },
    alerts: () => doc.alerts.map((a) => pieces(markedPieces(l.m.alertLine({
      firedAt: l.lang === 'en' ? a.firedAt : l.f.dateTime(a.firedAt, doc.period.timeZone),
      brand: mark(excerpt(nameOf(a.brandId), 40)),
      observed: a.observed,
      expected: l.f.fixed(a.expected, 1),
      score: l.f.fixed(a.score, 2),
    })))).join('\n') || text(l.m.empty.alerts),
    swot: () => swotSection(doc, l, {
      excerpt: 300,
      message: (p) => pieces(p),
      quadrant: (title, items) => `${text(`${title}:`)}\n${items.length
        ? items.map((i) => `  * ${pieces(summaryPieces(doc, l, i, 1000))}\n    ${pieces(evidencePieces(doc, l, i, nameOf))}${exampleLines(doc, l, i)}`).join('\n')
        : `  ${text(l.m.empty.itemsShort)}`}`,
    }),
  });
  const sources = sourcesNote(doc, l);
  const headline = emptyHeadline(doc, l);
  const email = emailNote(doc, l);
  const top = [
    headline && text(headline),
    sources && [text(sources.line), ...sources.failing.map((p) => `  - ${pieces(p)}`)].join('\n'),
    email && text(email),
  ].filter((part): part is string => part !== null);
  sections.unshift(`${pieces(markedPieces(l.m.title(mark(excerpt(doc.workspace.name, 80)))))}\n${text(periodLabel(doc, l))}${top.map((part) => `\n\n${part}`).join('')}`);
  return `${sections.join('\n\n')}\n`;
}
