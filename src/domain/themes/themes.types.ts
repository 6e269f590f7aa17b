export type SentimentLabel = 'positive' | 'neutral' | 'negative' | 'unscored';

export interface ThemeMention {
  id: string;
  brandIds: readonly string[];
  title?: string | null;
  text?: string | null;
  lang?: string | null;
  /** −1..1, null when the mention was not scored. */
  sentimentScore: number | null;
  label: SentimentLabel | string;
  occurredAt: Date | string;
}

export interface ThemeBrand {
  id: string;
  name: string;
  role: 'own' | 'competitor' | string;
  /** The brand's query (string or parsed); its positive terms are excluded from themes. */
  query?: string | null;
}

export interface Theme {
  /** The most frequent surface form of the key in this brand's mentions. */
  theme: string;
  /** Stemmed words: what inflections of the theme share. */
  key: string;
  mentions: number;
  positive: number;
  /** With positive and negative, the scored mentions (the SWOT's net sentiment is over them). */
  neutral: number;
  negative: number;
  /** (positive − negative) / mentions, in −1..1; see docs/swot.md. */
  netSentiment: number;
  /** Mean sentimentScore of the scored mentions; null when none was scored. */
  meanScore: number | null;
  previousMentions: number;
  /** mentions − previousMentions. */
  change: number;
  /** (mentions + 1) / (previousMentions + 1): smoothed, so 0 → 2 is not infinite growth. */
  growth: number;
  /**
   * Most representative first: strongest in the theme's own direction, then newest, then id, each
   * language's next in turn. Of a mention that names several brands, the score is the brand's own
   * (its clauses'), as are the counts above.
   */
  sampleMentionIds: string[];
  /** The same, of the mentions labelled positive (negative) for the brand only: evidence of praise (criticism). */
  positiveSampleIds: string[];
  negativeSampleIds: string[];
}

/** A key's counts for one brand, as its Theme would have them. */
export type ThemeCounts = Pick<Theme, 'mentions' | 'positive' | 'neutral' | 'negative' | 'previousMentions'>;

export interface BrandThemes {
  brandId: string;
  mentions: number;
  previousMentions: number;
  /** The brand's top themes (maxThemesPerBrand), most mentioned first. */
  themes: Theme[];
  /**
   * Every key with enough mentions to be a theme, beyond the top ones and those a longer theme
   * subsumes: what the SWOT compares the other side with. A key not here has fewer mentions.
   */
  counts: ReadonlyMap<string, ThemeCounts>;
  /** The brand's most positive and most negative mentions of the window, for evidence beyond themes. */
  positiveSampleIds: string[];
  negativeSampleIds: string[];
}
