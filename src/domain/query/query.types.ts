import type { NormalisedItem } from '../items/item.types.js';

/**
 * An item as the matcher reads it. Its language may be left to work out: `lang` is then a
 * function, called at most once, and only when a `lang:` filter is reached with the item's other
 * parts leaving the answer open (detection costs far more than matching, and most items match no
 * brand's words at all).
 */
export interface MatchItem extends Omit<NormalisedItem, 'lang'> {
  lang: string | null | (() => string | null);
}

/**
 * The parsed form of a brand query. Every string in it is already folded (NFC, lowercase), so
 * the matcher never folds query text again.
 */
export type QueryNode = TermNode | HashtagNode | HandleNode | FilterNode | AndNode | OrNode | NotNode | NearNode;

/**
 * A word (`acme`), a phrase (`"acme coffee"`, or `t-mobile`, which is the phrase `t mobile`), or a
 * prefix (`acme*`, where the last word is a prefix).
 */
export interface TermNode {
  type: 'term';
  /** The term as written, folded: `acme`, `acme coffee`, `acme*`, `t-mobile`. Reported as the keyword. */
  text: string;
  /** The words to find in consecutive positions, folded and in search form (`searchForm`: ي is ی, no ZWNJ), never empty. */
  words: string[];
  /** When true the last word matches any word that starts with it. */
  prefix: boolean;
}

/** `#acmecoffee`: `tag` without the '#'. */
export interface HashtagNode {
  type: 'hashtag';
  tag: string;
}

/** `@acme` or `@acme@mastodon.social`: `handle` without the leading '@'. */
export interface HandleNode {
  type: 'handle';
  handle: string;
}

export const FILTER_FIELDS = ['lang', 'site', 'author', 'source'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** `lang:cs`, `site:example.com` (punycode host), `author:"jane doe"`, `source:rss`. */
export interface FilterNode {
  type: 'filter';
  field: FilterField;
  value: string;
}

export interface AndNode {
  type: 'and';
  children: QueryNode[];
}

export interface OrNode {
  type: 'or';
  children: QueryNode[];
}

export interface NotNode {
  type: 'not';
  child: QueryNode;
}

/** Both sides occur with at most `distance` other words between them, in either order. */
export interface NearNode {
  type: 'near';
  distance: number;
  left: QueryNode;
  right: QueryNode;
}

export const QUERY_LIMITS = {
  maxLength: 1000,
  maxTerms: 100,
  maxNearDistance: 50,
  maxDepth: 32,
  minPrefixLetters: 2,
} as const;

/**
 * An invalid query. `position` is a 0-based offset into the query in UTF-16 code units.
 * Shaped like the API's domain errors (code, status, details) so the error envelope can carry it.
 */
export class QueryError extends Error {
  readonly code = 'query.invalid';
  readonly status = 400;
  readonly details: { position: number };

  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'QueryError';
    this.details = { position };
  }
}
