import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { SourceFetchError, URL_REFUSAL, type Connector, type PollContext, type PollResult, type SourceItem } from './connector.types.js';
import type { HttpResponse } from '../infra/http/index.js';
import { apiItem, apiUrl, assertApiResponse, baseUrlField, count, isHttpUrl, dateFrom, engagementOf, entryReader, parseShape, readJson, readState, send, textFromHtml } from './api.request.js';
import { scanNewestFirst, timeCeiling, WindowState } from './api.window.js';

/**
 * Per poll: at most 5 pages of 40 statuses (Mastodon's largest page); a larger burst is caught up
 * over the next polls. Each reads 10 minutes below its mark again, for statuses that federate late.
 */
export const MASTODON_LIMITS = Object.freeze({ perPage: 40, maxPages: 5, maxTags: 4, lookbackMs: 10 * 60_000 });

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
      message: 'must be a host name such as mastodon.social, or its https:// URL without credentials',
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
        message: `is polled over https only: give its host name here, and a server on plain http as baseUrl: {"instance":"${host}","baseUrl":"http://${host}"}`,
      });
    })
    .transform((v) => asciiHost(v.replace(/^https:\/\//, '').replace(/\/+$/, '')))
    .pipe(z.string().regex(HOST, 'must be a host name such as mastodon.social'))
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
      if (tags.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one tag' });
      if (tags.length > MASTODON_LIMITS.maxTags) ctx.addIssue({ code: 'custom', message: `must hold at most ${MASTODON_LIMITS.maxTags} comma-separated tags` });
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

const DECIMAL_ID = /^\d{1,19}$/;
/** GoToSocial's ids: ULIDs, whose first ten characters (Crockford base32) are milliseconds. */
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Pleroma's and Akkoma's flake ids: 128 bits in base62, milliseconds in the top 64. */
const FLAKE = /^[0-9A-Za-z]{18}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Where a status stands in the timeline, which is ordered by id: the time its id encodes, in
 * milliseconds. Mastodon's ids are snowflakes, milliseconds << 16 plus a sequence, made from the
 * status's *publish* time, so a status that federates late is listed below ones read already.
 * null for an id that encodes no time we can read.
 */
export function positionOf(id: string): number | null {
  if (DECIMAL_ID.test(id)) return Number(BigInt(id) >> 16n);
  if (ULID.test(id)) return [...id.slice(0, 10).toUpperCase()].reduce((n, c) => n * 32 + CROCKFORD.indexOf(c), 0);
  if (FLAKE.test(id)) return Number([...id].reduce((n, c) => n * 62n + BigInt(BASE62.indexOf(c)), 0n) >> 64n);
  return null;
}

/**
 * The state before the look-back, `{minId}` (the newest id read), as a window whose mark is that
 * id's position. A null minId was a tag empty at the first poll: everything listed since is new.
 * An id that is no believable position (one an odd status set) starts the source afresh rather
 * than stuck above everything.
 */
const LegacyState = z.object({ minId: z.string().nullable() });

function readMastodonState(state: unknown, now: Date): WindowState | null {
  const window = readState(WindowState, state);
  if (window) return window;
  const legacy = readState(LegacyState, state);
  if (!legacy) return null;
  const mark = legacy.minId === null ? 0 : positionOf(legacy.minId);
  return mark === null || mark > timeCeiling(now) ? null : { mark, seen: [], backlog: null };
}

function idOf(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
}

/** The `max_id` of the Link header's rel="next" URL: where the next older page starts. */
export function nextMaxId(link: string | undefined): string | null {
  for (const part of link?.split(',') ?? []) {
    const m = /<([^>]*)>\s*;(?:[^,]*;)?\s*rel="?next"?/i.exec(part);
    if (!m) continue;
    try {
      return new URL(m[1]!, 'http://x').searchParams.get('max_id');
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
 * An instance that turned off its public timeline previews answers a request without a token
 * with 401 (Mastodon 4) or 422 (older versions), `{"error":"This API requires an authenticated
 * user"}` or `"This method requires an authenticated user"`. Earshot reads Mastodon without an
 * account, so no retry will read it: the message says what to do instead. (A 422 for anything
 * else is left to the usual status handling.)
 */
function assertPublicTimeline(res: HttpResponse, instance: string): void {
  const refused = res.status === 401 || (res.status === 422 && /authenticated/i.test(res.body.subarray(0, 2048).toString('utf8')));
  if (!refused) return;
  throw new SourceFetchError(
    `${instance} does not let its hashtag timelines be read without logging in (HTTP ${res.status}); ` +
      'Earshot reads Mastodon without an account, so pick another instance for this tag',
    { status: res.status },
  );
}

/**
 * The hashtag timeline of one instance, newest first with `max_id`, down to ten minutes below the
 * newest position read (`scanNewestFirst`): a status that reaches the instance late is listed at
 * its publish time, below the mark, and the margin catches it; the ids read there are remembered
 * so nothing is returned twice. A `max_id` stays valid between polls, so a backlog resumes there.
 */
export const mastodonConnector: Connector<MastodonConfig> = {
  type: 'mastodon',
  config: MastodonConfig,
  endpoint: (config) => timelineUrl(config, {}),
  async poll(ctx: PollContext<MastodonConfig>): Promise<PollResult> {
    const reader = entryReader('Mastodon');
    // Statuses whose id is no position are returned, but cannot move the mark (or stop the scan).
    const unplaced: SourceItem[] = [];
    let status = 200;
    const { items, state } = await scanNewestFirst({
      state: readMastodonState(ctx.state, ctx.now),
      lookback: MASTODON_LIMITS.lookbackMs,
      maxPages: MASTODON_LIMITS.maxPages,
      ceiling: timeCeiling(ctx.now),
      start: ctx.now.getTime(),
      fetchPage: async ({ next, resume }) => {
        const res = await send(ctx, timelineUrl(ctx.config, { max_id: next ?? resume, limit: MASTODON_LIMITS.perPage }));
        assertPublicTimeline(res, ctx.config.instance);
        assertApiResponse(res, ctx.now, 'Mastodon');
        const json = readJson(res, 'Mastodon');
        status = res.status;
        const statuses = parseShape(z.array(z.unknown()), json, 'Mastodon', res.status);
        const entries = [];
        for (const s of reader.parse(Status, statuses, res.status)) {
          // A boost repeats someone else's status, which the timeline lists in its own right.
          if (s.reblog) continue;
          const item = toItem(s, ctx.config.instance, ctx.now);
          const at = positionOf(s.id);
          if (at === null) unplaced.push(item);
          else entries.push({ key: s.id, at, item });
        }
        // Every listed id counts, parsed or not: a page of statuses we cannot read is still stepped over.
        const last = idOf(statuses.at(-1));
        const older = nextMaxId(res.headers.link) ?? (typeof last === 'string' ? last : null);
        return { entries, listed: statuses.length, next: statuses.length < MASTODON_LIMITS.perPage ? null : older };
      },
    });
    reader.assertSomeRead();
    const all = [...items, ...unplaced];
    return { items: all, state, notModified: all.length === 0, status };
  },
};

function timelineUrl(config: MastodonConfig, params: { max_id?: string | null; limit?: number }): string {
  const [first, ...more] = config.hashtag.split(',');
  const base = config.baseUrl ?? `https://${config.instance}`;
  return apiUrl(base, `/api/v1/timelines/tag/${encodeURIComponent(first!)}`, { 'any[]': more, ...params });
}
