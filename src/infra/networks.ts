import ipaddr from 'ipaddr.js';

export type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

const isAddress = (s: string) => ipaddr.IPv4.isValidFourPartDecimal(s) || ipaddr.IPv6.isValid(s);

/**
 * An address (`10.0.0.1`, `::1`) or a CIDR network (`10.0.0.0/8`, `2001:db8::/32`); null for
 * anything else, including IPv4 in the odd spellings (`10`, `0x0a.1`) no proxy writes.
 */
export function parseNetwork(entry: string): Network | null {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  if (!isAddress(address)) return null;
  if (slash < 0) {
    const parsed = ipaddr.parse(address);
    return [parsed, parsed.kind() === 'ipv4' ? 32 : 128];
  }
  return /^\d{1,3}$/.test(entry.slice(slash + 1)) && ipaddr.isValidCIDR(entry) ? ipaddr.parseCIDR(entry) : null;
}

/** An address's IPv4 form when it is an IPv4-mapped IPv6 one (`::ffff:1.2.3.4`); null when it is no address. */
function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  return isAddress(ip) ? ipaddr.process(ip) : null;
}

export function inNetworks(ip: string, networks: readonly Network[]): boolean {
  const address = parseAddress(ip);
  return address !== null && networks.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

/**
 * Who a client address stands for when requests are counted: an IPv4 address itself, an IPv6
 * one its /64 (one host is given a whole /64 and picks addresses in it freely), an IPv4-mapped
 * IPv6 address its IPv4 one. Anything else is counted as written.
 */
export function clientKey(ip: string): string {
  const address = parseAddress(ip);
  if (address === null) return ip;
  if (address.kind() === 'ipv4') return address.toString();
  return `${new ipaddr.IPv6([...(address as ipaddr.IPv6).parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}

/**
 * The address a request came from: its peer's, or, when the peer is a trusted proxy, the nearest
 * X-Forwarded-For hop that is not one. Each proxy appends the address it was called from, so the
 * hops left of the first untrusted one are whatever the client wrote and are never read. A hop
 * that is not a bare address (a port, `unknown`) ends the walk at the proxy that wrote it.
 */
export function forwardedClient(peer: string, forwardedFor: string | undefined, trusted: readonly Network[]): string {
  if (trusted.length === 0 || forwardedFor === undefined) return peer;
  const hops = forwardedFor.split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0 && inNetworks(client, trusted); i--) {
    const hop = hops[i]!.trim();
    if (!isAddress(hop)) break;
    client = hop;
  }
  return client;
}
