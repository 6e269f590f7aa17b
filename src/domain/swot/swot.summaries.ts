import { directionOf, type DigestLanguage } from '../i18n/languages.js';
import { messagesOf } from '../i18n/messages.js';
import { swotSentence, type Compared, type SwotReasonFacts, type SwotSummaryFacts } from '../i18n/swot.facts.js';
import { THEME_DEFAULTS } from '../themes/index.js';
import type { Swot, SwotItem } from './swot.types.js';

/**
 * One-sentence summaries. Each builder returns the sentence's facts (src/domain/i18n/swot.facts.ts:
 * which sentence, the names, the theme and the figures); buildSwot puts them on the item
 * (`summaryFacts`) with their sentence in English (`summary`), and a digest or GET /v1/swot?lang=
 * writes the same facts in another language. The theme is quoted as found, so a theme in any
 * script reads correctly inside the sentence.
 */

interface Side { mentions: number; scored: number; netSentiment: number; positive: number; negative: number }
/** The other side of a comparison; its net sentiment is null when too few of its mentions were scored to judge. */
interface Other { mentions: number; scored: number; netSentiment: number | null }

/** A competitor's share of voice that rose; `net` is its net sentiment when enough was scored to judge it. */
interface ShareShift {
  name: string;
  previous: number;
  current: number;
  net: number | null;
  side: { mentions: number; scored: number };
}

// Unicode's first-strong isolate and its closing mark: a name or theme between them keeps its own
// direction without reordering the sentence around it (a Latin brand in a Persian sentence).
const FSI = '\u2068';
const PDI = '\u2069';
const isolate = (text: string) => `${FSI}${text}${PDI}`;

/** The facts with their names and theme isolated, for a sentence written right to left. */
function isolated<F extends SwotSummaryFacts | SwotReasonFacts>(facts: F): F {
  const out = { ...facts } as Record<string, unknown>;
  for (const key of ['theme', 'own', 'name']) if (typeof out[key] === 'string') out[key] = isolate(out[key] as string);
  if (Array.isArray(out.names)) out.names = (out.names as string[]).map(isolate);
  return out as F;
}

const prepared = <F extends SwotSummaryFacts | SwotReasonFacts>(facts: F, lang: DigestLanguage): F => (directionOf(lang) === 'rtl' ? isolated(facts) : facts);

/** The sentence of some facts, in English unless a language is given (right-to-left ones with their names and theme isolated). */
export const summaryIn = (facts: SwotSummaryFacts, lang: DigestLanguage = 'en') => swotSentence(messagesOf(lang).swot, prepared(facts, lang));

/** Why a SWOT has not enough data, in English unless a language is given. */
export const reasonIn = (facts: SwotReasonFacts, lang: DigestLanguage = 'en') => messagesOf(lang).swot.reason(prepared(facts, lang));

/**
 * The SWOT with its sentences (each item's `summary`, the `reason`) written in `lang` from their
 * facts. English is what buildSwot wrote, returned as it is; an item without facts keeps its sentence.
 */
export function swotIn<S extends Swot>(swot: S, lang: DigestLanguage): S {
  if (lang === 'en') return swot;
  const written = (items: readonly SwotItem[]) => items.map((item) => (item.summaryFacts ? { ...item, summary: summaryIn(item.summaryFacts, lang) } : item));
  // Only the sentences change: every other field, and each item's, is the one given.
  return {
    ...swot,
    ...(swot.reasonFacts ? { reason: reasonIn(swot.reasonFacts, lang) } : {}),
    strengths: written(swot.strengths),
    weaknesses: written(swot.weaknesses),
    opportunities: written(swot.opportunities),
    threats: written(swot.threats),
  } as S;
}

const judged = (side: Side) => ({ mentions: side.mentions, scored: side.scored, net: side.netSentiment });
const compared = (other: Other | undefined): Compared | null =>
  (other ? { mentions: other.mentions, scored: other.scored, net: other.netSentiment } : null);
const tally = (side: { mentions: number; scored: number }) => ({ mentions: side.mentions, scored: side.scored });
const fewerThan = THEME_DEFAULTS.minMentions;

export const summaries = {
  ownPraised: (theme: string, own: string, o: Side, competitors?: Other): SwotSummaryFacts =>
    ({ sentence: 'own_praised', theme, own, side: { ...judged(o), positive: o.positive }, competitors: compared(competitors), fewerThan }),
  ownCriticised: (theme: string, own: string, o: Side, competitors?: Other): SwotSummaryFacts =>
    ({ sentence: 'own_criticised', theme, own, side: { ...judged(o), negative: o.negative }, competitors: compared(competitors), fewerThan }),
  ownWorse: (theme: string, own: string, o: Side, competitors: Side): SwotSummaryFacts =>
    ({ sentence: 'own_worse', theme, own, side: judged(o), competitors: judged(competitors) }),
  /** With `rise`, the theme is also rising (from `rise.previous` mentions), and the sentence says both. */
  competitorsCriticised: (theme: string, names: string[], c: Side, own: string, o?: Other, rise?: { previous: number }): SwotSummaryFacts => ({
    sentence: 'competitors_criticised', theme, names, side: { ...judged(c), negative: c.negative }, own, ownSide: compared(o), fewerThan, risingFrom: rise ? rise.previous : null,
  }),
  competitorsPraised: (theme: string, names: string[], c: Side, own: string, o?: Other): SwotSummaryFacts =>
    ({ sentence: 'competitors_praised', theme, names, side: { ...judged(c), positive: c.positive }, own, ownSide: compared(o), fewerThan }),
  rising: (theme: string, names: string[], current: number, previous: number, own: string): SwotSummaryFacts =>
    ({ sentence: 'rising', theme, names, mentions: current, previous, own, fewerThan }),
  shareGain: (shift: ShareShift): SwotSummaryFacts =>
    ({ sentence: 'share_gain', name: shift.name, previousShare: shift.previous, share: shift.current, net: shift.net, side: tally(shift.side) }),
  shareGainCriticised: (shift: ShareShift & { net: number }, own: string): SwotSummaryFacts =>
    ({ sentence: 'share_gain_criticised', name: shift.name, previousShare: shift.previous, share: shift.current, net: shift.net, side: tally(shift.side), own }),
  momentum: (own: string, previous: number, current: number, now: { mentions: number; scored: number }): SwotSummaryFacts =>
    ({ sentence: 'momentum', own, previous, current, side: tally(now) }),
};
