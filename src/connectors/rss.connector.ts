import { z } from 'zod';
import type { Connector, JsonValue, PollContext, PollResult } from './connector.types.js';
import { assertUsableResponse } from './http-status.js';

export const RssConfig = z.strictObject({
  url: z.string().min(1).max(2000).describe('The feed: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed'),
});
export type RssConfig = z.infer<typeof RssConfig>;

/** HTTP validators kept between polls so an unchanged feed costs one 304 or one hash. */
const RssState = z.object({ etag: z.string().nullable(), lastModified: z.string().nullable(), bodyHash: z.string().nullable() }).partial();

/** Fetches and parses one feed URL; the Google News and YouTube presets reuse it with built URLs. */
export async function pollFeed(url: string, ctx: Omit<PollContext<unknown>, 'config'>): Promise<PollResult> {
  const state = RssState.safeParse(ctx.state ?? {}).data ?? {};
  const res = await ctx.http.request(url, {
    headers: { accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, */*;q=0.5' },
    conditional: { etag: state.etag ?? null, lastModified: state.lastModified ?? null },
    previousBodyHash: state.bodyHash ?? null,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  assertUsableResponse(res, ctx.now);
  const nextState: JsonValue = { etag: res.etag, lastModified: res.lastModified, bodyHash: res.bodyHash };
  if (res.notModified) return { items: [], state: nextState, notModified: true, status: res.status };
  const feed = await ctx.parseFeed({ bytes: res.body, contentType: res.headers['content-type'] ?? null }, { feedUrl: res.url, fetchedAt: ctx.now });
  return {
    items: feed.items.map((item) => ({ ...item, engagement: null, authorFollowers: null, langHint: null })),
    state: nextState,
    notModified: false,
    status: res.status,
  };
}

export const rssConnector: Connector<RssConfig> = {
  type: 'rss',
  config: RssConfig,
  endpoint: (config) => config.url,
  poll: (ctx) => pollFeed(ctx.config.url, ctx),
};
