import { z } from 'zod';
import type { Connector, PollResult } from './connector.types.js';
import { apiItem, apiUrl, baseUrlField, count, dateFrom, engagementOf, entryReader, fetchJson, parseShape, searchQueryField, readState, textFromHtml } from './api.request.js';
import { scanNewestFirst, timeCeiling, WindowState } from './api.window.js';

const HN_API = 'https://hn.algolia.com/api/v1';
const HN_ITEM = 'https://news.ycombinator.com/item?id=';

/** Per poll: at most 5 pages of 100 hits; a larger burst is caught up over the next polls. */
export const HACKERNEWS_LIMITS = Object.freeze({ hitsPerPage: 100, maxPages: 5, lookbackMs: 10 * 60_000 });

export const HackerNewsConfig = z.strictObject({
  query: searchQueryField(500).describe('Algolia Hacker News search terms: stories and comments matching them are read, newest first.'),
  baseUrl: baseUrlField(HN_API),
});
export type HackerNewsConfig = z.infer<typeof HackerNewsConfig>;

const Envelope = z.object({ hits: z.array(z.unknown()), page: z.number().int(), nbPages: z.number().int() });

const Hit = z.object({
  objectID: z.string().regex(/^\d+$/),
  created_at_i: z.number(),
  created_at: z.string().nullish(),
  author: z.string().nullish(),
  title: z.string().nullish(),
  url: z.string().nullish(),
  story_text: z.string().nullish(),
  comment_text: z.string().nullish(),
  points: z.number().nullish(),
  num_comments: z.number().nullish(),
  _tags: z.array(z.string()).default([]),
});
type Hit = z.infer<typeof Hit>;

/**
 * A story's URL is the page it links to (what a reader clicks, and what `site:` matches), but the
 * mention is the discussion: it is deduplicated by its own address, so a resubmission of the
 * article, or its Reddit thread, is another voice (SourceItem.permalink).
 */
function toItem(hit: Hit, fetchedAt: Date) {
  const link = `${HN_ITEM}${hit.objectID}`;
  const isComment = hit._tags.includes('comment') || typeof hit.comment_text === 'string';
  const storyUrl = hit.url && /^https?:\/\//i.test(hit.url) ? hit.url : null;
  const linked = isComment ? null : storyUrl;
  return apiItem({
    itemKey: link,
    url: linked ?? link,
    permalink: linked ? link : null,
    // A comment's story title would make every comment under a story about a brand match it.
    title: isComment ? null : (hit.title ?? null),
    text: textFromHtml(isComment ? hit.comment_text : hit.story_text),
    author: hit.author ?? null,
    date: dateFrom(hit.created_at ?? null) ?? dateFrom(hit.created_at_i),
    fetchedAt,
    categories: [isComment ? 'comment' : 'story'],
    engagement: engagementOf({ points: count(hit.points), comments: count(hit.num_comments) }),
  });
}

/**
 * Stories and comments matching `query`, newest first (`search_by_date`), from the stored
 * high-water mark `created_at_i` minus ten minutes of look-back for late indexing.
 */
export const hackernewsConnector: Connector<HackerNewsConfig> = {
  type: 'hackernews',
  config: HackerNewsConfig,
  endpoint: (config) => apiUrl(config.baseUrl ?? HN_API, '/search_by_date', { query: config.query, tags: '(story,comment)' }),
  async poll(ctx): Promise<PollResult> {
    const base = ctx.config.baseUrl ?? HN_API;
    let status = 200;
    const hits = entryReader('Hacker News search');
    const { items, state } = await scanNewestFirst({
      state: readState(WindowState, ctx.state),
      lookback: HACKERNEWS_LIMITS.lookbackMs,
      maxPages: HACKERNEWS_LIMITS.maxPages,
      ceiling: timeCeiling(ctx.now),
      start: ctx.now.getTime(),
      fetchPage: async ({ from, upTo, next }) => {
        const filters = [
          ...(from === null ? [] : [`created_at_i>=${Math.floor(from / 1000)}`]),
          ...(upTo === null ? [] : [`created_at_i<=${Math.ceil(upTo / 1000)}`]),
        ];
        const page = Number(next ?? 0);
        const url = apiUrl(base, '/search_by_date', {
          query: ctx.config.query,
          tags: '(story,comment)',
          hitsPerPage: HACKERNEWS_LIMITS.hitsPerPage,
          page,
          numericFilters: filters.length ? filters.join(',') : null,
        });
        const { res, json } = await fetchJson(ctx, url, 'Hacker News search');
        status = res.status;
        const body = parseShape(Envelope, json, 'Hacker News search', res.status);
        const entries = hits.parse(Hit, body.hits, res.status, ['hits']).map((hit) => ({ key: hit.objectID, at: hit.created_at_i * 1000, item: toItem(hit, ctx.now) }));
        return { entries, listed: body.hits.length, next: body.page + 1 < body.nbPages ? String(body.page + 1) : null };
      },
    });
    hits.assertSomeRead();
    return { items, state, notModified: items.length === 0, status };
  },
};
