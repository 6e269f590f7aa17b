import { z } from 'zod';
import type { HttpResponse } from '../infra/http/index.js';
import { SourceFetchError, type Connector, type JsonValue, type PollContext, type PollResult } from './connector.types.js';
import { apiItem, apiUrl, assertApiResponse, baseUrlField, count, dateFrom, engagementOf, parseEach, parseShape, readCredentials, readJson, readState, send } from './api.request.js';
import { scanNewestFirst, WindowState } from './api.window.js';
import { redditAccessToken, forgetRedditToken, RedditCredentials } from './reddit.oauth.js';

const REDDIT_WWW = 'https://www.reddit.com';
const REDDIT_OAUTH = 'https://oauth.reddit.com';

/**
 * Per poll and listing: 2 pages of 100 without credentials, 5 with OAuth; a larger burst is caught
 * up over the next polls. A subreddit source reads two listings (posts and comments), a search one.
 */
export const REDDIT_LIMITS = Object.freeze({ perPage: 100, maxPagesPublic: 2, maxPagesOAuth: 5 });

/**
 * The highest id believed as a position: 9 base-36 characters. Today's ids have 7 and each more
 * takes Reddit 36 times as many posts; a longer one (or one past 2^53) would hold the mark for good.
 */
const MAX_POSITION = 36 ** 9 - 1;

const Subreddit = z
  .string()
  .trim()
  .transform((v) => v.replace(/^\/?r\//i, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/, 'subreddit must be 2–21 letters, digits or underscores, with or without r/'))
  .describe('A subreddit (2–21 letters, digits or underscores, `r/` optional): its new posts and new comments are read. Give this or `query`, not both.');

export const RedditConfig = z
  .strictObject({
    query: z
      .string()
      .trim()
      .min(1, 'query must not be empty')
      .max(512, 'query must be at most 512 characters')
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
    title: z.string().nullish(),
    selftext: z.string().nullish(),
    body: z.string().nullish(),
    subreddit_name_prefixed: z.string().nullish(),
    score: z.number().nullish(),
    num_comments: z.number().nullish(),
  }),
});
type Thing = z.infer<typeof Thing>;

const RedditState = z.object({ listings: z.record(z.string(), WindowState) });

function toItem({ kind, data }: Thing, fetchedAt: Date) {
  const post = kind === 't3';
  return apiItem({
    itemKey: `reddit:${data.name}`,
    url: `${REDDIT_WWW}${data.permalink}`,
    title: post ? (data.title ?? null) : null,
    text: (post ? data.selftext : data.body) ?? '',
    author: data.author && data.author !== '[deleted]' ? `u/${data.author}` : null,
    date: dateFrom(data.created_utc),
    fetchedAt,
    categories: data.subreddit_name_prefixed ? [data.subreddit_name_prefixed] : [],
    engagement: engagementOf({ points: count(data.score), comments: post ? count(data.num_comments) : undefined }),
  });
}

function listingsOf(config: RedditConfig): { name: string; path: string; params: Record<string, string> }[] {
  if (config.subreddit) {
    return [
      { name: 'posts', path: `/r/${config.subreddit}/new`, params: {} },
      { name: 'comments', path: `/r/${config.subreddit}/comments`, params: {} },
    ];
  }
  return [{ name: 'posts', path: '/search', params: { q: config.query ?? '', sort: 'new', type: 'link' } }];
}

/**
 * New posts (and, for a subreddit, comments) from Reddit's listings, newest first. The mark is
 * the newest fullname read per listing: ids are base-36 and grow with time, so the scan stops at
 * the first id at or below it. (Paging with `before=<fullname>` stalls for good once that post
 * is deleted; reading down from the top to the mark cannot.)
 */
export const redditConnector: Connector<RedditConfig> = {
  type: 'reddit',
  config: RedditConfig,
  credentials: RedditCredentials,
  minIntervalSeconds: 60,
  endpoint(config) {
    const [first] = listingsOf(config);
    return apiUrl(config.baseUrl ?? REDDIT_WWW, `${first!.path}.json`, first!.params);
  },
  async poll(ctx: PollContext<RedditConfig>): Promise<PollResult> {
    const credentials = readCredentials(RedditCredentials, ctx.credentials, 'Reddit');
    const www = ctx.config.baseUrl ?? REDDIT_WWW;
    const previous = readState(RedditState, ctx.state)?.listings ?? {};
    const listings: Record<string, WindowState & JsonValue> = {};
    const items = [];
    let status = 200;
    for (const listing of listingsOf(ctx.config)) {
      const result = await scanNewestFirst({
        state: previous[listing.name] ?? null,
        lookback: 0,
        maxPages: credentials ? REDDIT_LIMITS.maxPagesOAuth : REDDIT_LIMITS.maxPagesPublic,
        ceiling: MAX_POSITION,
        fetchPage: async ({ upTo, next }) => {
          // Reading a backlog starts just below its oldest item; its fullname is rebuilt from the id.
          const after = next ?? (upTo === null ? null : `${listing.name === 'posts' ? 't3' : 't1'}_${upTo.toString(36)}`);
          const params = { ...listing.params, limit: String(REDDIT_LIMITS.perPage), raw_json: '1', after };
          let res: HttpResponse;
          if (credentials) {
            const token = await redditAccessToken(ctx, www, credentials);
            res = await send(ctx, apiUrl(ctx.config.oauthBaseUrl ?? REDDIT_OAUTH, listing.path, params), { headers: { authorization: `Bearer ${token}` } });
            if (res.status === 401) {
              forgetRedditToken(www, credentials);
              throw new SourceFetchError('Reddit refused the access token (HTTP 401); a new one is requested on the next poll', { status: 401 });
            }
          } else {
            res = await send(ctx, apiUrl(www, `${listing.path}.json`, params));
          }
          assertApiResponse(res, ctx.now, 'Reddit');
          status = res.status;
          const body = parseShape(Listing, readJson(res, 'Reddit'), 'Reddit', res.status);
          const entries = parseEach(Thing, body.data.children).map((thing) => ({
            key: thing.data.name,
            at: parseInt(thing.data.id, 36),
            item: toItem(thing, ctx.now),
          }));
          return { entries, listed: body.data.children.length, next: body.data.after ?? null };
        },
      });
      listings[listing.name] = result.state;
      items.push(...result.items);
    }
    return { items, state: { listings }, notModified: items.length === 0, status };
  },
};
