import { z } from 'zod';
import { fromFeedItem, type Connector, type FetchedFeed, type JsonValue, type PollContext, type PollResult } from './connector.types.js';
import { assertUsableResponse, type UsableResponseOptions } from './http-status.js';

export const RssConfig = z.strictObject({
  url: z.string().min(1).max(2000).describe('The feed: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed'),
});
export type RssConfig = z.infer<typeof RssConfig>;

/** HTTP validators kept between polls so an unchanged feed costs one 304 or one hash. */
const RssState = z.object({ etag: z.string().nullable(), lastModified: z.string().nullable(), bodyHash: z.string().nullable() }).partial();

/** Fetches one feed URL conditionally: null when the upstream says nothing changed. */
async function fetchFeed(
  url: string,
  ctx: Omit<PollContext<unknown>, 'config'>,
  errors: Pick<UsableResponseOptions, 'namePath'> = {},
): Promise<{ feed: FetchedFeed | null; state: JsonValue; status: number }> {
  const state = RssState.safeParse(ctx.state ?? {}).data ?? {};
  const res = await ctx.http.request(url, {
    headers: { accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, */*;q=0.5' },
    conditional: { etag: state.etag ?? null, lastModified: state.lastModified ?? null },
    previousBodyHash: state.bodyHash ?? null,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  assertUsableResponse(res, ctx.now, errors);
  const nextState: JsonValue = { etag: res.etag, lastModified: res.lastModified, bodyHash: res.bodyHash };
  const feed = res.notModified ? null : { body: { bytes: res.body, contentType: res.headers['content-type'] ?? null }, opts: { feedUrl: res.url, fetchedAt: ctx.now } };
  return { feed, state: nextState, status: res.status };
}

/**
 * Fetches and parses one feed URL now: the Google News and YouTube presets filter its items by
 * key. Their URL is a `baseUrl` and a fixed path, no secret, so its errors name that path.
 */
export async function pollFeed(url: string, ctx: Omit<PollContext<unknown>, 'config'>): Promise<PollResult> {
  const { feed, state, status } = await fetchFeed(url, ctx, { namePath: true });
  if (!feed) return { items: [], state, notModified: true, status };
  const parsed = await ctx.parseFeed(feed.body, feed.opts);
  return { items: parsed.items.map(fromFeedItem), state, notModified: false, status };
}

export const rssConnector: Connector<RssConfig> = {
  type: 'rss',
  config: RssConfig,
  endpoint: (config) => config.url,
  // Every item of the feed goes to ingestion, which deduplicates by key: the body is handed over unread.
  async poll(ctx) {
    const { feed, state, status } = await fetchFeed(ctx.config.url, ctx);
    return feed ? { items: [], feed, state, notModified: false, status } : { items: [], state, notModified: true, status };
  },
};
