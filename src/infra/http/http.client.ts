import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Agent, Dispatcher } from 'undici';
import { createAddressPolicy } from './address.policy.js';
import { ACCEPT_ENCODING, readCappedBody } from './body.reader.js';
import { AddressNotAllowedError, HttpError, UrlNotAllowedError } from './http.errors.js';
import { originOf, rememberRequestSecrets, requestSecrets, withoutUrl } from './redact.js';
import { createSafeAgent, defaultLookup, type LookupFunction } from './safe.connector.js';
import { checkUrlShape } from './url.policy.js';

export const DEFAULT_USER_AGENT = 'Earshot/0.1 (+https://github.com/earshot/earshot)';

export type HttpClientOptions = {
  /** Off by default; operators and tests against 127.0.0.1 turn it on. Scheme and credential checks stay, and link-local addresses are refused anyway. */
  allowPrivateNetworks: boolean;
  /** Networks (CIDR or single address) trusted even though they are private, e.g. an intranet feed server. */
  allowedNetworks?: string[];
  userAgent?: string;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  lookup?: LookupFunction;
};

export type HttpRequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  conditional?: { etag?: string | null; lastModified?: string | null };
  previousBodyHash?: string | null;
  /** Webhooks pass false: a 3xx then comes back as the response. */
  followRedirects?: boolean;
  maxBytes?: number;
  /** Keep the first maxBytes of a longer body instead of failing with too_large. */
  truncateBody?: boolean;
  signal?: AbortSignal;
};

export type HttpResponse = {
  status: number;
  headers: Record<string, string>;
  /** The URL of the response actually read, after redirects. */
  url: string;
  body: Buffer;
  /** A 304, or a body whose hash equals previousBodyHash: either way there is nothing new to parse. */
  notModified: boolean;
  /** sha256 hex of the decoded body; on a 304, previousBodyHash (null when none was given). */
  bodyHash: string | null;
  etag: string | null;
  lastModified: string | null;
  elapsedMs: number;
  redirects: number;
};

export type HttpClient = {
  request(url: string | URL, options?: HttpRequestOptions): Promise<HttpResponse>;
  close(): Promise<void>;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_SECRETS = ['authorization', 'proxy-authorization', 'cookie'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

type Hop = { url: URL; method: string; headers: Record<string, string>; body: string | Buffer | undefined };

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function initialHeaders(userAgent: string, options: HttpRequestOptions): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent, 'accept-encoding': ACCEPT_ENCODING };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.conditional?.etag) headers['if-none-match'] = options.conditional.etag;
  if (options.conditional?.lastModified) headers['if-modified-since'] = options.conditional.lastModified;
  return headers;
}

/** The AddressNotAllowedError in an error's cause chain, if any. */
function refusedAddress(err: unknown): AddressNotAllowedError | null {
  for (let cause: unknown = err; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof AddressNotAllowedError) return cause;
  }
  return null;
}

/** The request the next hop makes, following fetch's rules for method changes and secrets. */
function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch {
    // The location is not quoted: it may carry the token the request did.
    throw new HttpError('bad_redirect', `${originOf(hop.url)} redirected to an invalid location`, hop.url);
  }
  try {
    checkUrlShape(url);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UrlNotAllowedError((err as UrlNotAllowedError).reason ?? 'invalid', `redirect from ${originOf(hop.url)} refused: ${why}`, hop.url);
  }
  const headers = { ...hop.headers };
  const crossOrigin = url.origin !== hop.url.origin;
  if (crossOrigin) for (const name of CROSS_ORIGIN_SECRETS) delete headers[name];
  const becomesGet = (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST');
  if (!becomesGet) {
    // A 307/308 re-sends the body, and a body can hold secrets as headers do (a Bluesky app
    // password in createSession): it goes to no origin it was not addressed to.
    if (crossOrigin && hop.body !== undefined) {
      throw new HttpError(
        'bad_redirect',
        `${originOf(hop.url)} answered ${status} to ${originOf(url)}: a ${hop.method} with a body is not re-sent to another origin`,
        hop.url,
      );
    }
    return { url, method: hop.method, headers, body: hop.body };
  }
  for (const name of BODY_HEADERS) delete headers[name];
  return { url, method: 'GET', headers, body: undefined };
}

/** The response, with what its request gave away kept beside it for whoever quotes its body (redact.ts). */
function remembered(hop: Hop, response: HttpResponse): HttpResponse {
  rememberRequestSecrets(response, requestSecrets(hop.url, hop.headers));
  return response;
}

function translateError(err: unknown, url: URL, connectTimeoutMs: number): HttpError {
  for (let cause: unknown = err; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof HttpError) return cause;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new HttpError('timeout', `connecting to ${originOf(url)} took longer than ${connectTimeoutMs} ms`, url, { cause: err });
  }
  const message = withoutUrl(readableMessage(code, err instanceof Error ? err.message : String(err)), url);
  return new HttpError('network', `request to ${originOf(url)} failed: ${code ? `${code} ` : ''}${message}`, url, { cause: err });
}

/** OpenSSL's error line: `806C…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…/ssl3_record.c:350:\n`. */
const OPENSSL_ERROR = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/;

/**
 * A network error's message on one line, as a source's lastError shows it: of OpenSSL's line only
 * its reason (the rest is OpenSSL's own source location), and for the commonest TLS failure the
 * likely cause, a server answering https in plain http.
 */
