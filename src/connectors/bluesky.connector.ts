import { z } from 'zod';
import { judgeDate } from '../domain/text/dates.js';
import type { HttpResponse } from '../infra/http/index.js';
import { SourceFetchError, type Connector, type PollContext, type PollResult } from './connector.types.js';
import { apiItem, apiUrl, assertApiResponse, baseUrlField, count, dateFrom, engagementOf, entryReader, parseShape, readCredentials, readJson, searchQueryField, readState, send } from './api.request.js';
import { scanNewestFirst, timeCeiling, WindowState } from './api.window.js';
import { BlueskyCredentials, createBlueskyAuth, xrpcError } from './bluesky.session.js';
import { bodyExcerpt } from './http-status.js';

/** Unauthenticated reads go to the public AppView; logged-in ones to the account's PDS, which proxies them. */
const PUBLIC_API = 'https://public.api.bsky.app';
const ACCOUNT_API = 'https://bsky.social';
/** Bluesky's AppView hosts: they serve reads, take no logins, and must never be sent an app password. */
const APPVIEW_HOSTS = new Set(['public.api.bsky.app', 'api.bsky.app']);

/** The AppView host a base URL names, or null. */
function appViewHost(base: string): string | null {
  if (!URL.canParse(base)) return null;
  const host = new URL(base).hostname.toLowerCase().replace(/\.$/, '');
  return APPVIEW_HOSTS.has(host) ? host : null;
}

const appViewRefusal = (host: string) =>
  `is Bluesky's AppView (${host}), which takes no logins: a source with credentials would send the account's identifier and app password there. ` +
  `Leave baseUrl unset (credentials log in at ${ACCOUNT_API}) or set it to the account's PDS`;

/** Per poll: at most 5 pages of 100 posts, reading 10 minutes below the mark for late indexing. */
export const BLUESKY_LIMITS = Object.freeze({ perPage: 100, maxPages: 5, lookbackMs: 10 * 60_000 });

export const BlueskyConfig = z.strictObject({
  query: searchQueryField(512).describe('Bluesky post search terms (`app.bsky.feed.searchPosts`, newest first).'),
  baseUrl: baseUrlField(
    `${PUBLIC_API} (${ACCOUNT_API} with credentials)`,
    `Another server speaking the same API (the account's PDS, a proxy, a test server); defaults to ${PUBLIC_API}, or ${ACCOUNT_API} with credentials. ` +
      "With credentials it must not be Bluesky's AppView (public.api.bsky.app, api.bsky.app), which takes no logins: that is a 400 naming baseUrl.",
  ),
});
export type BlueskyConfig = z.infer<typeof BlueskyConfig>;

const Envelope = z.object({ posts: z.array(z.unknown()), cursor: z.string().nullish() });

const Post = z.object({
  uri: z.string().regex(/^at:\/\/[^/]+\/app\.bsky\.feed\.post\/[^/]+$/),
  author: z.object({ did: z.string(), handle: z.string() }),
  record: z.object({
    text: z.string().default(''),
    createdAt: z.string().nullish(),
    langs: z.array(z.string()).nullish(),
    // Read one by one (`linkFacets`, `cardOf`): an odd facet or embed must not cost the post.
    facets: z.array(z.unknown()).nullish(),
    embed: z.unknown().optional(),
  }),
  /** The embed as the AppView shows it (`…#view`), for a record whose own embed is unreadable. */
  embed: z.unknown().optional(),
  indexedAt: z.string(),
  replyCount: z.number().nullish(),
  repostCount: z.number().nullish(),
  likeCount: z.number().nullish(),
});
type Post = z.infer<typeof Post>;

/** The AppView sorts and filters (`since`, `until`) by sortAt: the earlier of createdAt and indexedAt. */
function sortAt(post: Post): number | null {
  const times = [dateFrom(post.indexedAt), dateFrom(post.record.createdAt)].filter((d): d is Date => d !== null).map((d) => d.getTime());
  return times.length ? Math.min(...times) : null;
}

/** atproto's handle and DID syntax: what is safe to put in a bsky.app path as it is. */
const HANDLE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;

/**
 * Who wrote the post, as bsky.app names them: the handle (lowercase), or the DID when the handle
 * no longer verifies or is not a handle at all. An AppView's answer is not trusted to be well
 * formed: a "handle" with a slash or a query would otherwise rewrite the link.
 */
function profileOf(author: Post['author']): string | null {
  if (author.handle !== 'handle.invalid' && HANDLE.test(author.handle)) return author.handle.toLowerCase();
  return DID.test(author.did) ? author.did : null;
}

/**
 * When the post was written: its createdAt, which the author's client sets, unless that is not
 * believable (a post dated 2099, or before 1995) or later than when the AppView indexed the post
 * (a clock running ahead): then indexedAt, as Bluesky's own sortAt does.
 */
