import { parseRetryAfter, type HttpResponse } from '../infra/http/index.js';
import { SourceFetchError } from './connector.types.js';

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
  const snippet = options.quoteBody === false ? '' : res.body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
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