function readableMessage(code: string | undefined, message: string): string {
  const reason = OPENSSL_ERROR.exec(message)?.[1];
  if (!reason) return message.replace(/\s+/g, ' ').trim();
  const hint = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? ' (the server does not seem to speak https)' : '';
  return `TLS handshake failed: ${reason.trim()}${hint}`;
}

/** A request's whole exchange, connecting through the last byte, unless `totalTimeoutMs` says otherwise. */
export const DEFAULT_TOTAL_TIMEOUT_MS = 20_000;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  const defaultMaxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  // Allowing private networks still leaves a policy: link-local addresses are refused whatever the setting.
  const policy = createAddressPolicy({ allowedNetworks: options.allowedNetworks, allowPrivateNetworks: options.allowPrivateNetworks });
  const agent: Agent = createSafeAgent({ policy, lookup: options.lookup ?? defaultLookup, connectTimeoutMs, totalTimeoutMs });

  async function send(hop: Hop, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    return agent.request({
      origin: hop.url.origin,
      path: `${hop.url.pathname}${hop.url.search}`,
      method: hop.method as Dispatcher.HttpMethod,
      headers: hop.headers,
      body: hop.body,
      signal,
    });
  }

  /**
   * `answered` gets the status of the response whose body is read, so a failure reading it (too
   * large, too slow, cut off) still tells what the server answered.
   */
  async function run(input: string | URL, requestOptions: HttpRequestOptions, signal: AbortSignal, answered: { status: number | null }): Promise<HttpResponse> {
    const started = performance.now();
    const maxBytes = requestOptions.maxBytes ?? defaultMaxBytes;
    let hop: Hop = {
      url: checkUrlShape(input),
      method: (requestOptions.method ?? 'GET').toUpperCase(),
      headers: initialHeaders(userAgent, requestOptions),
      body: requestOptions.body,
    };
    let from: URL | null = null;
    for (let redirects = 0; ; redirects++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await send(hop, signal);
      } catch (err) {
        // A refused address reached by a redirect: say so, and from where, or it reads as the source's own address.
        const refused = from && refusedAddress(err);
        if (!from || !refused) throw err;
        throw new AddressNotAllowedError(refused.address, refused.refusal, { linkLocal: refused.linkLocal, byName: refused.byName, redirectedFrom: originOf(from) });
      }
      const headers = flattenHeaders(response.headers);
      const location = headers.location;
      if ((requestOptions.followRedirects ?? true) && REDIRECT_STATUSES.has(response.statusCode) && location) {
        await response.body.dump();
        if (redirects >= maxRedirects) {
          throw new HttpError('too_many_redirects', `more than ${maxRedirects} redirects starting from ${originOf(input)}`, hop.url);
        }
        from = hop.url;
        hop = nextHop(hop, response.statusCode, location);
        continue;
      }
      answered.status = response.statusCode;
      const etag = headers.etag ?? null;
      const lastModified = headers['last-modified'] ?? null;
      const base = { status: response.statusCode, headers, url: hop.url.href, redirects };
      // A 304 answers a conditional request only. To an unconditional one it is a broken
      // upstream, returned as the status it is, with nothing to say about what the body was.
      if (response.statusCode === 304 && ('if-none-match' in hop.headers || 'if-modified-since' in hop.headers)) {
        await response.body.dump();
        return remembered(hop, {
          ...base,
          body: Buffer.alloc(0),
          notModified: true,
          bodyHash: requestOptions.previousBodyHash ?? null,
          etag: etag ?? requestOptions.conditional?.etag ?? null,
          lastModified: lastModified ?? requestOptions.conditional?.lastModified ?? null,
          elapsedMs: performance.now() - started,
        });
      }
      // A HEAD response announces the length of a body it never sends.
      const contentLength = headers['content-length'] && hop.method !== 'HEAD' ? Number(headers['content-length']) : null;
      const { body, bodyHash } = await readCappedBody({
        body: response.body as unknown as Readable,
        contentEncoding: headers['content-encoding'] ?? null,
        contentLength: Number.isFinite(contentLength) ? contentLength : null,
        maxBytes,
        url: hop.url,
        truncate: requestOptions.truncateBody ?? false,
      });
      return remembered(hop, {
        ...base,
        body,
        notModified: requestOptions.previousBodyHash != null && requestOptions.previousBodyHash === bodyHash,
        bodyHash,
        etag,
        lastModified,
        elapsedMs: performance.now() - started,
      });
    }
  }

  async function request(input: string | URL, requestOptions: HttpRequestOptions = {}): Promise<HttpResponse> {
    // headersTimeout/bodyTimeout reset on every byte, so a server dripping one byte at a time
    // would never trip them; one deadline over the whole exchange, redirects included, does.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), totalTimeoutMs);
    const signal = requestOptions.signal ? AbortSignal.any([requestOptions.signal, deadline.signal]) : deadline.signal;
    const answered = { status: null as number | null };
    try {
      return await run(input, requestOptions, signal, answered);
    } catch (err) {
      if (requestOptions.signal?.aborted && !deadline.signal.aborted) throw requestOptions.signal.reason;
      let url: URL;
      try {
        url = new URL(input);
      } catch {
        throw err; // checkUrlShape's own refusal of a URL that does not parse
      }
      const failure = deadline.signal.aborted
        ? new HttpError('timeout', `request to ${originOf(url)} took longer than ${totalTimeoutMs} ms`, url, { cause: err })
        : translateError(err, url, connectTimeoutMs);
      failure.status ??= answered.status;
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  return { request, close: () => agent.close() };
}
