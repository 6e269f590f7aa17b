import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = { cidr: [Address, number]; name: string };

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

const range = (cidr: string, name: string): Range => ({ cidr: ipaddr.parseCIDR(cidr), name });

// Ordered: the first match names the reason, so narrower ranges come before the ones holding them.
const BLOCKED_V4: Range[] = [
  range('255.255.255.255/32', 'the broadcast address'),
  range('0.0.0.0/8', 'an unspecified address'),
  range('10.0.0.0/8', 'a private address'),
  range('172.16.0.0/12', 'a private address'),
  range('192.168.0.0/16', 'a private address'),
  range('100.64.0.0/10', 'a carrier-grade NAT address'),
  range('127.0.0.0/8', 'a loopback address'),
  range('169.254.0.0/16', 'a link-local address'),
  range('192.0.0.0/24', 'an IETF protocol address'),
  range('192.0.2.0/24', 'a documentation address'),
  range('198.51.100.0/24', 'a documentation address'),
  range('203.0.113.0/24', 'a documentation address'),
  range('198.18.0.0/15', 'a benchmarking address'),
  range('192.88.99.0/24', 'a 6to4 relay address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('240.0.0.0/4', 'a reserved address'),
];

const BLOCKED_V6: Range[] = [
  range('::/128', 'an unspecified address'),
  range('::1/128', 'a loopback address'),
  range('::/96', 'an IPv4-compatible address'),
  range('64:ff9b:1::/48', 'a local-use NAT64 address'),
  range('100::/64', 'a discard address'),
  range('2001:2::/48', 'a benchmarking address'),
  range('2001:db8::/32', 'a documentation address'),
  range('3fff::/20', 'a documentation address'),
  range('2001:10::/28', 'an ORCHID address'),
  range('fc00::/7', 'a unique local address'),
  range('fe80::/10', 'a link-local address'),
  range('fec0::/10', 'a site-local address'),
  range('ff00::/8', 'a multicast address'),
];

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const IPV4_TRANSLATED = ipaddr.parseCIDR('::ffff:0:0:0/96');
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');
const TEREDO = ipaddr.parseCIDR('2001::/32');

const v4FromBits = (parts: number[], firstPart: number, invert = false): ipaddr.IPv4 => {
  const hi = parts[firstPart] ?? 0;
  const lo = parts[firstPart + 1] ?? 0;
  const mask = invert ? 0xff : 0;
  return new ipaddr.IPv4([(hi >> 8) ^ mask, (hi & 0xff) ^ mask, (lo >> 8) ^ mask, (lo & 0xff) ^ mask]);
};

// IPv6 forms that carry an IPv4 address the packets really go to (or through).
function embeddedV4(address: ipaddr.IPv6): { v4: ipaddr.IPv4; via: string } | null {
  if (address.isIPv4MappedAddress()) return { v4: address.toIPv4Address(), via: 'an IPv4-mapped' };
  if (address.match(IPV4_TRANSLATED)) return { v4: v4FromBits(address.parts, 6), via: 'an IPv4-translated' };
  if (address.match(NAT64)) return { v4: v4FromBits(address.parts, 6), via: 'a NAT64' };
  if (address.match(SIX_TO_FOUR)) return { v4: v4FromBits(address.parts, 1), via: 'a 6to4' };
  if (address.match(TEREDO)) return { v4: v4FromBits(address.parts, 6, true), via: 'a Teredo' };
  return null;
}

const firstMatch = (address: Address, ranges: Range[]): Range | undefined =>
  ranges.find((r) => address.kind() === r.cidr[0].kind() && address.match(r.cidr));

function classifyV4(address: ipaddr.IPv4): AddressVerdict {
  const hit = firstMatch(address, BLOCKED_V4);
  return hit ? { allowed: false, reason: hit.name } : { allowed: true };
}

function classifyV6(address: ipaddr.IPv6): AddressVerdict {
  const embedded = embeddedV4(address);
  if (embedded) {
    const inner = classifyV4(embedded.v4);
    if (inner.allowed) return inner;
    return { allowed: false, reason: `${embedded.via} address embedding ${embedded.v4.toString()}, ${inner.reason}` };
  }
  const hit = firstMatch(address, BLOCKED_V6);
  if (hit) return { allowed: false, reason: hit.name };
  if (!address.match(GLOBAL_UNICAST_V6)) return { allowed: false, reason: 'a reserved address' };
  return { allowed: true };
}

/** Whether an outbound connection to this IP address may be made on behalf of a user-supplied URL. */
export function classifyAddress(ip: string): AddressVerdict {
  let address: Address;
  try {
    address = ipaddr.parse(ip);
  } catch {
    return { allowed: false, reason: 'not an IP address' };
  }
  return address.kind() === 'ipv4' ? classifyV4(address as ipaddr.IPv4) : classifyV6(address as ipaddr.IPv6);
}

/**
 * Link-local addresses (169.254.0.0/16, fe80::/10), also inside an IPv6 form that carries one: a
 * cloud's metadata service (169.254.169.254) and the hosts on the same link, which are never a
 * feed, an API or a webhook. No setting opens them.
 */
export function isLinkLocal(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const address = ipaddr.parse(ip);
  const embedded = address.kind() === 'ipv6' ? embeddedV4(address as ipaddr.IPv6) : null;
  return (embedded?.v4 ?? address).range() === 'linkLocal';
}

/** The setting that lets a private, loopback or reserved address be fetched, as every refusal of one names it. */
export const PRIVATE_NETWORKS_RULE = 'this server fetches private, loopback and reserved addresses only when it runs with ALLOW_PRIVATE_NETWORKS=true';

/** Why a link-local address is refused whatever the settings (isLinkLocal). */
export const LINK_LOCAL_RULE = 'link-local addresses (the cloud metadata address 169.254.169.254 among them) are never fetched, whatever the settings';

/**
 * What a URL refused for its address when it is saved is told after the refusal: the setting the
 * server's operator can change to allow it, or that none would. For a host name, what it resolved
 * to is not told (safe.connector.ts, resolvedRefusal), so both rules are; with private networks
 * allowed, only a link-local address is refused.
 */
export function savedAddressRule({ host, allowPrivateNetworks }: { host: string; allowPrivateNetworks: boolean }): string {
  if (allowPrivateNetworks || isLinkLocal(host)) return LINK_LOCAL_RULE;
  const operator = `${PRIVATE_NETWORKS_RULE}, which the server's operator can set for feeds and webhooks on their own network`;
  return isIP(host) ? operator : `${operator}, and link-local ones never`;
}

/**
 * The address check a client applies: operators may trust whole networks (an intranet feed
 * server) without opening every private range, or allow private networks altogether
 * (ALLOW_PRIVATE_NETWORKS); link-local addresses stay refused either way.
 */
export function createAddressPolicy({ allowedNetworks = [], allowPrivateNetworks = false }: { allowedNetworks?: string[]; allowPrivateNetworks?: boolean }) {
  const trusted = allowedNetworks.map((network) =>
    network.includes('/') ? ipaddr.parseCIDR(network) : ([ipaddr.parse(network), ipaddr.parse(network).kind() === 'ipv4' ? 32 : 128] as [Address, number]),
  );
  return function check(ip: string): AddressVerdict {
    const verdict = classifyAddress(ip);
    if (verdict.allowed || isLinkLocal(ip)) return verdict;
    if (allowPrivateNetworks) return { allowed: true };
    if (trusted.length > 0 && ipaddr.isValid(ip)) {
      const address = ipaddr.process(ip);
      if (trusted.some((cidr) => cidr[0].kind() === address.kind() && address.match(cidr))) return { allowed: true };
    }
    return verdict;
  };
}

export type AddressPolicy = ReturnType<typeof createAddressPolicy>;
