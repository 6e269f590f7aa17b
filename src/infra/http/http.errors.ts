import { originOf } from './redact.js';

export type HttpErrorKind =
  | 'url_not_allowed'
  | 'address_not_allowed'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'network'
  | 'bad_redirect';

/**
 * A request that produced no usable response. An HTTP status, even 4xx/5xx, is never one of these.
 * Its message names the URL by its origin only (originOf), and so does `origin`: the message is
 * logged, kept with failed jobs in Redis and stored as a source's lastError.
 */
export class HttpError extends Error {
  /**
   * The status the server answered with, when the failure came after it did: a body larger than
   * the cap, one still arriving at the deadline, one cut off or undecodable. Null when no answer
   * came (a refused address, a connection that failed, no headers in time).
   */
  status: number | null = null;
  /** `scheme://host[:port]` of the URL requested, when there was one. */
  readonly origin: string | undefined;

  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    url?: string | URL,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.origin = url === undefined ? undefined : originOf(url);
  }
}

export type UrlRefusal = 'invalid' | 'scheme' | 'credentials' | 'unresolvable' | 'address';

/** A URL Earshot will not fetch; thrown at save time and for every redirect hop. */
export class UrlNotAllowedError extends HttpError {
  constructor(
    readonly reason: UrlRefusal,
    message: string,
    url?: string | URL,
  ) {
    super('url_not_allowed', message, url);
    this.name = 'UrlNotAllowedError';
  }
}

/**
 * Raised inside the connector when the address about to be dialled is refused, and by the client
 * when a redirect led there. `linkLocal`: no setting opens it (address.policy.ts); otherwise it is
 * a private, loopback or reserved address, which the client reaches only when allowed private
 * networks. `byName`: the address is one a host name resolved to, which messages do not tell
 * (safe.connector.ts, resolvedRefusal), nor its kind. `refusal` says what is wrong with the
 * address, `redirectedFrom` which response sent the request there (its origin), if one did;
 * the message says both.
 */
export class AddressNotAllowedError extends HttpError {
  readonly linkLocal: boolean;
  readonly byName: boolean;
  readonly refusal: string;
  readonly redirectedFrom: string | null;

  constructor(
    readonly address: string,
    refusal: string,
    options: { linkLocal?: boolean; byName?: boolean; redirectedFrom?: string | null } = {},
  ) {
    const redirectedFrom = options.redirectedFrom ?? null;
    super('address_not_allowed', redirectedFrom ? `redirect from ${redirectedFrom} refused: ${refusal}` : refusal);
    this.name = 'AddressNotAllowedError';
    this.linkLocal = options.linkLocal ?? false;
    this.byName = options.byName ?? false;
    this.refusal = refusal;
    this.redirectedFrom = redirectedFrom;
  }
}
