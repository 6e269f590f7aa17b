import type { SwotReasonFacts, SwotSummaryFacts } from '../i18n/swot.facts.js';
import type { BrandThemes, ThemeBrand } from '../themes/themes.types.js';

export interface SentimentWindow {
  mentions: number;
  /** Of them, scored (positive, neutral or negative): what netSentiment is over. */
  scored: number;
  /** netSentiment() of analytics: (positive − negative) / scored mentions; null when none was scored. */
  netSentiment: number | null;
}

export interface SwotInput {
  ownBrandId: string;
  brands: readonly ThemeBrand[];
  /** extractThemes' output for the window (every brand, the own one included). */
  themes: readonly BrandThemes[];
  /**
   * Each brand's share of the window's mentions, and of the previous window's; `mentions` is what
   * the shares are of (every brand's mentions, a mention of two brands counted for each).
   */
  shareOfVoice: { current: Record<string, number>; previous: Record<string, number>; mentions: { current: number; previous: number } };
  sentimentTrend: Record<string, { current: SentimentWindow; previous: SentimentWindow }>;
  since: string;
  until: string;
  thresholds?: Partial<SwotThresholds>;
}

export interface SwotThresholds {
  /** The own brand needs this many mentions in the window, and competitors together as many. */
  minBrandMentions: number;
  /**
   * A theme is evidence only with this many mentions (per brand, or pooled over competitors), and
   * is judged praised, criticised, better or worse only with this many scored mentions.
   */
  minThemeMentions: number;
  /** |net sentiment| from which a theme counts as praised or criticised. */
  polarity: number;
  /** Net-sentiment gap from which one side is better or worse than the other. */
  margin: number;
  /** Rising theme: growth (smoothed ratio) at least this… */
  risingGrowth: number;
  /** …and at least this many more mentions than in the previous window. */
  risingChange: number;
  /** Share-of-voice gain: the share multiplied by at least this… */
  sovGrowth: number;
  /** …and up by at least this many points (0.05 = 5 percentage points)… */
  sovPoints: number;
  /**
   * …and up beyond chance: the one-sided two-proportion z statistic at least this (1.645, the 5 %
   * level), computed only where its normal approximation holds (sovMinExpected) and the previous
   * window holds at least minBrandMentions mentions.
   */
  sovZ: number;
  /** Each window's expected mentions of the brand, and of the other brands, under the pooled share: at least this. */
  sovMinExpected: number;
  /** Negative momentum: the own brand's net sentiment fell by at least this (both windows with minBrandMentions scored). */
  momentumDrop: number;
  maxItems: number;
  samples: number;
}

export interface SwotEvidence {
  mentions: number;
  /** Of them, scored: what netSentiment is over. */
  scored: number;
  netSentiment: number | null;
  brandIds: string[];
  sampleMentionIds: string[];
}

export type SwotRule =
  | 'own_praised' | 'own_criticised' | 'own_worse_than_competitors'
  | 'competitors_criticised' | 'rising_without_own' | 'competitor_criticised_share_gain'
  | 'competitors_praised' | 'competitor_share_gain' | 'own_negative_momentum';

export interface SwotItem {
  theme: string;
  /** The sentence in English, or in the language GET /v1/swot was asked for (swotIn). */
  summary: string;
  /**
   * The sentence as data (which sentence, its names, theme and figures): what `summary` is written
   * from, in any language. Set by buildSwot; absent from digests stored before it was kept.
   */
  summaryFacts?: SwotSummaryFacts;
  evidence: SwotEvidence;
  score: number;
  /** Which documented rule produced the item (docs/swot.md). */
  rule: SwotRule;
}

/**
 * Which mentions the themes were drawn from, counted per brand as share of voice counts them (a
 * mention of two brands counts for each): at most `limit` of each window's newest mentions are read.
 */
export interface SwotSample {
  /** True when the themes of either window were drawn from fewer mentions than it holds. */
  sampled: boolean;
  limit: number;
  mentions: number;
  /** Share of voice's total for the period. */
  of: number;
  previousMentions: number;
  previousOf: number;
}

/** A brand the SWOT compares, so its ids can be read without GET /v1/brands. */
export interface SwotBrand {
  id: string;
  name: string;
  role: 'own' | 'competitor';
}

export interface Swot {
  brandId: string;
  competitorIds: string[];
  /**
   * The own brand, then the competitors in competitorIds' order: names every id of the answer
   * (brandId, competitorIds, evidence.brandIds). Set by buildSwot; absent from digests made before it was recorded.
   */
  brands?: SwotBrand[];
  since: string;
  until: string;
  status: 'ok' | 'not_enough_data';
  reason?: string;
  /** The reason as data, to write it in any language. Set by buildSwot; absent from digests stored before it was kept. */
  reasonFacts?: SwotReasonFacts;
  strengths: SwotItem[];
  weaknesses: SwotItem[];
  opportunities: SwotItem[];
  threats: SwotItem[];
  /** Set by competitorSwot (buildSwot alone does not read mentions); absent from digests made before it was recorded. */
  sample?: SwotSample;
}

/** An item as buildSwot makes it: its sentence always with its facts. */
export type BuiltSwotItem = SwotItem & { summaryFacts: SwotSummaryFacts };

/** What buildSwot answers: a Swot with its brands always named and every item with its facts. */
export type BuiltSwot = Omit<Swot, 'brands' | 'strengths' | 'weaknesses' | 'opportunities' | 'threats'> & {
  brands: SwotBrand[];
  strengths: BuiltSwotItem[];
  weaknesses: BuiltSwotItem[];
  opportunities: BuiltSwotItem[];
  threats: BuiltSwotItem[];
};
