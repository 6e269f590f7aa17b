export { classifyAddress, createAddressPolicy, LINK_LOCAL_RULE, PRIVATE_NETWORKS_RULE, savedAddressRule, type AddressVerdict } from './address.policy.js';
export { decodeDocument, decodeText, type DecodedDocument } from './charset.decode.js';
export {
  createHttpClient,
  DEFAULT_TOTAL_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequestOptions,
  type HttpResponse,
} from './http.client.js';
export { AddressNotAllowedError, HttpError, UrlNotAllowedError, type HttpErrorKind, type UrlRefusal } from './http.errors.js';
export { MAX_WAIT_MS, parseRetryAfter } from './retry-after.js';
export { credentialsSentWith, originOf, redactSecrets } from './redact.js';
export type { LookupFunction } from './safe.connector.js';
export { assertUrlAllowed, hostnameOf, type UrlCheckOptions } from './url.policy.js';
