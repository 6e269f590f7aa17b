import { z } from 'zod';
import { FEED_LIMITS } from '../domain/feeds/feed.types.js';
import { judgeDate, parseFeedDate } from '../domain/text/dates.js';
import { htmlToText } from '../domain/text/html.js';
import { extractHashtags, extractHandles } from '../domain/text/tokens.js';
import { MAX_WAIT_MS, parseRetryAfter, type HttpRequestOptions, type HttpResponse } from '../infra/http/index.js';
import { SourceFetchError, URL_REFUSAL, type Engagement, type PollContext, type SourceItem } from './connector.types.js';
import { assertUsableResponse, bodyExcerpt, httpStatus } from './http-status.js';

/** Shared plumbing of the API connectors (Hacker News, Reddit, Mastodon, Bluesky). */

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/**
 * The optional `baseUrl` every API type accepts, without its trailing slash. A value that is not
 * an http(s) URL without credentials is a refused URL (`URL_REFUSAL`), as a feed's `url` would be.
 * The API's path is appended to it as text, so a query or fragment would swallow the path (and a
 * fragment, never sent, would make two targets look alike): such a value is refused.
 */
export function baseUrlField(service: string, description = `Another server speaking the same API (a mirror, a proxy, a test server); defaults to ${service}.`) {
  return z
    .string()
    .trim()
    .max(2000)
    .refine(isHttpUrl, { message: `must be an http:// or https:// URL without credentials (defaults to ${service})`, params: URL_REFUSAL, abort: true })
    .refine((value) => !/[?#]/.test(value), 'must not have a query (?…) or fragment (#…): the API\'s path and parameters are appended to it')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional()
    .meta({ description: `An http:// or https:// URL without a query or fragment. ${description}`, format: 'uri' });
}

/** Whitespace and the characters drawn as nothing (ZWSP, ZWNJ, word joiner, BOM, Hangul filler…). */
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}]/gu;

/**
 * An API type's search `query`. One of only invisible characters is no search anyone meant (a
 * zero-width space survives trim()): it is refused as an empty one is, as `keyword=` is. Anything
 * visible, an emoji too, is sent as written.
 */
export function searchQueryField(max: number) {
  return z
    .string()
    .trim()
    .min(1, { message: 'must not be empty', abort: true })
    .max(max, `must be at most ${max} characters`)
    .refine((value) => value.replace(INVISIBLE, '') !== '', 'must hold visible text, not only spaces or invisible characters');
}

export type QueryValue = string | number | readonly string[] | null | undefined;

/** `base` + `path` with the given query parameters; arrays repeat the name, null and undefined are left out. */
export function apiUrl(base: string, path: string, params: Record<string, QueryValue> = {}): string {
  const url = new URL(`${base}${path}`);
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, v);
    else url.searchParams.set(name, String(value));
  }
  return url.href;
}

type RequestContext = Pick<PollContext<unknown>, 'http' | 'signal'>;

