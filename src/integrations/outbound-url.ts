import dns from 'node:dns';
import net from 'node:net';

/**
 * URLs we call that a tenant gave us (the reminder webhook) must not turn the worker into a way to
 * reach our own network: outside dev they must be https and resolve to public addresses only.
 * The address checked is the one connected to (see `pinnedLookup`), so DNS cannot swap it after.
 */
export class OutboundUrlRefused extends Error {
  override readonly name = 'OutboundUrlRefused';
}

/**
 * The one list of address ranges no tenant webhook may reach, used by the start check (literal
 * addresses in the URL) and the send-time check (every address DNS answers): every entry of IANA's
 * IPv4 and IPv6 special-purpose address registries, the globally reachable ones too (anycast
 * relays, AS112, AMT: no webhook receiver lives there), and multicast.
 */
export const NON_PUBLIC_RANGES: ReadonlyArray<readonly [network: string, bits: number, what: string]> = [
  ['0.0.0.0', 8, '"this network"'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation (TEST-NET-1)'],
  ['192.31.196.0', 24, 'AS112'],
  ['192.52.193.0', 24, 'AMT'],
  ['192.88.99.0', 24, 'deprecated 6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['192.175.48.0', 24, 'AS112 direct delegation'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved, and the limited broadcast address'],
  // IPv6 outside 2000::/3, the only space IANA allocates as global unicast: unspecified, loopback,
  // IPv4-compatible and -translated, NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48),
  // discard and dummy prefixes (100::/64, 100:0:0:1::/64), SRv6 SIDs (5f00::/16), unique-local
  // (fc00::/7), link-local (fe80::/10), site-local (fec0::/10), multicast (ff00::/8). IPv4-mapped
  // addresses are judged as the IPv4 address they carry (see isNonPublicAddress).
  ['::', 3, 'not global unicast'],
  ['4000::', 2, 'not global unicast'],
  ['8000::', 1, 'not global unicast'],
  // ... and inside it:
  ['2001::', 23, 'IETF protocol assignments (Teredo, benchmarking, ORCHID, AMT, AS112, anycast)'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4 (can wrap a private IPv4 address)'],
  ['2620:4f:8000::', 48, 'AS112 direct delegation'],
  ['3fff::', 20, 'documentation'],
];

// Two lists, since a BlockList also judges an IPv4 address by its IPv6 rules (as ::ffff:a.b.c.d,
// inside ::/3) and an IPv6 one by its IPv4 rules when it is IPv4-mapped.
const NOT_PUBLIC_V4 = new net.BlockList();
const NOT_PUBLIC_V6 = new net.BlockList();
for (const [network, bits] of NON_PUBLIC_RANGES)
  if (net.isIPv4(network)) NOT_PUBLIC_V4.addSubnet(network, bits, 'ipv4');
  else NOT_PUBLIC_V6.addSubnet(network, bits, 'ipv6');

/** Whether an IP literal is in one of `NON_PUBLIC_RANGES` (loopback, private, link-local, shared, reserved, documentation, multicast, ...). */
export function isNonPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = net.isIP(bare);
  if (family === 0) return false;
  if (family === 6) {
    // One spelling of each address (the URL parser's), so `0:0:0:0:0:ffff:7f00:1` reads as `::ffff:7f00:1`.
    const v6 = new URL(`http://[${bare}]`).hostname.slice(1, -1);
    // IPv4-mapped (::ffff:10.0.0.1, ::ffff:a00:1) is the IPv4 address in disguise.
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
    if (mapped) return NOT_PUBLIC_V4.check(hexToV4(mapped[1]!, mapped[2]!), 'ipv4');
    return NOT_PUBLIC_V6.check(v6, 'ipv6');
  }
  return NOT_PUBLIC_V4.check(bare, 'ipv4');
}

function hexToV4(hi: string, lo: string): string {
  const n = (parseInt(hi, 16) << 16) | parseInt(lo, 16);
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/**
 * The one list of name suffixes that never name a public host, used by the start check (the URL's
 * host) and the send-time check (the name looked up): RFC 6761's special-use names and their kin
 * (localhost, local (mDNS, and Kubernetes' cluster.local), test, invalid, example, onion, alt, arpa
 * (home.arpa and the reverse zones)), ICANN's private-use `internal` and the names it will never
 * delegate (corp, home, mail), and what private networks call themselves (lan, intranet, private,
 * localdomain, svc for Kubernetes services). A name of one label (`intranet`) is refused too.
 */
export const NON_PUBLIC_NAME_SUFFIXES = [
  'localhost',
  'local',
  'test',
  'invalid',
  'example',
  'onion',
  'alt',
  'arpa',
  'internal',
  'corp',
  'home',
  'mail',
  'lan',
  'intranet',
  'private',
  'localdomain',
  'svc',
] as const;
const NON_PUBLIC_SUFFIX = new Set<string>(NON_PUBLIC_NAME_SUFFIXES);

/** Why a host name is not a public one (trailing dots ignored), or undefined when it may be. IP literals are judged by `isNonPublicAddress`. */
export function nonPublicName(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (net.isIP(host.replace(/^\[|\]$/g, '')) !== 0) return undefined;
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((l) => l === '') || NON_PUBLIC_SUFFIX.has(labels.at(-1)!)) return `must name a public host (${host})`;
  return undefined;
}

/** The checks that need no DNS: scheme, credentials, literal addresses, local names. */
export function checkOutboundUrl(raw: string, opts: { allowLocal: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundUrlRefused('is not a URL');
  }
  if (url.protocol !== 'https:' && !(opts.allowLocal && url.protocol === 'http:')) throw new OutboundUrlRefused('must be an https URL');
  if (url.username || url.password) throw new OutboundUrlRefused('must not carry credentials');
  if (opts.allowLocal) return url;
  const host = url.hostname.replace(/\.+$/, '');
  if (isNonPublicAddress(host)) throw new OutboundUrlRefused(`must not point at a loopback, private or reserved address (${host})`);
  const badName = nonPublicName(url.hostname);
  if (badName) throw new OutboundUrlRefused(badName);
  return url;
}

/**
 * A `lookup` for the HTTP agent that refuses names resolving to non-public addresses, so the
 * check and the connection use the same answer (no DNS rebinding between them).
 */
export function pinnedLookup(opts: { allowLocal: boolean }): net.LookupFunction {
  return (hostname, options, callback) => {
    // The same names the start check refuses, refused before DNS is asked (whatever it would answer).
    const badName = opts.allowLocal ? undefined : nonPublicName(hostname);
    if (badName) return callback(new OutboundUrlRefused(badName), '', 4);
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      const bad = opts.allowLocal ? undefined : list.find((a) => isNonPublicAddress(a.address));
      if (bad) return callback(new OutboundUrlRefused(`${hostname} resolves to a non-public address (${bad.address})`), '', 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** The start-time check of a tenant's outbound URLs, as per-field errors (the send re-checks with DNS). */
export function tenantOutboundErrors(
  tenant: { contacts: { notifyWebhookUrl?: string } },
  opts: { allowLocal: boolean },
): Array<{ field: string; message: string }> {
  const url = tenant.contacts.notifyWebhookUrl;
  if (!url) return [];
  try {
    checkOutboundUrl(url, opts);
    return [];
  } catch (err) {
    if (err instanceof OutboundUrlRefused) return [{ field: 'contacts.notifyWebhookUrl', message: err.message }];
    throw err;
  }
}