function writtenAt(post: Post, fetchedAt: Date): Date | null {
  const created = dateFrom(post.record.createdAt);
  const indexed = dateFrom(post.indexedAt);
  if (created === null || indexed === null) return created ?? indexed;
  const believable = judgeDate(created, fetchedAt).dateQuality === 'exact';
  return believable && created.getTime() <= indexed.getTime() ? created : indexed;
}

const HTTP_URI = z.string().regex(/^https?:\/\/[^\s]+$/i);

const LinkFacet = z.object({
  index: z.object({ byteStart: z.number().int().nonnegative(), byteEnd: z.number().int().nonnegative() }),
  features: z.array(z.unknown()),
});
const LinkFeature = z.object({ $type: z.literal('app.bsky.richtext.facet#link'), uri: HTTP_URI });

/** The `#link` facets of a post: byte ranges of its text (UTF-8, not UTF-16) and the URI each links to. */
function linkFacets(facets: unknown[] | null | undefined): { start: number; end: number; uri: string }[] {
  return (facets ?? []).flatMap((raw) => {
    const facet = LinkFacet.safeParse(raw).data;
    const uri = facet?.features.map((f) => LinkFeature.safeParse(f).data?.uri).find((u) => u !== undefined);
    return facet && uri ? [{ start: facet.index.byteStart, end: facet.index.byteEnd, uri }] : [];
  });
}

/** A URL as compared with the text shown for it: without scheme or `www.`, percent-escapes read, in lower case. */
function bare(url: string): string {
  let text = url.trim().replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  try {
    text = decodeURI(text);
  } catch {
    // Shown as it is.
  }
  return text.toLowerCase();
}

/**
 * What a link reads as: clients show a link as its URL cut short (`acme.example/news/lau...`),
 * which is replaced by the full URI; words written over a link (`read this`) are kept, the URI
 * after them.
 */
function linkText(shown: string, uri: string): string {
  const prefix = bare(shown).replace(/(?:\.\.\.|…)$/, '');
  return prefix !== '' && bare(uri).startsWith(prefix) ? uri : `${shown} (${uri})`;
}

/**
 * The post's text with its links written out in full (see `linkText`). Facets index the UTF-8
 * bytes of the text; one out of range, overlapping another or cutting a character is ignored.
 */
function expandLinks(text: string, facets: unknown[] | null | undefined): string {
  const links = linkFacets(facets).sort((a, b) => a.start - b.start);
  if (links.length === 0) return text;
  const bytes = Buffer.from(text, 'utf8');
  const boundary = (i: number) => i === bytes.length || (i < bytes.length && (bytes[i]! & 0xc0) !== 0x80);
  let out = '';
  let done = 0;
  for (const { start, end, uri } of links) {
    if (start < done || end <= start || !boundary(start) || !boundary(end)) continue;
    out += bytes.toString('utf8', done, start) + linkText(bytes.toString('utf8', start, end), uri);
    done = end;
  }
  return out + bytes.toString('utf8', done);
}

const External = z.object({ uri: HTTP_URI, title: z.string().default(''), description: z.string().default('') });
/** `app.bsky.embed.external` (a link card), or one beside a quoted post (`recordWithMedia`); their `#view`s alike. */
const CardEmbed = z.union([z.object({ external: External }), z.object({ media: z.object({ external: External }) })]);

/** The post's link card: the page it shares, with the title and description the card shows. */
function cardOf(post: Post): z.infer<typeof External> | null {
  for (const embed of [post.record.embed, post.embed]) {
    const card = CardEmbed.safeParse(embed).data;
    if (card) return 'external' in card ? card.external : card.media.external;
  }
  return null;
}

/**
 * A post that shares a page through a link card says what the card shows: its title and
 * description follow the text, so a brand named only in the card is found. The post stays its
 * own mention, at its own URL: fifty people sharing one article with their own words are fifty
 * voices, not one copy of the article (which deduplicating by the article's URL would make them).
 */
function toItem(post: Post, fetchedAt: Date) {
  const rkey = post.uri.slice(post.uri.lastIndexOf('/') + 1);
  const profile = profileOf(post.author);
  const card = cardOf(post);
  const text = expandLinks(post.record.text, post.record.facets);
  const shown = card ? [card.title, card.description].map((s) => s.trim()).filter((s) => s !== '' && !text.includes(s)) : [];
  return apiItem({
    itemKey: post.uri,
    url: profile ? `https://bsky.app/profile/${profile}/post/${encodeURIComponent(rkey)}` : null,
    title: null,
    text: [text, ...shown].filter((s) => s !== '').join('\n'),
    author: profile ? `@${profile}` : null,
    date: writtenAt(post, fetchedAt),
    fetchedAt,
    engagement: engagementOf({ favourites: count(post.likeCount), reposts: count(post.repostCount), replies: count(post.replyCount) }),
    langHint: post.record.langs?.[0] ?? null,
  });
}

