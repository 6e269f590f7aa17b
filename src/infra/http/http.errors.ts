export type HttpErrorKind =
  | 'url_not_allowed'
  | 'address_not_allowed'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'network'
  | 'bad_redirect';

/** A request that produced no usable response. An HTTP status, even 4xx/5xx, is never one of these. */
export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    readonly url?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export type UrlRefusal = 'invalid' | 'scheme' | 'credentials' | 'unresolvable' | 'address';

/** A URL Earshot will not fetch; thrown at save time and for every redirect hop. */
export class UrlNotAllowedError extends HttpError {
  constructor(
    readonly reason: UrlRefusal,
    message: string,
    url?: string,
  ) {
    super('url_not_allowed', message, url);
    this.name = 'UrlNotAllowedError';
  }
}

/** Raised inside the connector when the address about to be dialled is refused. */
export class AddressNotAllowedError extends HttpError {
  constructor(
    readonly address: string,
    message: string,
  ) {
    super('address_not_allowed', message);
    this.name = 'AddressNotAllowedError';
  }
}