export function send(ctx: RequestContext, url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  return ctx.http.request(url, { ...options, headers: { accept: 'application/json', ...options.headers }, ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

/**
 * How a response may be described in an error, which ends up in logs and the source's lastError.
 * `secret`: the body may carry a token (a cut-off token response still starts with one), so it is
 * never quoted, only its length given.
 */
export interface ReadOptions {
  secret?: boolean;
}

/** An API's errors name the path that answered: a wrong `baseUrl` shows there (answeredFrom). */
const API_ERRORS = { namePath: true } as const;

/**
 * The body as JSON; a proxy's HTML error page or a cut-off body becomes a SourceFetchError naming
 * the path that answered (a `baseUrl` pointing at a web site gets its pages, with 200).
 */
export function readJson(res: HttpResponse, source: string, options: ReadOptions = {}): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    const snippet = options.secret ? '' : bodyExcerpt(res);
    const said = snippet ? `: ${snippet}` : res.body.length === 0 ? ' (empty body)' : ` (${res.body.length} bytes, not quoted)`;
    throw new SourceFetchError(`${source} answered ${httpStatus(res, API_ERRORS)} with malformed JSON${said}`, { status: res.status });
  }
}

/** A key longer than this is cut in a payload path; a path deeper than PATH_SEGMENTS_MAX loses its middle. */
const PATH_KEY_MAX = 40;
const PATH_SEGMENTS_MAX = 8;
/** A key written bare after a dot: letters of any script, digits, marks (Devanagari vowel signs), `_` and `$`. */
const BARE_KEY = /^[\p{L}\p{Nl}_$][\p{L}\p{N}\p{M}_$]*$/u;
/** What JSON.stringify leaves raw but must not reach a log line or an error as is: format, bidi and line controls. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function pathSegment(key: PropertyKey): string {
  if (typeof key === 'number') return `[${key}]`;
  const name = String(key);
  if (name.length <= PATH_KEY_MAX && BARE_KEY.test(name)) return `.${name}`;
  const shown = name.length > PATH_KEY_MAX ? `${cut(name, PATH_KEY_MAX)}…` : name;
  return `[${JSON.stringify(shown).replace(UNPRINTABLE, escapeCodePoint)}]`;
}

function escapeCodePoint(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Where in a response a zod issue is, written as in JavaScript (`data.children[3].data.created_utc`),
 * so an operator reading a source's lastError sees which field changed upstream. Bounded: a long
 * key is cut, and a deep path keeps its first and last segments around a `…`.
 */
export function payloadPath(path: readonly PropertyKey[]): string {
  let segments = path.map(pathSegment);
  if (segments.length > PATH_SEGMENTS_MAX) {
    const head = Math.floor(PATH_SEGMENTS_MAX / 2) - 1;
    segments = [...segments.slice(0, head), '…', ...segments.slice(head + 1 - PATH_SEGMENTS_MAX)];
  }
  return segments.join('').replace(/^\./, '');
}

/** ` at <path>: <message>`, or `: <message>` for an issue about the whole of what was read. */
function describeIssue(issue: z.core.$ZodIssue | undefined, at: readonly PropertyKey[] = []): string {
  const path = [...at, ...(issue?.path ?? [])];
  return `${path.length ? ` at ${payloadPath(path)}` : ''}: ${issue?.message ?? 'invalid'}`;
}

/** Checks the envelope of a response; items inside are checked one by one by `entryReader`. */
export function parseShape<T>(schema: z.ZodType<T>, json: unknown, source: string, status: number): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new SourceFetchError(`${source} answered in an unexpected shape${describeIssue(parsed.error.issues[0])}`, { status });
}

/**
 * Reads a listing's entries one by one (`parse`): one odd entry (a deleted post, a new kind) does
 * not sink the page. But when the upstream listed entries and not one of them could be read (a
 * field that changed type, a listing of another kind of thing), the source is not healthy and
 * quiet: `assertSomeRead` fails the poll, naming the first problem.
 */
export function entryReader(source: string) {
  let listed = 0;
  let read = 0;
  let first: { issue: z.core.$ZodIssue | undefined; at: PropertyKey[]; status: number } | null = null;
  return {
    /** `listAt`: where the entries are in the response (`['data', 'children']`), for the path an error names. */
    parse<T>(schema: z.ZodType<T>, entries: unknown[], status: number, listAt: readonly PropertyKey[] = []): T[] {
      const out: T[] = [];
      for (const [index, entry] of entries.entries()) {
        const parsed = schema.safeParse(entry);
        if (parsed.success) out.push(parsed.data);
        else first ??= { issue: parsed.error.issues[0], at: [...listAt, index], status };
      }
      listed += entries.length;
      read += out.length;
      return out;
    },
    assertSomeRead(): void {
      if (read > 0 || first === null) return;
      const { issue, at, status } = first;
      const entries = listed === 1 ? 'one entry' : `${listed} entries`;
      throw new SourceFetchError(`${source} listed ${entries} and none could be read; the first is invalid${describeIssue(issue, at)}`, { status });
    },
  };
}


/**
 * When a rate limit lifts, from the headers APIs send instead of Retry-After: Reddit's
 * X-Ratelimit-Reset counts seconds from now, Mastodon's is an ISO timestamp, Bluesky's
 * RateLimit-Reset is epoch seconds. null when none is readable.
 */
export function rateLimitResetMs(res: HttpResponse, now: Date): number | null {
  const raw = (res.headers['x-ratelimit-reset'] ?? res.headers['ratelimit-reset'])?.trim();
  if (!raw) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const n = Number(raw);
    // Anything past 2001 in epoch seconds is a moment, not a delay.
    return Math.min(MAX_WAIT_MS, Math.max(0, Math.ceil(n > 1e9 ? n * 1000 - now.getTime() : n * 1000)));
  }
  const at = dateFrom(raw);
  return at ? Math.min(MAX_WAIT_MS, Math.max(0, at.getTime() - now.getTime())) : null;
}

