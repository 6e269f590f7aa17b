/** Every kind of source Earshot polls. `googlenews` and `youtube` are presets over the rss path. */
export const SOURCE_TYPES = ['rss', 'hackernews', 'reddit', 'mastodon', 'bluesky', 'googlenews', 'youtube'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/**
 * One item from any source, reduced to what matching, scoring and storage need.
 * Produced by the feed parser and the connectors; consumed by the brand matcher.
 */
export interface NormalisedItem {
  title: string | null;
  /** Plain text: HTML stripped, entities decoded. */
  text: string;
  /** Absolute URL, or null when the source gives none. */
  url: string | null;
  author: string | null;
  /** ISO 639-1 code from language detection, or null when unknown. */
  lang: string | null;
  sourceType: SourceType;
  /** Lowercase, without the leading '#'. */
  hashtags: readonly string[];
  /** Lowercase, without the leading '@'. */
  handles: readonly string[];
}
