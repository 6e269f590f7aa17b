import { AsyncLocalStorage } from 'node:async_hooks';
import { messagesOf } from '../i18n/messages.js';
import { swotSentence, type Compared, type SwotSummaryFacts } from '../i18n/swot.facts.js';
import type { DigestLanguage } from '../i18n/languages.js';
import { THEME_DEFAULTS } from '../themes/index.js';

/**
 * One-sentence summaries. Each is first its facts (src/domain/i18n/swot.facts.ts: which sentence,
 * the names, the theme and the figures), then that sentence in a language's words: the SWOT
 * answers in English (`summaryIn`'s default); a digest keeps the facts and writes them in its own
 * language. The theme is quoted as found, so a theme in any script reads correctly inside the
 * sentence (renderers isolate it).
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

/** The sentence of some facts, in English unless a language is given. */
export const summaryIn = (facts: SwotSummaryFacts, lang: DigestLanguage = 'en') => swotSentence(messagesOf(lang).swot, facts);

// While a digest composes its SWOT (recordSummaryFacts), every sentence written is kept with its
// facts, keyed by the sentence; otherwise nothing is kept.
const recording = new AsyncLocalStorage<Map<string, SwotSummaryFacts>>();

function written(facts: SwotSummaryFacts): string {
  const sentence = summaryIn(facts);
  recording.getStore()?.set(sentence, facts);
  return sentence;
}

/**
 * Runs `work` (which builds a SWOT) and returns, with its result, the facts of every summary it
 * wrote, by the English sentence: what a digest keeps beside each item (`summaryFacts`) to write
 * it in its language. The facts are those of this call's own SWOT only, however many run at once.
 */
export async function recordSummaryFacts<T>(work: () => T | Promise<T>): Promise<{ result: T; facts: ReadonlyMap<string, SwotSummaryFacts> }> {
  const facts = new Map<string, SwotSummaryFacts>();
  const result = await recording.run(facts, work);
  return { result, facts };
}

const judged = (side: Side) => ({ mentions: side.mentions, scored: side.scored, net: side.netSentiment });
const compared = (other: Other | undefined): Compared | null =>
  (other ? { mentions: other.mentions, scored: other.scored, net: other.netSentiment } : null);
const tally = (side: { mentions: number; scored: number }) => ({ mentions: side.mentions, scored: side.scored });
const fewerThan = THEME_DEFAULTS.minMentions;

export const summaries = {
  ownPraised: (theme: string, own: string, o: Side, competitors?: Other) =>
    written({ sentence: 'own_praised', theme, own, side: { ...judged(o), positive: o.positive }, competitors: compared(competitors), fewerThan }),
  ownCriticised: (theme: string, own: string, o: Side, competitors?: Other) =>
    written({ sentence: 'own_criticised', theme, own, side: { ...judged(o), negative: o.negative }, competitors: compared(competitors), fewerThan }),
  ownWorse: (theme: string, own: string, o: Side, competitors: Side) =>
    written({ sentence: 'own_worse', theme, own, side: judged(o), competitors: judged(competitors) }),
  /** With `rise`, the theme is also rising (from `rise.previous` mentions), and the sentence says both. */
  competitorsCriticised: (theme: string, names: string[], c: Side, own: string, o?: Other, rise?: { previous: number }) =>
    written({
      sentence: 'competitors_criticised', theme, names, side: { ...judged(c), negative: c.negative }, own, ownSide: compared(o), fewerThan, risingFrom: rise ? rise.previous : null,
    }),
  competitorsPraised: (theme: string, names: string[], c: Side, own: string, o?: Other) =>
    written({ sentence: 'competitors_praised', theme, names, side: { ...judged(c), positive: c.positive }, own, ownSide: compared(o), fewerThan }),
  rising: (theme: string, names: string[], current: number, previous: number, own: string) =>
    written({ sentence: 'rising', theme, names, mentions: current, previous, own, fewerThan }),
  shareGain: (shift: ShareShift) =>
    written({ sentence: 'share_gain', name: shift.name, previousShare: shift.previous, share: shift.current, net: shift.net, side: tally(shift.side) }),
  shareGainCriticised: (shift: ShareShift & { net: number }, own: string) =>
    written({ sentence: 'share_gain_criticised', name: shift.name, previousShare: shift.previous, share: shift.current, net: shift.net, side: tally(shift.side), own }),
  momentum: (own: string, previous: number, current: number, now: { mentions: number; scored: number }) =>
    written({ sentence: 'momentum', own, previous, current, side: tally(now) }),
};
