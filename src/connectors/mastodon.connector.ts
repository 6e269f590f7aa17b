import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { URL_REFUSAL, type Connector, type PollContext, type PollResult } from './connector.types.js';
import { apiItem, apiUrl, baseUrlField, count, isHttpUrl, dateFrom, engagementOf, entryReader, fetchJson, parseShape, readState, textFromHtml } from './api.request.js';
import { timeCeiling } from './api.window.js';

/** Per poll: at most 5 pages of 40 statuses (Mastodon's largest page); a larger burst is caught up next poll. */
export const MASTODON_LIMITS = Object.freeze({ perPage: 40, maxPages: 5, maxTags: 4 });

/** A host name, one label (localhost) or more, with an optional port: whether it may be polled is the URL policy's call. */
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;
/**
 * Mastodon's own tag grammar (`Tag::HASHTAG_SEPARATORS`): word characters, and the separators `_`,
 * `·`, `・` and ZWNJ inside a tag but not at its ends (Persian کتاب‌خوانی, 東京・観光).
 */
const TAG = /^(?=.{1,100}$)[\p{L}\p{M}\p{N}_](?:[\p{L}\p{M}\p{N}_\u00B7\u30FB\u200C]*[\p{L}\p{M}\p{N}_])?$/u;
const TAG_RULE = 'letters, digits and underscores, with ·, ・ or a ZWNJ between them, at most 100 characters';
/** An instance given as a URL: then it is a refused URL (`URL_REFUSAL`) unless http(s) without credentials. */
const WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;

/**
 * `host[:port]` with an internationalised name (mästodon.example) in its ASCII form
 * (xn--mstodon-5wa.example): what a URL requests, so one instance is one target in either
 * spelling. What is no host name stays as given, for HOST to refuse.
 */
function asciiHost(value: string): string {
  if (!/[^\x00-\x7f]/.test(value)) return value;
  const colon = value.indexOf(':');
  const name = domainToASCII(colon < 0 ? value : value.slice(0, colon));
  return name ? `${name}${colon < 0 ? '' : value.slice(colon)}` : value;
}

/** What names a tag in an error: quoted, and not repeated at length. */
const quoted = (tag: string) => ([...tag].length > 40 ? `"${[...tag].slice(0, 40).join('')}…"` : JSON.stringify(tag));

