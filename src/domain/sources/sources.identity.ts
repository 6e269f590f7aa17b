import type { SourceType } from '../items/item.types.js';

/**
 * What a source polls, as one string: two sources of a workspace with the same identity fetch
 * the same thing, so the second is refused (`sources.duplicate`) and a unique index on
 * (workspace_id, identity) holds against concurrent requests.
 *
 * It is a JSON array: the type, then the fields that define what is fetched, an absent optional
 * field as null. Credentials and the interval are not part of it; an explicit baseUrl equal to
 * the service's default is another identity than none (the defaults live in the connectors).
 *
 * It is stored with the row: changing what it compares needs a new migration that recomputes it.
 * migrations/*_source_identity.sql filled it for existing rows in SQL where SQL gives exactly
 * this function's result (test/infra/migrations.source-identity.test.ts compares the two), and
 * migrations/*_source_identity_spacing.sql recomputed it when whitespace runs became one space.
 *
 * `config` is the type's config as the connector's schema stored it (trimmed, Mastodon tags
 * lowercase without '#', a subreddit without r/, Google News lang and country defaulted).
 */
export function sourceIdentity(type: SourceType, config: Record<string, unknown>): string {
  const text = (field: string) => (typeof config[field] === 'string' ? (config[field] as string).trim() : null);
  const base = (field: string) => (text(field) === null ? null : urlKey(text(field)!));
  switch (type) {
    case 'rss':
      return key(type, urlKey(text('url') ?? ''));
    case 'hackernews':
    case 'bluesky':
      return key(type, base('baseUrl'), foldQuery(text('query') ?? ''));
    case 'reddit': {
      const query = text('query');
      const subreddit = text('subreddit');
      return key(type, base('baseUrl'), base('oauthBaseUrl'), query === null ? null : foldQuery(query), subreddit === null ? null : subreddit.toLowerCase());
    }
    case 'mastodon':
      return key(type, hostKey(text('instance') ?? ''), base('baseUrl'), tagsKey(text('hashtag') ?? ''));
    case 'googlenews':
      return key(type, base('baseUrl'), foldQuery(text('query') ?? ''), text('lang'), text('country'));
    case 'youtube':
      // Channel ids are case-sensitive.
      return key(type, base('baseUrl'), text('channelId'));
  }
}

const key = (...parts: (string | null)[]) => JSON.stringify(parts);

/**
 * A URL as it is requested: the parsed form (`new URL(…).href`: scheme and host lowercase, the
 * default port dropped, the characters a request cannot carry percent-encoded) without the
 * fragment, which is never sent. Path and query stay exact: servers may tell their case apart.
 */
function urlKey(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    // A stored URL always parses (it was checked at save time); this only keeps a bad row comparable.
    return url;
  }
}

/** A Mastodon instance as the host requested: lowercase, without the default port. */
function hostKey(instance: string): string {
  try {
    return new URL(`https://${instance}`).host;
  } catch {
    return instance.toLowerCase();
  }
}

/** The tags of a hashtag timeline: it lists statuses with any of them, so their order says nothing. */
function tagsKey(hashtag: string): string {
  const tags = hashtag.split(',').map((t) => t.trim().replace(/^#/, '').toLowerCase());
  return [...new Set(tags.filter((t) => t !== ''))].sort().join(',');
}

/** Boolean operators in Reddit's, Bluesky's (Lucene) and Google's search syntax: only in capitals. */
const OPERATOR = /^(?:AND|OR|NOT)$/;

/**
 * A search query as the services read it: every query type searches case-insensitively, so the
 * query is lowercased (String.prototype.toLowerCase, the same in every locale), except the words
 * AND, OR and NOT, which are operators in capitals and plain words otherwise. The services split
 * a query into words at whitespace, so a run of it counts as one space. Accents stay as written.
 *
 * Whitespace is JavaScript's `\s`: the set trim() strips from the ends of every config field, so
 * what is whitespace at a query's end is whitespace between its words too. It holds tab, LF, VT,
 * FF, CR, U+2028, U+2029, the space separators (U+0020, U+00A0, U+1680, U+2000–U+200A, U+202F,
 * U+205F, U+3000) and U+FEFF: a pasted query carries no-break and thin spaces and line breaks
 * where its author saw a space. Invisible characters outside it (U+200B, U+2060, U+180E, U+0085)
 * are no space the author saw and stay as written. migrations/0016_source_identity_spacing.sql
 * spells the set out: should `\s` grow (a new Unicode space separator), stored identities would
 * need another migration.
 */
function foldQuery(query: string): string {
  return query
    .trim()
    .split(/\s+/)
    .map((word) => (OPERATOR.test(word) ? word : word.toLowerCase()))
    .join(' ');
}
