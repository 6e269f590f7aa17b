import { z } from 'zod';
import type { Connector, PollContext, PollResult } from './connector.types.js';
import { apiItem, apiUrl, baseUrlField, count, dateFrom, engagementOf, fetchJson, parseEach, parseShape, readState, textFromHtml } from './api.request.js';

/** Per poll: at most 5 pages of 40 statuses (Mastodon's largest page); a larger burst is caught up next poll. */
export const MASTODON_LIMITS = Object.freeze({ perPage: 40, maxPages: 5, maxTags: 4 });

const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$/;
const TAG = /^[\p{L}\p{M}\p{N}_]{1,100}$/u;

export const MastodonConfig = z.strictObject({
  instance: z
    .string()
    .trim()
    .toLowerCase()
    .transform((v) => v.replace(/^https?:\/\//, '').replace(/\/+$/, ''))
    .pipe(z.string().regex(HOST, 'instance must be a host name such as mastodon.social')),
  /** Stored normalised ("acme,acmecorp"), so parsing a stored config again gives the same config. */
  hashtag: z
    .string()
    .transform((v) => [...new Set(v.split(',').map((t) => t.trim().replace(/^#/, '').toLowerCase()).filter((t) => t !== ''))])
    .pipe(
      z
        .array(z.string().regex(TAG, 'each hashtag must be letters, digits or underscores'))
        .min(1, 'hashtag must name at least one tag')
        .max(MASTODON_LIMITS.maxTags, `hashtag takes at most ${MASTODON_LIMITS.maxTags} comma-separated tags`),
    )
    .transform((tags) => tags.join(',')),
  baseUrl: baseUrlField('https://<instance>'),
});
export type MastodonConfig = z.infer<typeof MastodonConfig>;

const Status = z.object({
  id: z.string().min(1),
  uri: z.string().min(1),
  url: z.string().nullish(),
  created_at: z.string(),
  content: z.string().default(''),
  spoiler_text: z.string().nullish(),
  language: z.string().nullish(),
  replies_count: z.number().nullish(),
  reblogs_count: z.number().nullish(),
  favourites_count: z.number().nullish(),
  reblog: z.unknown().nullish(),
  tags: z.array(z.object({ name: z.string() })).default([]),
  account: z.object({ acct: z.string().min(1), followers_count: z.number().nullish() }),
});
type Status = z.infer<typeof Status>;

const MastodonState = z.object({ minId: z.string().nullable() });

/** Snowflake ids are decimal strings: a longer one is larger, equal lengths compare as text. */
function newerId(a: string | null, b: string): string {
  if (a === null) return b;
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length > b.length ? a : b;
  return b > a ? b : a;
}

/** The `min_id` of the Link header's rel="prev" URL: where the next newer page starts. */
export function prevMinId(link: string | undefined): string | null {
  for (const part of link?.split(',') ?? []) {
    const m = /<([^>]*)>\s*;(?:[^,]*;)?\s*rel="?prev"?/i.exec(part);
    if (!m) continue;
    try {
      return new URL(m[1]!, 'http://x').searchParams.get('min_id');
    } catch {
      return null;
    }
  }
  return null;
}

function toItem(status: Status, instance: string, fetchedAt: Date) {
  const { acct } = status.account;
  const body = textFromHtml(status.content);
  const url = [status.url, status.uri].find((u) => u && /^https?:\/\//i.test(u)) ?? null;
  return apiItem({
    itemKey: status.uri,
    url,
    title: null,
    text: status.spoiler_text ? `${status.spoiler_text}\n${body}` : body,
    author: acct.includes('@') ? `@${acct}` : `@${acct}@${instance.replace(/:\d+$/, '')}`,
    date: dateFrom(status.created_at),
    fetchedAt,
    categories: status.tags.map((t) => t.name),
    engagement: engagementOf({ favourites: count(status.favourites_count), reposts: count(status.reblogs_count), replies: count(status.replies_count) }),
    authorFollowers: count(status.account.followers_count) ?? null,
    langHint: status.language ?? null,
  });
}

/**
 * The hashtag timeline of one instance, oldest-new-first with `min_id`: each page is the
 * statuses just above the mark, so stopping at the page budget leaves no gap, only a backlog
 * the next poll continues. A first poll takes the newest page and starts from there.
 */
export const mastodonConnector: Connector<MastodonConfig> = {
  type: 'mastodon',
  config: MastodonConfig,
  endpoint: (config) => timelineUrl(config, {}),
  async poll(ctx: PollContext<MastodonConfig>): Promise<PollResult> {
    let minId = readState(MastodonState, ctx.state)?.minId ?? null;
    const firstPoll = minId === null;
    const items = [];
    let status = 200;
    for (let page = 0; page < MASTODON_LIMITS.maxPages; page++) {
      const { res, json } = await fetchJson(ctx, timelineUrl(ctx.config, { min_id: minId, limit: MASTODON_LIMITS.perPage }), 'Mastodon');
      status = res.status;
      const statuses = parseShape(z.array(z.unknown()), json, 'Mastodon', res.status);
      const valid = parseEach(Status, statuses);
      let newest = minId;
      for (const s of valid) {
        newest = newerId(newest, s.id);
        // A boost repeats someone else's status, which the timeline lists in its own right.
        if (!s.reblog) items.push(toItem(s, ctx.config.instance, ctx.now));
      }
      // The Link header also steps over statuses that did not parse; our own maximum covers servers without it.
      const prev = prevMinId(res.headers.link);
      minId = prev === null ? newest : newerId(newest, prev);
      if (firstPoll || statuses.length < MASTODON_LIMITS.perPage) break;
    }
    return { items, state: { minId }, notModified: items.length === 0, status };
  },
};

function timelineUrl(config: MastodonConfig, params: { min_id?: string | null; limit?: number }): string {
  const [first, ...more] = config.hashtag.split(',');
  const base = config.baseUrl ?? `https://${config.instance}`;
  return apiUrl(base, `/api/v1/timelines/tag/${encodeURIComponent(first!)}`, { 'any[]': more, ...params });
}