export const MastodonConfig = z.strictObject({
  instance: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => !WITH_SCHEME.test(v) || isHttpUrl(v), {
      message: 'instance must be a host name such as mastodon.social, or its https:// URL without credentials',
      params: URL_REFUSAL,
      abort: true,
    })
    // The instance is polled over https; a server on plain http (a test or intranet one) is what
    // baseUrl is for. Dropping the scheme the user wrote would poll another URL than theirs.
    .superRefine((v, ctx) => {
      if (!v.startsWith('http://')) return;
      const host = v.slice('http://'.length).replace(/\/+$/, '');
      ctx.addIssue({
        code: 'custom',
        message: `instance is polled over https: give its host name, and a server on plain http as baseUrl: {"instance":"${host}","baseUrl":"http://${host}"}`,
      });
    })
    .transform((v) => asciiHost(v.replace(/^https:\/\//, '').replace(/\/+$/, '')))
    .pipe(z.string().regex(HOST, 'instance must be a host name such as mastodon.social'))
    .meta({
      description:
        'The instance whose public hashtag timeline is read over https: a host name (`mastodon.social`; an internationalised one is stored in its xn-- form), ' +
        'with an optional port, or its https:// URL. An instance on plain http is given as `baseUrl` too.',
      examples: ['mastodon.social'],
    }),
  /** Stored normalised ("acme,acmecorp"), so parsing a stored config again gives the same config. */
  hashtag: z
    .string()
    .transform((v) => [...new Set(v.split(',').map((t) => t.trim().replace(/^#/, '').toLowerCase()).filter((t) => t !== ''))])
    // Issues on the field itself, naming the tag: `hashtag.1` is no field of the request.
    .superRefine((tags, ctx) => {
      if (tags.length === 0) ctx.addIssue({ code: 'custom', message: 'hashtag must name at least one tag' });
      if (tags.length > MASTODON_LIMITS.maxTags) ctx.addIssue({ code: 'custom', message: `hashtag takes at most ${MASTODON_LIMITS.maxTags} comma-separated tags` });
      for (const tag of tags.filter((t) => !TAG.test(t))) ctx.addIssue({ code: 'custom', message: `${quoted(tag)} is not a Mastodon hashtag: ${TAG_RULE}` });
    })
    .transform((tags) => tags.join(','))
    .meta({
      description: `One tag, or up to ${MASTODON_LIMITS.maxTags} separated by commas (${TAG_RULE}; \`#\` optional; any case, stored in lower case).`,
      examples: ['acme', 'acme,acmecoffee'],
    }),
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

const DECIMAL_ID = /^\d{1,19}$/;
/** GoToSocial's ULIDs and Akkoma's flake ids: fixed-length, and time-ordered as text. */
const SORTABLE_ID = /^[0-9A-Za-z]{16,32}$/;

/**
 * Whether `id` can be a position. Mastodon's ids are decimal snowflakes, milliseconds << 16 plus
 * a sequence (older statuses have small serials); servers speaking its API with other ids use
 * fixed-length sortable ones. One status with an id like "zzz" or a time far ahead would
 * otherwise carry min_id past everything posted after it.
 */
function isStatusId(id: unknown, now: Date): id is string {
  if (typeof id !== 'string') return false;
  if (DECIMAL_ID.test(id)) return BigInt(id) >> 16n <= BigInt(timeCeiling(now));
  return SORTABLE_ID.test(id);
}

/** The newer of two ids `isStatusId` accepted; an id of another kind or length than `a` is not a position. */
function newerId(a: string | null, b: string): string {
  if (a === null) return b;
  const decimal = DECIMAL_ID.test(a);
  if (decimal !== DECIMAL_ID.test(b)) return a;
  if (decimal) return BigInt(b) > BigInt(a) ? b : a;
  return b.length === a.length && b > a ? b : a;
}

function idOf(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
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
 * the next poll continues. A first poll takes the newest page and starts from there; when the
 * tag had no status then, the state keeps min_id null, and the next poll reads everything listed
 * since from the oldest up (min_id=0), as after any other poll.
 */
export const mastodonConnector: Connector<MastodonConfig> = {
  type: 'mastodon',
  config: MastodonConfig,
  endpoint: (config) => timelineUrl(config, {}),
  async poll(ctx: PollContext<MastodonConfig>): Promise<PollResult> {
    const stored = readState(MastodonState, ctx.state);
    // A min_id an odd status set before ids were checked starts the source afresh rather than stuck.
    const resumes = stored !== null && (stored.minId === null || isStatusId(stored.minId, ctx.now));
    let minId = resumes ? stored.minId : null;
    const firstPoll = !resumes;
    const items = [];
    const reader = entryReader('Mastodon');
    let status = 200;
    for (let page = 0; page < MASTODON_LIMITS.maxPages; page++) {
      // No min_id after a poll: the tag was empty then, so everything listed since is new.
      const above = minId ?? (firstPoll ? null : '0');
      const { res, json } = await fetchJson(ctx, timelineUrl(ctx.config, { min_id: above, limit: MASTODON_LIMITS.perPage }), 'Mastodon');
      status = res.status;
      const statuses = parseShape(z.array(z.unknown()), json, 'Mastodon', res.status);
      // Every listed id counts, parsed or not: a page of statuses we cannot read is still stepped over.
      const before = minId;
      let newest = minId;
      for (const id of statuses.map(idOf)) if (isStatusId(id, ctx.now)) newest = newerId(newest, id);
      for (const s of reader.parse(Status, statuses, res.status)) {
        // A boost repeats someone else's status, which the timeline lists in its own right.
        if (!s.reblog) items.push(toItem(s, ctx.config.instance, ctx.now));
      }
      // The Link header's min_id is the same as our own maximum; the latter covers servers without it.
      const prev = prevMinId(res.headers.link);
      minId = isStatusId(prev, ctx.now) ? newerId(newest, prev) : newest;
      // A page that does not move min_id would only be asked for again.
      if (firstPoll || statuses.length < MASTODON_LIMITS.perPage || minId === before) break;
    }
    reader.assertSomeRead();
    return { items, state: { minId }, notModified: items.length === 0, status };
  },
};

function timelineUrl(config: MastodonConfig, params: { min_id?: string | null; limit?: number }): string {
  const [first, ...more] = config.hashtag.split(',');
  const base = config.baseUrl ?? `https://${config.instance}`;
  return apiUrl(base, `/api/v1/timelines/tag/${encodeURIComponent(first!)}`, { 'any[]': more, ...params });
}
