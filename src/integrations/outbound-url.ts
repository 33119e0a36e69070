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

const NOT_PUBLIC = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net4, bits, 'ipv4');
// IPv6: unspecified, loopback, IPv4-compatible, discard, unique-local, link- and site-local,
// multicast, documentation, NAT64, 6to4 and Teredo (both can wrap a private IPv4 address).
for (const [net6, bits] of [
  ['::', 96],
  ['::1', 128],
  ['100::', 64],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
  ['2001::', 32],
] as const)
  NOT_PUBLIC.addSubnet(net6, bits, 'ipv6');

/** Whether an IP literal is a loopback, private, link-local, shared, reserved or multicast address. */
export function isNonPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = net.isIP(bare);
  if (family === 0) return false;
  if (family === 6) {
    // IPv4-mapped (::ffff:10.0.0.1 or ::ffff:a00:1) is the IPv4 address in disguise.
    const mapped = /^::ffff:(.+)$/i.exec(bare)?.[1];
    if (mapped) return net.isIPv4(mapped) ? NOT_PUBLIC.check(mapped, 'ipv4') : isNonPublicAddress(hexToV4(mapped));
    return NOT_PUBLIC.check(bare, 'ipv6');
  }
  return NOT_PUBLIC.check(bare, 'ipv4');
}

function hexToV4(hex: string): string {
  const [hi = '0', lo = '0'] = hex.split(':');
  const n = (parseInt(hi, 16) << 16) | parseInt(lo, 16);
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

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
  const host = url.hostname.replace(/\.$/, '');
  if (isNonPublicAddress(host)) throw new OutboundUrlRefused(`must not point at a loopback, private or reserved address (${host})`);
  if (LOCAL_NAMES.test(host) || (!host.includes('.') && net.isIP(host.replace(/^\[|\]$/g, '')) === 0))
    throw new OutboundUrlRefused(`must name a public host (${host})`);
  return url;
}

/**
 * A `lookup` for the HTTP agent that refuses names resolving to non-public addresses, so the
 * check and the connection use the same answer (no DNS rebinding between them).
 */
export function pinnedLookup(opts: { allowLocal: boolean }): net.LookupFunction {
  return (hostname, options, callback) => {
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
