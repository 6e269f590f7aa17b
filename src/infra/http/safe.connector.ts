import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { isLinkLocal, type AddressPolicy } from './address.policy.js';
import { AddressNotAllowedError } from './http.errors.js';

export type { LookupFunction };
export type ResolvedAddress = { address: string; family: number };

export const defaultLookup: LookupFunction = dns.lookup;

export function resolveAll(lookup: LookupFunction, hostname: string): Promise<ResolvedAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (err, addresses, family) => {
      if (err) return reject(err);
      resolve(typeof addresses === 'string' ? [{ address: addresses, family: family ?? isIP(addresses) }] : addresses);
    });
  });
}

export const literalRefusal = (address: string, reason: string) => `${address} is ${reason}`;
/**
 * Says neither the address nor its kind: the message reaches API clients, and "vm resolves to
 * 127.0.0.1" would make the server's resolver their oracle for internal names. The address stays
 * on the AddressNotAllowedError (`address`) for the server's own logs.
 */
export const resolvedRefusal = (hostname: string) => `${hostname} resolves to a private, loopback or reserved address`;

/**
 * Wraps a resolver so that every address it returns is checked before the socket dials it.
 * This is what makes the check hold against DNS rebinding: the address judged is the one used.
 */
export function checkedLookup(lookup: LookupFunction, policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, answer, family) => {
      if (err) return callback(err, '', 0);
      const addresses = typeof answer === 'string' ? [{ address: answer, family: family ?? isIP(answer) }] : answer;
      for (const { address } of addresses) {
        if (!policy(address).allowed) return callback(new AddressNotAllowedError(address, resolvedRefusal(hostname), { linkLocal: isLinkLocal(address), byName: true }), '', 0);
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici Agent whose connector refuses disallowed addresses. Node's net.connect skips
 * `lookup` for IP literals, so literals are judged here before any socket exists.
 */
export function createSafeAgent({
  policy,
  lookup,
  connectTimeoutMs,
  totalTimeoutMs,
}: {
  policy: AddressPolicy | null;
  lookup: LookupFunction;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
}): Agent {
  const dial = buildConnector({ timeout: connectTimeoutMs, lookup: policy ? checkedLookup(lookup, policy) : lookup });
  const connect: buildConnector.connector = (options, callback) => {
    if (policy && isIP(options.hostname)) {
      const verdict = policy(options.hostname);
      if (!verdict.allowed) {
        callback(new AddressNotAllowedError(options.hostname, literalRefusal(options.hostname, verdict.reason), { linkLocal: isLinkLocal(options.hostname) }), null);
        return;
      }
    }
    dial(options, callback);
  };
  return new Agent({ connect, headersTimeout: totalTimeoutMs, bodyTimeout: totalTimeoutMs });
}
