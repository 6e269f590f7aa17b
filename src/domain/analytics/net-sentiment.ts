/** Sentiment counts: rollups, trend buckets, themes. */
export interface SentimentCounts {
  positive: number;
  neutral: number;
  negative: number;
}

/** Mentions that were scored: positive, neutral or negative, not unscored (a language without a lexicon). */
export const scoredMentions = (c: SentimentCounts) => c.positive + c.neutral + c.negative;

/**
 * Net sentiment, the one definition for share of voice, the SWOT and the digest:
 * (positive − negative) / scored mentions, −1..1 to four decimals; null when none was scored.
 * Unscored mentions are left out, not counted as neutral: they say nothing about sentiment.
 */
export function netSentiment(c: SentimentCounts): number | null {
  const scored = scoredMentions(c);
  return scored ? Math.round(((c.positive - c.negative) / scored) * 1e4) / 1e4 : null;
}
