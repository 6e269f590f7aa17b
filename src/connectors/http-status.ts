import { htmlToText } from '../domain/text/html.js';
import { credentialsSentWith, parseRetryAfter, redactSecrets, type HttpResponse } from '../infra/http/index.js';
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

/**
 * How every connector reads an upstream status: 2xx and the 304 of a conditional request are
 * answers; 410 stops the source for good; 429 and 503 carry Retry-After; anything else is a
 * failure to back off from.
 */
export function assertUsableResponse(res: HttpResponse, now: Date, options: { quoteBody?: boolean } = {}): void {
  if ((res.status >= 200 && res.status < 300) || (res.status === 304 && res.notModified)) return;
  if (res.status === 304) {
    throw new SourceFetchError('HTTP 304 Not Modified to a request that carried no ETag or Last-Modified', { status: 304 });
  }
  // An auth endpoint's body may hold a token or echo the credentials: the message never quotes it.
  const snippet = options.quoteBody === false ? '' : bodyExcerpt(res);
  const said = snippet ? `: ${snippet}` : '';
  if (res.status === 410) {
    throw new SourceFetchError(`the source is gone (HTTP 410)${said}`, { status: 410, permanent: true });
  }
  if (res.status === 429 || res.status === 503) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'] ?? null, now);
    throw new SourceFetchError(`HTTP ${res.status}${retryAfterMs !== null ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}`, {
      status: res.status,
      retryAfterMs,
    });
  }
  throw new SourceFetchError(`HTTP ${res.status}${said}`, { status: res.status });
}
