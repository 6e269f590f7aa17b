import type { Swot } from '../swot/swot.types.js';

export interface DigestBrand {
  brandId: string;
  name: string;
  role: 'own' | 'competitor' | string;
  mentions: number;
  previousMentions: number;
  /** Share of voice in the period, 0..1. */
  share: number;
  previousShare: number;
  /** netSentiment() of analytics, as share of voice: (positive − negative) / scored mentions; null when none was scored. */
  netSentiment: number | null;
}

export interface DigestDay {
  /** Local date in the workspace's time zone, YYYY-MM-DD. */
  date: string;
  /**
   * The part of the day inside the period, [since, until): a whole local day but for the first
   * and last, which the period's bounds cut. Absent from documents made before it was recorded.
   */
  since?: string;
  until?: string;
  mentions: number;
  /** As the brand's: over the day's scored mentions. */
  netSentiment: number | null;
}

export interface DigestMention {
  id: string;
  /** In the top mentions, the brand whose reading `score` is (one row per mention and brand). */
  brandId: string;
  url: string | null;
  title: string | null;
  text: string | null;
  /** −1..1: in the top mentions the brand's reading of the post, in SWOT samples the post's. */
  score: number;
  occurredAt: string;
  sourceType?: string;
  /** The post's detected language (ISO 639-1), which sets the direction of its words; absent from older digests. */
  lang?: string | null;
}

export interface DigestTrendingTerm {
  term: string;
  mentions: number;
  previous: number;
  growth: number;
}

export interface DigestAlert {
  id: string;
  brandId: string;
  firedAt: string;
  observed: number;
  expected: number;
  score: number;
}

/** Everything a digest says, composed once and rendered as JSON, Markdown, HTML or text. */
export interface DigestDocument {
  workspace: { id: string; name: string };
  period: { since: string; until: string; timeZone: string };
  generatedAt: string;
  brands: DigestBrand[];
  sentimentTrend: Array<{ brandId: string; days: DigestDay[] }>;
  topPositive: DigestMention[];
  topNegative: DigestMention[];
  trendingHashtags: DigestTrendingTerm[];
  trendingKeywords: DigestTrendingTerm[];
  /**
   * Null when the keywords were counted in every mention of the period and of the window before
   * it; else each of the two was represented by this many of its newest mentions.
   */
  trendingKeywordsSample?: number | null;
  alerts: DigestAlert[];
  /** Null when the workspace has no own brand. */
  swot: Swot | null;
  /**
   * The SWOT evidence's sample mentions that were still stored, so a reader sees their words and
   * follows their links rather than reading ids. Absent from documents made before they were kept.
   */
  swotSamples?: DigestMention[];
}
