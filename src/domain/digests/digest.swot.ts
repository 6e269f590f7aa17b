import { swotSentence, type SwotReasonFacts, type SwotSummaryFacts } from '../i18n/swot.facts.js';
import { SWOT_THRESHOLDS } from '../swot/swot.build.js';
import type { SwotSample } from '../swot/swot.types.js';
import { cutPieces, findNames, fixed, mark, markedPieces, type Piece } from './digest.bidi.js';
import { excerpt } from './digest.escape.js';
import { formatNet } from './digest.format.js';
import { localeOf, type DigestLocale } from './digest.locale.js';
import type { DigestDocument, DigestMention, DigestSwot, DigestSwotItem } from './digest.types.js';

export const SWOT_QUADRANTS = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const;

/** How many of a SWOT item's sample mentions a digest shows, words and link. */
export const SWOT_EXAMPLES = 3;
/** Each example's words, in grapheme clusters. */
export const EXAMPLE_EXCERPT = 100;

/** "has 1 mentions" in a SWOT reason of a digest stored before the SWOT said "1 mention" (swot.build.ts) reads "has 1 mention". */
const oneMention = (sentence: string) => sentence.replace(/(^|[^\d.,])1 mentions\b/gu, (_, before: string) => `${before}1 mention`);

/** The facts with their names and theme marked, to come out of the sentence as pieces of their own. */
function marked(facts: SwotSummaryFacts): SwotSummaryFacts {
  const out = { ...facts } as Record<string, unknown>;
  for (const key of ['theme', 'own', 'name']) if (typeof out[key] === 'string') out[key] = mark(out[key] as string);
  if (Array.isArray(out.names)) out.names = (out.names as string[]).map((name) => mark(name));
  return out as SwotSummaryFacts;
}

/**
 * Why the SWOT has not enough data, as facts: as buildSwot kept them (`reasonFacts`), or for a
 * digest stored before it kept them, found again from the brands' counts this digest shows too:
 * the reason each possible set of facts would read is compared with the stored English one; none
 * matching (a digest made with other thresholds, or before the wording changed), it is shown as stored.
 */
function reasonFacts(doc: DigestDocument, swot: DigestSwot): SwotReasonFacts | null {
  if (swot.reasonFacts) return swot.reasonFacts;
  const english = localeOf('en').m.swot.reason;
  const needed = SWOT_THRESHOLDS.minBrandMentions;
  const own = doc.brands.find((b) => b.brandId === swot.brandId);
  const competitors = doc.brands.filter((b) => swot.competitorIds.includes(b.brandId)).reduce((n, b) => n + b.mentions, 0);
  const candidates: SwotReasonFacts[] = [
    { reason: 'no_competitors' },
    ...(own ? [{ reason: 'own_too_few' as const, own: own.name, mentions: own.mentions, needed }] : []),
    { reason: 'competitors_too_few', mentions: competitors, needed },
  ];
  return candidates.find((facts) => english(facts) === swot.reason) ?? null;
}

/** A sentence made as one string (by the SWOT module, in English), with the brand names and the item's theme found again to be isolated. */
const sentencePieces = (doc: DigestDocument, sentence: string, max: number, theme?: string) =>
  findNames(excerpt(sentence, max), { names: doc.brands.map((b) => b.name), theme });

/** The "not enough data" line in the digest's language, cut to `max`. */
function reasonPieces(doc: DigestDocument, l: DigestLocale, swot: DigestSwot, max: number): Piece[] {
  const facts = l.lang === 'en' ? null : reasonFacts(doc, swot);
  if (!facts) return sentencePieces(doc, l.m.notEnoughData(oneMention(swot.reason ?? '')), max);
  const r = { ...facts, ...(facts.reason === 'own_too_few' ? { own: mark(facts.own) } : {}) } as SwotReasonFacts;
  return cutPieces(markedPieces(l.m.notEnoughData(l.m.swot.reason(r))), max);
}

/**
 * A SWOT item's sentence in pieces, in the digest's language: from its facts, names and theme
 * marked; in English, and for digests made before the facts were kept, the stored sentence.
 */
export function summaryPieces(doc: DigestDocument, l: DigestLocale, item: DigestSwotItem, max: number): Piece[] {
  if (l.lang === 'en' || !item.summaryFacts) return sentencePieces(doc, item.summary, max, item.theme);
  return cutPieces(markedPieces(swotSentence(l.m.swot, marked(item.summaryFacts))), max);
}

/**
 * Null when the themes were drawn from every mention (or the digest predates the sample); else
 * how many, per window. What was read is always a window's newest: the cap takes the newest, and
 * retention deletes the oldest.
 */
export function swotSampleNote(l: DigestLocale, sample: SwotSample | undefined): string | null {
  if (!sample?.sampled) return null;
  const before = sample.previousMentions < sample.previousOf ? { read: sample.previousMentions, of: sample.previousOf } : null;
  return l.m.swotSample({ period: { read: sample.mentions, of: sample.of }, before });
}

/** The SWOT section in any format: the missing and not-enough-data cases, or the four quadrants. */
export function swotSection(doc: DigestDocument, l: DigestLocale, format: {
  /** The most grapheme clusters of a message line. */
  excerpt: number;
  message(pieces: Piece[]): string;
  quadrant(title: string, items: readonly DigestSwotItem[]): string;
}): string {
  const swot = doc.swot;
  if (!swot) return format.message([fixed(excerpt(l.m.noSwot, format.excerpt))]);
  if (swot.status === 'not_enough_data') return format.message(reasonPieces(doc, l, swot, format.excerpt));
  const note = swotSampleNote(l, swot.sample);
  return [
    ...(note ? [format.message(sentencePieces(doc, note, format.excerpt))] : []),
    ...SWOT_QUADRANTS.map((key) => format.quadrant(l.m.quadrants[key], swot[key])),
  ].join('\n\n');
}

/**
 * The SWOT item's sample mentions the document holds, at most SWOT_EXAMPLES; null for documents
 * made before they were kept, whose evidence line names the ids instead.
 */
export function swotExamples(doc: DigestDocument, item: DigestSwotItem): DigestMention[] | null {
  if (!doc.swotSamples) return null;
  const byId = new Map(doc.swotSamples.map((m) => [m.id, m]));
  return item.evidence.sampleMentionIds.flatMap((id) => byId.get(id) ?? []).slice(0, SWOT_EXAMPLES);
}

/**
 * "12 mentions, net −1.00, Beta", with each brand name a piece of its own; for a document without
 * the samples' words, "; sample mentions 81, 82" after it.
 */
export function evidencePieces(doc: DigestDocument, l: DigestLocale, item: DigestSwotItem, nameOf: (id: string) => string): Piece[] {
  const { mentions, scored, netSentiment, brandIds, sampleMentionIds } = item.evidence;
  return markedPieces(l.m.evidence({
    mentions,
    // Net sentiment is over the scored mentions; digests made before `scored` was recorded lack it.
    scored: scored !== undefined && scored !== mentions ? scored : null,
    net: formatNet(l, netSentiment),
    names: brandIds.map((id) => mark(nameOf(id))),
    samples: doc.swotSamples ? [] : sampleMentionIds,
  }));
}
