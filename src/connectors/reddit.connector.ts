import { z } from 'zod';
import { HttpError, type HttpResponse } from '../infra/http/index.js';
import { SourceFetchError, type Connector, type JsonValue, type PollContext, type PollResult, type SourceItem } from './connector.types.js';
import { apiItem, apiUrl, assertApiResponse, baseUrlField, count, dateFrom, engagementOf, entryReader, parseShape, readCredentials, readJson, searchQueryField, readState, send } from './api.request.js';
import { scanNewestFirst, timeCeiling, WindowState } from './api.window.js';
import { redditAccessToken, forgetRedditToken, RedditCredentials } from './reddit.oauth.js';
import { redditText } from './reddit.text.js';

const REDDIT_WWW = 'https://www.reddit.com';
const REDDIT_OAUTH = 'https://oauth.reddit.com';

/**
 * Per poll and listing: 2 pages of 100 without credentials, 5 with OAuth; a larger burst is caught
 * up over the next polls. A subreddit source reads two listings (posts and comments), a search one.
 * Each reads 10 minutes below its mark again: search indexes late, and a post released from the
 * spam filter or the mod queue appears in /new at its original, older place.
 */
export const REDDIT_LIMITS = Object.freeze({ perPage: 100, maxPagesPublic: 2, maxPagesOAuth: 5, lookbackMs: 10 * 60_000 });

/** A subreddit's page as copied from the address bar: `https://www.reddit.com/r/…`, any reddit.com host, with or without the scheme. */
const REDDIT_PAGE = /^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*reddit\.com(?=\/)/i;

