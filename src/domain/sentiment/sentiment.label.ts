export type ScoredLabel = 'positive' | 'neutral' | 'negative';

/** Scores within ±NEUTRAL_BAND are neutral: VADER's published convention, kept so figures compare. */
export const NEUTRAL_BAND = 0.05;

export function labelFor(score: number): ScoredLabel {
  return score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';
}
