import dns from 'node:dns';
import net from 'node:net';

/**
 * The DNS half of the preflight (RFC 3263's order for a `sips:` domain): the SRV records of
 * `_sips._tcp.<domain>`, else of the older `_sip._tls.<domain>`, then each target's A and AAAA.
 * Every query has its own deadline: a resolver that never answers costs one timeout, not the step.
 */

export interface SrvTarget {
  target: string;
  port: number;
  priority: number;
  weight: number;
}

export type SrvAnswer = { ok: true; srvName: string; targets: SrvTarget[] } | { ok: false; reason: string };

export interface DnsOptions {
  /** DNS servers (`ip` or `ip:port`); none: the system's. */
  resolvers: readonly string[];
  timeoutMs: number;
}

/** A resolver of our own, so a configured server never changes what the rest of the process asks. */
export function makeResolver(opts: DnsOptions): dns.promises.Resolver {
  const resolver = new dns.promises.Resolver({ timeout: opts.timeoutMs, tries: 2 });
  if (opts.resolvers.length) resolver.setServers([...opts.resolvers]);
  return resolver;
}

/** The query, or a DNS error with code ETIMEOUT once `timeoutMs` has passed (the resolver's own retries can outlast it). */
async function within<T>(resolver: dns.promises.Resolver, timeoutMs: number, query: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      resolver.cancel();
      reject(Object.assign(new Error('DNS query timed out'), { code: dns.TIMEOUT }));
    }, timeoutMs);
  });
  try {
    return await Promise.race([query(), late]);
  } finally {
    clearTimeout(timer);
  }
}

const NO_SUCH = new Set<string>([dns.NODATA, dns.NOTFOUND]);
const codeOf = (err: unknown) => String((err as NodeJS.ErrnoException).code ?? 'error');

/** Plain words for a DNS failure that is not "no such record". */
function dnsTrouble(code: string, name: string, timeoutMs: number): string {
  if (code === dns.TIMEOUT || code === dns.CANCELLED) return `the DNS server did not answer for ${name} within ${timeoutMs} ms`;
  if (code === dns.REFUSED) return `the DNS server refused to answer for ${name} (REFUSED)`;
  if (code === dns.SERVFAIL) return `the DNS server failed to answer for ${name} (SERVFAIL)`;
  return `DNS lookup of ${name} failed (${code})`;
}

/**
 * Targets in the order a caller tries them: lowest priority first, then (within a priority) the
 * heaviest weight first; RFC 2782 picks by weighted chance, the order shown here is its likeliest.
 */
export function orderTargets(records: readonly SrvTarget[]): SrvTarget[] {
  return [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.target.localeCompare(b.target) || a.port - b.port);
}

export async function resolveSrv(domain: string, opts: DnsOptions, resolver = makeResolver(opts)): Promise<SrvAnswer> {
  const tried: string[] = [];
  for (const srvName of [`_sips._tcp.${domain}`, `_sip._tls.${domain}`]) {
    try {
      const records = await within(resolver, opts.timeoutMs, () => resolver.resolveSrv(srvName));
      // A single "." target says the service is decidedly not offered there (RFC 2782).
      const real = records.filter((r) => r.name !== '' && r.name !== '.');
      if (records.length && !real.length) return { ok: false, reason: `${srvName} says no SIP over TLS is offered there (its SRV target is ".")` };
      if (real.length)
        return {
          ok: true,
          srvName,
          targets: orderTargets(real.map((r) => ({ target: r.name.replace(/\.$/, '').toLowerCase(), port: r.port, priority: r.priority, weight: r.weight }))),
        };
      tried.push(srvName);
    } catch (err) {
      const code = codeOf(err);
      if (!NO_SUCH.has(code)) return { ok: false, reason: dnsTrouble(code, srvName, opts.timeoutMs) };
      tried.push(srvName);
    }
  }
  return {
    ok: false,
    reason: `no SRV record for ${tried.join(' or ')}: the connector's domain must publish one (e.g. "${tried[0]} SRV 10 50 5061 sip1.${domain}."); check the domain was copied exactly from the connector, or wait for DNS to propagate`,
  };
}

export type AddressAnswer = { ok: true; addresses: string[] } | { ok: false; reason: string };

/** A target's IPv4 then IPv6 addresses (an IP literal as a target is its own address). */
export async function resolveAddresses(target: string, opts: DnsOptions, resolver = makeResolver(opts)): Promise<AddressAnswer> {
  if (net.isIP(target)) return { ok: true, addresses: [target] };
  const addresses: string[] = [];
  const troubles: string[] = [];
  for (const query of [() => resolver.resolve4(target), () => resolver.resolve6(target)]) {
    try {
      addresses.push(...(await within(resolver, opts.timeoutMs, query)));
    } catch (err) {
      const code = codeOf(err);
      if (!NO_SUCH.has(code)) troubles.push(dnsTrouble(code, target, opts.timeoutMs));
    }
  }
  if (addresses.length) return { ok: true, addresses: [...new Set(addresses)] };
  if (troubles.length) return { ok: false, reason: troubles[0]! };
  return { ok: false, reason: `the SRV target ${target} has no A or AAAA record: publish its address, or point the SRV record at a host that has one` };
}
