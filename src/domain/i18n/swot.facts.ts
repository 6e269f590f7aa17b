/**
 * A SWOT item's sentence as data: which sentence, and the names, theme and figures in it. The
 * SWOT module writes the sentence in English (`summary`); a digest keeps these facts beside it
 * (`summaryFacts`) and writes the sentence again in its own language. Keys and figures only: the
 * JSON stays language-neutral.
 */

/** A side's mentions, and of them the scored ones (what net sentiment is over). */
export interface Tally {
  mentions: number;
  scored: number;
}

/** A side judged on its net sentiment (enough of its mentions were scored). */
export interface Judged extends Tally {
  net: number;
}

/**
 * The other side of a comparison: `net` null when too few of its mentions were scored to compare.
 * Where the side itself is null, it had fewer mentions on the theme than a theme needs (`fewerThan`).
 */
export interface Compared extends Tally {
  net: number | null;
}

export type SwotSummaryFacts =
  | { sentence: 'own_praised'; theme: string; own: string; side: Judged & { positive: number }; competitors: Compared | null; fewerThan: number }
  | { sentence: 'own_criticised'; theme: string; own: string; side: Judged & { negative: number }; competitors: Compared | null; fewerThan: number }
  | { sentence: 'own_worse'; theme: string; own: string; side: Judged; competitors: Judged }
  | {
    sentence: 'competitors_criticised';
    theme: string;
    names: string[];
    side: Judged & { negative: number };
    own: string;
    ownSide: Compared | null;
    fewerThan: number;
    /** Set when the theme is rising too: its mentions in the window before. */
    risingFrom: number | null;
  }
  | { sentence: 'competitors_praised'; theme: string; names: string[]; side: Judged & { positive: number }; own: string; ownSide: Compared | null; fewerThan: number }
  | { sentence: 'rising'; theme: string; names: string[]; mentions: number; previous: number; own: string; fewerThan: number }
  /** A competitor's share of voice rose (shares 0..1); `net` its net sentiment, null when too little was scored. */
  | { sentence: 'share_gain'; name: string; previousShare: number; share: number; net: number | null; side: Tally }
  | { sentence: 'share_gain_criticised'; name: string; previousShare: number; share: number; net: number; side: Tally; own: string }
  | { sentence: 'momentum'; own: string; previous: number; current: number; side: Tally };

export type SwotSentence = SwotSummaryFacts['sentence'];

/** Why a SWOT has not enough data (buildSwot's `reason`). */
export type SwotReasonFacts =
  | { reason: 'no_competitors' }
  | { reason: 'own_too_few'; own: string; mentions: number; needed: number }
  | { reason: 'competitors_too_few'; mentions: number; needed: number };

export type SwotMessages = { [K in SwotSentence]: (facts: Extract<SwotSummaryFacts, { sentence: K }>) => string } & {
  reason(facts: SwotReasonFacts): string;
};

/** A SWOT item's sentence in a catalogue's words. */
export const swotSentence = (messages: SwotMessages, facts: SwotSummaryFacts): string =>
  (messages[facts.sentence] as (f: SwotSummaryFacts) => string)(facts);
