import { htmlToText } from '../domain/text/html.js';
import { credentialsSentWith, originOf, parseRetryAfter, redactSecrets, type HttpResponse } from '../infra/http/index.js';
import { REDACTED } from '../infra/http/redact.js';
import { SourceFetchError } from './connector.types.js';

/** The most of an answer's body an error message quotes, in characters. */
const EXCERPT_CHARS = 160;
/** How much of a body is read for it: a proxy's error page puts its words after a head of styles. */
const EXCERPT_READ_BYTES = 16 * 1024;
/** A tag HTML does not know (an XML error document's `<Code>`), which htmlToText keeps as text. */
const ANY_TAG = /<[!?/]?[A-Za-z][^<>]*>/g;

/**
 * What an error message quotes of a response's body: its words, on one line, at most 160
 * characters. A proxy's or server's error page (HTML, or XML such as an object store's) is
 * quoted without its markup, scripts or styles: `502 Bad Gateway / nginx`, not the page.
 * A page that echoes the request loses what it gave away (the token the connector sent, the
 * feed's path and query) and anything that reads as a credential (`Bearer …`, `access_token=…`,
 * `"accessJwt": "…"`, a session cookie): the excerpt is logged, kept in Redis and copied into
 * digests, which are e-mailed.
 */
export function bodyExcerpt(res: Pick<HttpResponse, 'body' | 'headers'>): string {
  let text = res.body.subarray(0, EXCERPT_READ_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
  const markup = /html|xml/i.test(res.headers['content-type'] ?? '') || /^\s*</.test(text);
  if (markup) text = htmlToText(text).replace(ANY_TAG, ' ');
  const sent = credentialsSentWith(res);
  // Line by line (a Cookie header's line is all cookies), and before the cut, which could leave a
  // token's head too short to recognise.
  const line = text
    .split(/\s*\n\s*/)
    .map((part) => redactSecrets(part.replace(/\s+/g, ' ').trim(), sent))
    .filter((part) => part !== '')
    .join(markup ? ' / ' : ' ');
  const chars = [...line];
  return chars.length <= EXCERPT_CHARS ? line : `${chars.slice(0, EXCERPT_CHARS - 1).join('').trimEnd()}…`;
}

/** A path segment that reads as a token, not a name: long, letters and digits both (a proxy's `/k/3f9a…/hn`). */
const OPAQUE_SEGMENT = /^[\w-]{16,}$/;

/**
 * How an error names the address that answered: its origin and path, never the query (keys,
 * tokens, search terms). Only where the path is no secret: an API's or a preset feed's is the
 * `baseUrl` its source was given followed by the route the connector appends, and naming it is
 * what shows a wrong `baseUrl` (`HTTP 404 from https://proxy.example/hn/search_by_date`). A
 * segment that looks like a token is still left out, as everything quoted is (redact.ts): errors
 * are logged and e-mailed in digests. A feed's own URL is never named so: its path can be its
 * token.
 */
export function answeredFrom(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return originOf(url);
  }
  const path = parsed.pathname
    .split('/')
    .map((segment) => {
      const word = readable(segment);
      return OPAQUE_SEGMENT.test(word) && /\d/.test(word) && /[A-Za-z]/.test(word) ? REDACTED : word;
    })
    .join('/');
  return redactSecrets(`${originOf(parsed)}${path}`);
}

/** A path segment as its owner wrote it (káva), not as it went on the wire (k%C3%A1va); a malformed escape as sent. */
function readable(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface UsableResponseOptions {
  /** False for an auth endpoint, whose body may hold a token or echo the credentials. */
  quoteBody?: boolean;
  /** Name the answering URL's path as well (answeredFrom): for an API or a preset, never a feed's own URL. */
  namePath?: boolean;
}

/**
 * How every connector reads an upstream status: 2xx and the 304 of a conditional request are
 * answers; 410 stops the source for good; 429 and 503 carry Retry-After; anything else is a
 * failure to back off from.
 */
export function assertUsableResponse(res: HttpResponse, now: Date, options: UsableResponseOptions = {}): void {
  if ((res.status >= 200 && res.status < 300) || (res.status === 304 && res.notModified)) return;
  if (res.status === 304) {
    throw new SourceFetchError('HTTP 304 Not Modified to a request that carried no ETag or Last-Modified', { status: 304 });
  }
  const status = httpStatus(res, options);
  const snippet = options.quoteBody === false ? '' : bodyExcerpt(res);
  const said = snippet ? `: ${snippet}` : '';
  if (res.status === 410) {
    throw new SourceFetchError(`the source is gone (${status})${said}`, { status: 410, permanent: true });
  }
  if (res.status === 429 || res.status === 503) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'] ?? null, now);
    throw new SourceFetchError(`${status}${retryAfterMs !== null ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}`, {
      status: res.status,
      retryAfterMs,
    });
  }
  throw new SourceFetchError(`${status}${said}`, { status: res.status });
}

/** `HTTP 404`, or with `namePath` `HTTP 404 from https://proxy.example/hn/search_by_date`. */
export function httpStatus(res: Pick<HttpResponse, 'status' | 'url'>, options: Pick<UsableResponseOptions, 'namePath'> = {}): string {
  return `HTTP ${res.status}${options.namePath ? ` from ${answeredFrom(res.url)}` : ''}`;
}