const Subreddit = z
  .string()
  .trim()
  // The name as users copy it: r/name, /r/name/, or the subreddit's URL.
  .transform((v) => v.replace(REDDIT_PAGE, '').replace(/^\/?r\//i, '').replace(/\/$/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/, 'must be 2–21 letters, digits or underscores, with or without r/ or as its reddit.com URL'))
  .describe(
    'A subreddit (2–21 letters, digits or underscores; `r/name`, `/r/name/` and `https://www.reddit.com/r/name/` are taken too, and stored as the name): ' +
      'its new posts and new comments are read. Give this or `query`, not both.',
  );

export const RedditConfig = z
  .strictObject({
    query: searchQueryField(512)
      .optional()
      .describe('Reddit search terms (posts, newest first). Give this or `subreddit`, not both.'),
    subreddit: Subreddit.optional(),
    baseUrl: baseUrlField(REDDIT_WWW),
    /** Where OAuth requests go once a token is held; tests point it at their server. */
    oauthBaseUrl: baseUrlField(REDDIT_OAUTH, `Where requests go once an OAuth token is held (with credentials); defaults to ${REDDIT_OAUTH}.`),
  })
  .superRefine((c, ctx) => {
    if ((c.query === undefined) === (c.subreddit === undefined)) {
      // Name a field so the API can point at it: the missing one, or the second of two.
      ctx.addIssue({ code: 'custom', path: [c.query === undefined ? 'query' : 'subreddit'], message: 'give exactly one of query or subreddit' });
    }
  })
  // The rule above, for JSON Schema readers.
  .meta({ description: 'Exactly one of `query` or `subreddit`.', oneOf: [{ required: ['query'] }, { required: ['subreddit'] }] });
export type RedditConfig = z.infer<typeof RedditConfig>;

const Listing = z.object({
  kind: z.literal('Listing'),
  data: z.object({ after: z.string().nullish(), children: z.array(z.unknown()) }),
});

const Thing = z.object({
  kind: z.enum(['t1', 't3']),
  data: z.object({
    id: z.string().regex(/^[0-9a-z]{1,13}$/),
    name: z.string(),
    author: z.string().nullish(),
    created_utc: z.number(),
    permalink: z.string().startsWith('/'),
    url: z.string().nullish(),
    title: z.string().nullish(),
    selftext: z.string().nullish(),
    selftext_html: z.string().nullish(),
    body: z.string().nullish(),
    body_html: z.string().nullish(),
    subreddit_name_prefixed: z.string().nullish(),
    score: z.number().nullish(),
    num_comments: z.number().nullish(),
  }),
});
type Thing = z.infer<typeof Thing>;

/**
 * Positions are `created_utc` in milliseconds. A state from before (ids as positions, which left
 * no margin to re-read) does not parse: the source starts afresh from the newest pages.
 */
const RedditState = z.object({ positions: z.literal('created_utc'), listings: z.record(z.string(), WindowState) });

/** What Reddit leaves of a removed or deleted post's text or comment's body. */
const PLACEHOLDERS = new Set(['[removed]', '[deleted]']);

/** Reddit's own hosts: a post whose url is there (its permalink, a gallery, an image Reddit hosts) links to no other site. */
const REDDIT_HOST = /(?:^|\.)(?:reddit\.com|redd\.it)$/i;

/** The other site a link post points at, or null. */
function linkTarget(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  try {
    return REDDIT_HOST.test(new URL(url).hostname) ? null : url;
  } catch {
    return null;
  }
}

/**
 * A link post's own address for deduplication: Reddit's short permalink, which names the post by
 * its id alone. (The long one holds the subreddit and a slug of the title, which a stored link
 * post does not keep: migrations/0026_discussion_permalinks.sql builds this one from the item key.)
 */
const redditPostLink = (id: string) => `${REDDIT_WWW}/comments/${id}`;

/**
 * A link post's URL is its link, as a Hacker News story's is, so `site:` finds it, but it is
 * deduplicated by its own address (`redditPostLink`): the article in two subreddits is two
 * discussions. Other posts and comments are their permalink. A removed comment has nothing left
 * to read: null.
 */
function toItem({ kind, data }: Thing, fetchedAt: Date): SourceItem | null {
  const post = kind === 't3';
  const written = post ? redditText(data.selftext_html, data.selftext) : redditText(data.body_html, data.body);
  const text = PLACEHOLDERS.has(written) ? '' : written;
  if (!post && text === '') return null;
  const linked = post ? linkTarget(data.url) : null;
  return apiItem({
    itemKey: `reddit:${data.name}`,
    url: linked ?? `${REDDIT_WWW}${data.permalink}`,
    permalink: linked ? redditPostLink(data.id) : null,
    title: post ? (data.title ?? null) : null,
    text,
    author: data.author && data.author !== '[deleted]' ? `u/${data.author}` : null,
    date: dateFrom(data.created_utc),
    fetchedAt,
    categories: data.subreddit_name_prefixed ? [data.subreddit_name_prefixed] : [],
    engagement: engagementOf({ points: count(data.score), comments: post ? count(data.num_comments) : undefined }),
  });
}

interface ListingRequest {
  /** How the state and a partial failure name it. */
  name: 'posts' | 'comments';
  path: string;
  params: Record<string, string>;
}

function listingsOf(config: RedditConfig): ListingRequest[] {
  if (config.subreddit) {
    return [
      { name: 'posts', path: `/r/${config.subreddit}/new`, params: {} },
      { name: 'comments', path: `/r/${config.subreddit}/comments`, params: {} },
    ];
  }
  return [{ name: 'posts', path: '/search', params: { q: config.query ?? '', sort: 'new', type: 'link' } }];
}

/** Reddit's own error body: `{"reason": "private", "message": "Forbidden", "error": 403}`, the reason optional. */
const RedditError = z.object({ error: z.number(), reason: z.string().optional() });

/**
 * The reason in Reddit's own error body for this status (`private`, `banned`, `quarantined`), ''
 * when it gives none; null when the body is not Reddit's (a proxy's or a CDN's page), which says
 * nothing about the subreddit.
 */
function redditRefusal(res: HttpResponse): string | null {
  let json: unknown;
  try {
    json = JSON.parse(res.body.subarray(0, 4096).toString('utf8'));
  } catch {
    return null;
  }
  const parsed = RedditError.safeParse(json);
  if (!parsed.success || parsed.data.error !== res.status) return null;
  // Quoted in lastError: a word Reddit uses, or nothing.
  return /^[a-z_]{1,40}$/.test(parsed.data.reason ?? '') ? parsed.data.reason! : '';
}

/** Reddit refusing the subreddit itself: the other listing would be refused the same way. */
class SubredditRefused extends SourceFetchError {}

/**
 * A subreddit Reddit refuses, in words, instead of its raw JSON. A banned one or one that does
 * not exist stops the source (as a 410 does): asking again changes nothing, and Reddit's small
 * unauthenticated budget is better spent elsewhere; a PATCH re-enables it (docs/sources.md). A
 * private one is retried on the backoff, up to every six hours: subreddits close for a while
 * (a protest, a moderator's pause) and open again, and the source then resumes by itself. A
 * quarantined one is shown only to accounts that opted in, which application-only access cannot.
 */
function assertSubredditReadable(res: HttpResponse, config: RedditConfig): void {
  if (!config.subreddit || (res.status !== 403 && res.status !== 404)) return;
  const reason = redditRefusal(res);
  if (reason === null) return;
  const r = `r/${config.subreddit}`;
  if (res.status === 404) {
    const what = reason === 'banned' ? `${r} is banned: Reddit answered 404 (banned)` : `${r} does not exist or is banned: Reddit answered 404${reason ? ` (${reason})` : ''}`;
    throw new SubredditRefused(what, { status: 404, permanent: true });
  }
  if (reason === 'private') {
    throw new SubredditRefused(
      `${r} is private: Reddit answered 403 and shows it only to its approved members; it is polled again less and less often (at longest every 6 hours) and read again once it is public`,
      { status: 403 },
    );
  }
  if (reason === 'quarantined') {
    throw new SubredditRefused(`${r} is quarantined: Reddit answered 403 and shows it only to accounts that opted in, which an application's access cannot do`, {
      status: 403,
      permanent: true,
    });
  }
  throw new SubredditRefused(`${r} cannot be read: Reddit answered 403${reason ? ` (${reason})` : ''}`, { status: 403 });
}

/**
 * Reddit answers a listing of a subreddit that does not exist (a misspelled name) with a redirect
 * to its subreddit search, a listing of other things. Followed quietly, that is a source that
 * looks healthy and never finds anything. The redirect's own status is not kept by the client:
 * the failure is recorded as the 404 it means (Reddit answers some such names with 404 itself).
 */
function assertNotRedirected(requested: string, res: HttpResponse, config: RedditConfig): void {
  const asked = new URL(requested).pathname.replace(/\/+$/, '');
  const answered = new URL(res.url).pathname.replace(/\/+$/, '');
  if (answered.toLowerCase() === asked.toLowerCase()) return;
  if (config.subreddit && /^\/subreddits\/search(?:\.json)?$/i.test(answered)) {
    throw new SubredditRefused(`r/${config.subreddit} does not exist: Reddit redirected ${asked} to its subreddit search (check the spelling)`, { status: 404, permanent: true });
  }
  const meaning = config.subreddit ? `: r/${config.subreddit} was not found where it was asked for` : ' instead of answering the search';
  throw new SubredditRefused(`Reddit redirected ${asked} to ${answered}${meaning}`, { status: res.status });
}

/**
 * A failure of one listing's own answer (a 5xx, a body that cannot be read), which says nothing
 * about the other listing: the poll keeps what that one reads. A rate limit, a refused token and
 * a refusal of the subreddit hold for both, and a request that got no answer (the host unreachable)
 * would only be repeated: they fail the whole poll.
 */
function isListingFailure(err: unknown): err is SourceFetchError | HttpError {
  if (err instanceof SubredditRefused) return false;
  if (err instanceof SourceFetchError) {
    const { status, permanent, retryAfterMs } = err.details;
    return status !== null && status !== 401 && status !== 429 && !permanent && retryAfterMs == null;
  }
  return err instanceof HttpError && err.status !== null;
}

const statusOf = (err: SourceFetchError | HttpError) => (err instanceof SourceFetchError ? err.details.status : err.status);

/**
 * New posts (and, for a subreddit, comments) from Reddit's listings, newest first. The mark is
 * the newest `created_utc` read per listing; each poll reads down to 10 minutes below it (keys
 * read there are remembered, so nothing is returned twice). A backlog resumes with `after=` the
 * fullname the previous poll stopped at. (Paging with `before=<fullname>` stalls for good once
 * that post is deleted; reading down from the top to the mark cannot.) A subreddit's listing
 * that fails while the other is read is a partial failure: the other's items and state are
 * kept, the failing one's state stays where it was.
 */
export const redditConnector: Connector<RedditConfig> = {
  type: 'reddit',
  config: RedditConfig,
  credentials: RedditCredentials,
  minIntervalSeconds: 60,
  // With credentials the listings are read from the OAuth host (only the token comes from
  // baseUrl, once an hour): that is where the polls go, and whose politeness slot the source takes.
  endpoint(config, { credentialed = false } = {}) {
    const [first] = listingsOf(config);
    if (credentialed) return apiUrl(config.oauthBaseUrl ?? REDDIT_OAUTH, first!.path, first!.params);
    return apiUrl(config.baseUrl ?? REDDIT_WWW, `${first!.path}.json`, first!.params);
  },
  // The token comes from baseUrl (redditAccessToken), where the client id and secret are posted.
  credentialUrls: (config) => [config.baseUrl ?? REDDIT_WWW],
  async poll(ctx: PollContext<RedditConfig>): Promise<PollResult> {
    const credentials = readCredentials(RedditCredentials, ctx.credentials, 'Reddit');
    const www = ctx.config.baseUrl ?? REDDIT_WWW;
    const previous = readState(RedditState, ctx.state)?.listings ?? {};
    const listings: Record<string, WindowState & JsonValue> = {};
    const items = [];
    const failed: { listing: ListingRequest; err: SourceFetchError | HttpError }[] = [];
    let status = 200;
    let renewed = false;
    const all = listingsOf(ctx.config);
    for (const listing of all) {
      const things = entryReader(`Reddit ${listing.path}`);
      try {
        const result = await scanNewestFirst({
          state: previous[listing.name] ?? null,
          lookback: REDDIT_LIMITS.lookbackMs,
          maxPages: credentials ? REDDIT_LIMITS.maxPagesOAuth : REDDIT_LIMITS.maxPagesPublic,
          ceiling: timeCeiling(ctx.now),
          start: ctx.now.getTime(),
          fetchPage: async ({ next, resume }) => {
            const params = { ...listing.params, limit: String(REDDIT_LIMITS.perPage), raw_json: '1', after: next ?? resume };
            let url: string;
            let res: HttpResponse;
            if (credentials) {
              const oauthUrl = apiUrl(ctx.config.oauthBaseUrl ?? REDDIT_OAUTH, listing.path, params);
              const withToken = async () => send(ctx, oauthUrl, { headers: { authorization: `Bearer ${await redditAccessToken(ctx, www, credentials)}` } });
              url = oauthUrl;
              res = await withToken();
              // A token revoked or expired early: a new one, once per poll, rather than a failed poll.
              if (res.status === 401 && !renewed) {
                renewed = true;
                forgetRedditToken(www, credentials);
                res = await withToken();
              }
              if (res.status === 401) {
                forgetRedditToken(www, credentials);
                throw new SourceFetchError('Reddit refused the access token even with a new one (HTTP 401); another is requested on the next poll', { status: 401 });
              }
            } else {
              url = apiUrl(www, `${listing.path}.json`, params);
              res = await send(ctx, url);
            }
            assertSubredditReadable(res, ctx.config);
            assertApiResponse(res, ctx.now, 'Reddit');
            assertNotRedirected(url, res, ctx.config);
            status = res.status;
            const body = parseShape(Listing, readJson(res, 'Reddit'), 'Reddit', res.status);
            const entries = things.parse(Thing, body.data.children, res.status, ['data', 'children']).map((thing) => ({
              key: thing.data.name,
              at: thing.data.created_utc * 1000,
              item: toItem(thing, ctx.now),
            }));
            return { entries, listed: body.data.children.length, next: body.data.after ?? null };
          },
        });
        things.assertSomeRead();
        listings[listing.name] = result.state;
        items.push(...result.items.filter((item) => item !== null));
      } catch (err) {
        if (all.length === 1 || !isListingFailure(err)) throw err;
        failed.push({ listing, err });
        // Its mark and backlog stay: what it would have returned is read once it answers again.
        const kept = previous[listing.name];
        if (kept) listings[listing.name] = kept as WindowState & JsonValue;
      }
    }
    // Nothing read: the poll failed, as the first listing did.
    if (failed.length === all.length) throw failed[0]!.err;
    const read = all.filter((listing) => !failed.some((f) => f.listing === listing)).map((listing) => listing.name);
    const partialFailure = failed.length
      ? {
          message: `${failed.map(({ listing, err }) => `${listing.name} listing: ${err.message}`).join('; ')}; the ${read.join(' and ')} listing was read`,
          status: statusOf(failed[0]!.err),
        }
      : undefined;
    return { items, state: { positions: 'created_utc', listings }, notModified: items.length === 0, status, ...(partialFailure ? { partialFailure } : {}) };
  },
};