/**
 * assertUsableResponse, plus the rate-limit reset headers for a 429 without a readable
 * Retry-After. Every API connector's status errors come from here.
 */
export function assertApiResponse(res: HttpResponse, now: Date, source: string, options: ReadOptions = {}): void {
  const readable = parseRetryAfter(res.headers['retry-after'] ?? null, now) !== null;
  const resetMs = res.status === 429 && !readable ? rateLimitResetMs(res, now) : null;
  if (resetMs !== null) {
    throw new SourceFetchError(`${source} rate limit (${httpStatus(res, API_ERRORS)}), resets in ${Math.ceil(resetMs / 1000)} s`, { status: 429, retryAfterMs: resetMs });
  }
  assertUsableResponse(res, now, { ...API_ERRORS, quoteBody: !options.secret });
}

/** GET (or the given method), status checked as every connector does, body read as JSON. */
export async function fetchJson(ctx: RequestContext & { now: Date }, url: string, source: string, options: HttpRequestOptions = {}) {
  const res = await send(ctx, url, options);
  assertApiResponse(res, ctx.now, source);
  return { res, json: readJson(res, source) };
}

/** Stored credentials of the wrong shape cannot start working by themselves: the source stops. */
export function readCredentials<T>(schema: z.ZodType<T>, credentials: Record<string, string> | null, source: string): T | null {
  if (credentials === null) return null;
  const parsed = schema.safeParse(credentials);
  if (parsed.success) return parsed.data;
  // Name the fields, never the values.
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
  throw new SourceFetchError(`the stored ${source} credentials are unusable (${fields})`, { status: null, permanent: true });
}

/** A state that no longer parses (an older version, a hand edit) starts the source afresh. */
export function readState<T>(schema: z.ZodType<T>, state: unknown): T | null {
  if (state === null || state === undefined) return null;
  const parsed = schema.safeParse(state);
  return parsed.success ? parsed.data : null;
}

function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Plain text from an API's HTML field (Mastodon content, Hacker News comment_text). */
export function textFromHtml(html: string | null | undefined): string {
  return html ? htmlToText(cut(html, FEED_LIMITS.maxHtmlChars)) : '';
}

/** A Date from ISO-8601 or epoch seconds; null when absent or unreadable. */
export function dateFrom(value: string | number | null | undefined): Date | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : null;
  // The feed date parser: strict, and a zone-less time is UTC rather than the server's local time.
  return parseFeedDate(value);
}

export interface ApiItemInput {
  itemKey: string;
  url: string | null;
  /** The item's own address when `url` is the page it links to (SourceItem.permalink). */
  permalink?: string | null;
  title: string | null;
  text: string;
  author: string | null;
  date: Date | null;
  fetchedAt: Date;
  categories?: string[];
  engagement: Engagement | null;
  authorFollowers?: number | null;
  langHint?: string | null;
}

/** An API record as the item every connector returns: dates judged, tokens extracted, text capped. */
export function apiItem(input: ApiItemInput): SourceItem {
  const text = cut(input.text, FEED_LIMITS.maxTextChars);
  const title = input.title?.replace(/\s+/g, ' ').trim() || null;
  const tokensFrom = title ? `${title}\n${text}` : text;
  return {
    itemKey: input.itemKey,
    url: input.url,
    title,
    text,
    author: input.author,
    ...judgeDate(input.date, input.fetchedAt),
    hashtags: extractHashtags(tokensFrom),
    handles: extractHandles(tokensFrom),
    categories: input.categories ?? [],
    engagement: input.engagement,
    authorFollowers: input.authorFollowers ?? null,
    langHint: input.langHint ?? null,
    ...(input.permalink ? { permalink: input.permalink } : {}),
  };
}

/** A count the API gave, or undefined (absent from `Engagement`) when it did not. */
export function count(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Engagement without the counts the API left out; null when it gave none. */
export function engagementOf(counts: Engagement): Engagement | null {
  const given = Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== undefined)) as Engagement;
  return Object.keys(given).length > 0 ? given : null;
}
