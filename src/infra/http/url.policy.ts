import { isIP } from 'node:net';
import { createAddressPolicy } from './address.policy.js';
import { UrlNotAllowedError } from './http.errors.js';
import { defaultLookup, literalRefusal, resolveAll, resolvedRefusal, type LookupFunction } from './safe.connector.js';

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

/** The checks that hold whatever the network policy: http(s) only, no credentials. */
export function checkUrlShape(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    // Not quoted: an unparsable URL cannot be cut down to its origin (originOf), and may hold a token.
    throw new UrlNotAllowedError('invalid', 'the URL is not valid');
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw new UrlNotAllowedError('scheme', `scheme ${url.protocol} is not allowed; use http or https`, url);
  }
  if (url.username || url.password) {
    throw new UrlNotAllowedError('credentials', 'credentials in the URL are not allowed', url);
  }
  if (!url.hostname) throw new UrlNotAllowedError('invalid', 'the URL has no host', url);
  return url;
}

export const hostnameOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

export type UrlCheckOptions = {
  allowPrivateNetworks: boolean;
  allowedNetworks?: string[];
  lookup?: LookupFunction;
};

/**
 * Save-time validation. It cannot replace the connect-time check (DNS may answer differently
 * later), but it tells the user at once why a URL will never be fetched.
 */
export async function assertUrlAllowed(input: string | URL, options: UrlCheckOptions): Promise<URL> {
  const url = checkUrlShape(input);
  const policy = createAddressPolicy({ allowedNetworks: options.allowedNetworks, allowPrivateNetworks: options.allowPrivateNetworks });
  const hostname = hostnameOf(url);
  if (isIP(hostname)) {
    const verdict = policy(hostname);
    if (!verdict.allowed) throw new UrlNotAllowedError('address', literalRefusal(hostname, verdict.reason), url);
    return url;
  }
  let addresses;
  try {
    addresses = await resolveAll(options.lookup ?? defaultLookup, hostname);
  } catch (err) {
    // With private networks allowed the name is looked up only for a link-local address: one
    // that does not resolve is accepted, and its fetches fail saying why.
    if (options.allowPrivateNetworks) return url;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UrlNotAllowedError('unresolvable', `${hostname} does not resolve${code ? ` (${code})` : ''}`, url);
  }
  if (addresses.length === 0) {
    if (options.allowPrivateNetworks) return url;
    throw new UrlNotAllowedError('unresolvable', `${hostname} does not resolve`, url);
  }
  for (const { address } of addresses) {
    if (!policy(address).allowed) throw new UrlNotAllowedError('address', resolvedRefusal(hostname), url);
  }
  return url;
}