/**
 * Bluesky's public AppView often refuses search without an account, for long stretches: 403
 * with its proxy's page ("Request forbidden by administrative rules", which it also answers to
 * any `cursor` page), or 401 or 403 with XRPC's `AuthMissing`. Polling again on the backoff
 * would only repeat that every few hours, so the source stops, as on a 410, with the way out in
 * words; credentials given with PATCH start it again (sources.usecases.ts).
 */
function searchNeedsAccount(res: HttpResponse, base: string): SourceFetchError {
  const code = xrpcError(res);
  const said = code !== null && /^[A-Za-z]{1,60}$/.test(code) ? code : bodyExcerpt(res);
  return new SourceFetchError(
    `Bluesky search needs an account: ${new URL(base).host} refused to search without one (HTTP ${res.status}${said ? `: ${said}` : ''}), so polling stopped. ` +
      'Give this source credentials, a Bluesky handle and an app password (created in Bluesky under Settings, Privacy and security, App passwords), ' +
      'with PATCH /v1/sources/:id and {"credentials": {"identifier": "yourname.bsky.social", "appPassword": "xxxx-xxxx-xxxx-xxxx"}}; that starts it again',
    { status: res.status, permanent: true },
  );
}

/**
 * `app.bsky.feed.searchPosts` sorted latest first, with `since` at the high-water mark minus the
 * look-back and cursor paging down to it. Without credentials the public AppView often refuses
 * search (searchNeedsAccount); with an app password the poll logs in (createSession) and
 * refreshes once on expiry.
 */
export const blueskyConnector: Connector<BlueskyConfig> = {
  type: 'bluesky',
  config: BlueskyConfig,
  credentials: BlueskyCredentials,
  // A source with credentials reads through the account's service: its host, not the public AppView's, is the one it loads.
  endpoint: (config, { credentialed = false } = {}) =>
    apiUrl(config.baseUrl ?? (credentialed ? ACCOUNT_API : PUBLIC_API), '/xrpc/app.bsky.feed.searchPosts', { q: config.query, sort: 'latest' }),
  credentialTargetProblems(config) {
    const host = config.baseUrl ? appViewHost(config.baseUrl) : null;
    return host ? [{ field: 'baseUrl', message: appViewRefusal(host) }] : [];
  },
  async poll(ctx: PollContext<BlueskyConfig>): Promise<PollResult> {
    const credentials = readCredentials(BlueskyCredentials, ctx.credentials, 'Bluesky');
    const base = ctx.config.baseUrl ?? (credentials ? ACCOUNT_API : PUBLIC_API);
    // Refused at save; a source stored before that was refused is stopped here, before any request.
    const appView = credentials ? appViewHost(base) : null;
    if (appView) throw new SourceFetchError(`the Bluesky credentials were not sent: baseUrl ${appViewRefusal(appView)}, with PATCH /v1/sources/:id`, { status: null, permanent: true });
    const get = credentials ? createBlueskyAuth(ctx, base, credentials) : (url: string) => send(ctx, url);
    let status = 200;
    const posts = entryReader('Bluesky search');
    const { items, state } = await scanNewestFirst({
      state: readState(WindowState, ctx.state),
      lookback: BLUESKY_LIMITS.lookbackMs,
      maxPages: BLUESKY_LIMITS.maxPages,
      ceiling: timeCeiling(ctx.now),
      start: ctx.now.getTime(),
      fetchPage: async ({ from, upTo, next }) => {
        const url = apiUrl(base, '/xrpc/app.bsky.feed.searchPosts', {
          q: ctx.config.query,
          sort: 'latest',
          limit: BLUESKY_LIMITS.perPage,
          since: from === null ? null : new Date(from).toISOString(),
          // `until` is exclusive; the backlog's upper bound is inclusive.
          until: upTo === null ? null : new Date(upTo + 1).toISOString(),
          cursor: next,
        });
        const res: HttpResponse = await get(url);
        if (!credentials && (res.status === 401 || res.status === 403)) throw searchNeedsAccount(res, base);
        assertApiResponse(res, ctx.now, 'Bluesky');
        status = res.status;
        const body = parseShape(Envelope, readJson(res, 'Bluesky search'), 'Bluesky search', res.status);
        const entries = posts.parse(Post, body.posts, res.status, ['posts']).flatMap((post) => {
          const at = sortAt(post);
          return at === null ? [] : [{ key: post.uri, at, item: toItem(post, ctx.now) }];
        });
        // An empty page with a cursor would loop; treat it as the end.
        return { entries, listed: body.posts.length, next: body.posts.length > 0 ? (body.cursor ?? null) : null };
      },
    });
    posts.assertSomeRead();
    return { items, state, notModified: items.length === 0, status };
  },
};
