import fs from 'node:fs';
import { z } from 'zod';
import { isNonPublicAddress, nonPublicName } from '../outbound-url';
import { resolveAddresses, resolveSrv, type SrvTarget } from './dns';
import { askOptions } from './sip-options';
import { probeTls, type CertificateFacts } from './tls-probe';

/**
 * The SIP preflight of a connector's domain: can a caller find it in DNS, reach it over TLS with a
 * certificate it trusts, and get a SIP answer? Each SRV target gets an outcome:
 * - `ok`: TLS is sound and SIP answered with a final status (any code: an answer proves a stack);
 * - `inconclusive`: TLS is sound but SIP stayed silent (an SBC may answer allow-listed peers only),
 *   which must not block an onboarding;
 * - `failed`: no address, connection refused, or a certificate that is untrusted, names neither
 *   the domain nor the target, or ends within 14 days.
 *
 * The verdict (the one place it is decided):
 * - `failed` when there is nothing to check (no SRV record, its target ".") or when any target of the
 *   most preferred priority (lowest SRV priority value) failed: callers try those first;
 * - `warning` when none of those failed but some target is inconclusive, or a less preferred
 *   (fallback) target failed: calls get through, someone should look;
 * - `ok` when every target is ok.
 */

export const TargetOutcome = z.enum(['ok', 'inconclusive', 'failed']);
export type TargetOutcome = z.infer<typeof TargetOutcome>;
export const Verdict = z.enum(['ok', 'warning', 'failed']);
export type Verdict = z.infer<typeof Verdict>;

export interface TargetReport extends SrvTarget {
  outcome: TargetOutcome;
  /** The address connected to (the last tried when none worked). */
  address?: string;
  /** Why not ok, in words naming the value and what to change. */
  reason?: string;
  tls?: { protocol: string } & CertificateFacts;
  sip?: { status: number; reason: string };
}

export interface PreflightReport {
  domain: string;
  /** The SRV name that answered (`_sips._tcp.<domain>` or `_sip._tls.<domain>`). */
  srv?: string;
  verdict: Verdict;
  /** One line: the verdict and why (without the domain). */
  summary: string;
  /** Why there was nothing to check (no SRV record, ...). */
  problem?: string;
  targets: TargetReport[];
  checkedAt: string;
}

export interface PreflightSettings {
  resolvers: readonly string[];
  /** PEMs trusted on top of Node's CA list. */
  extraCa: readonly string[];
  /** Whether loopback, private and reserved targets may be checked (dev and tests only). */
  allowLocal: boolean;
  /** Each DNS query, each TLS connection, and the SIP answer. */
  timeoutMs: number;
  now?: () => number;
}

/** At most this many SRV targets, and addresses per target, are checked: a long answer cannot keep the step busy. */
export const MAX_TARGETS = 8;
const MAX_ADDRESSES = 4;

/** A SIP domain: a DNS name of letters, digits and hyphens (no scheme, port or user part). */
export const SipDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((d) => d.replace(/\.$/, ''))
  .pipe(
    z
      .string()
      .max(253, 'is longer than a DNS name can be')
      .regex(
        /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        'is not a domain name (expected e.g. sip.example.com, no scheme, port or user)',
      ),
  );

/** Settings from configuration, with the extra CA file read once (a missing or empty file is said plainly). */
export function preflightSettings(c: { resolvers: readonly string[]; caFile?: string; allowLocal: boolean; timeoutMs: number }): PreflightSettings {
  let extraCa: string[] = [];
  if (c.caFile) {
    let text: string;
    try {
      text = fs.readFileSync(c.caFile, 'utf8');
    } catch (err) {
      throw new Error(`ONBOARD_PREFLIGHT_CA_FILE=${c.caFile}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    extraCa = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (!extraCa.length) throw new Error(`ONBOARD_PREFLIGHT_CA_FILE=${c.caFile}: holds no PEM certificate`);
  }
  return { resolvers: c.resolvers, extraCa, allowLocal: c.allowLocal, timeoutMs: c.timeoutMs };
}

async function checkTarget(domain: string, t: SrvTarget, s: PreflightSettings, progress: (line: string) => void): Promise<TargetReport> {
  const failed = (reason: string, address?: string): TargetReport => ({ ...t, outcome: 'failed', reason, address });
  const badName = s.allowLocal ? undefined : nonPublicName(t.target);
  if (badName) return failed(`the SRV target ${t.target} is not a public host name (${badName.replace(/^must name a public host /, '')})`);
  const found = await resolveAddresses(t.target, { resolvers: s.resolvers, timeoutMs: s.timeoutMs });
  if (!found.ok) return failed(found.reason);
  const local = s.allowLocal ? undefined : found.addresses.find(isNonPublicAddress);
  if (local) return failed(`the SRV target ${t.target} resolves to ${local}, a loopback, private or reserved address no caller on the internet can reach`);
  const refusals: string[] = [];
  let address: string | undefined;
  for (const a of found.addresses.slice(0, MAX_ADDRESSES)) {
    address = a;
    progress(`  ${t.target}:${t.port} (${a}): TLS handshake ...`);
    const conn = await probeTls({ address: a, port: t.port, domain, target: t.target, extraCa: s.extraCa, timeoutMs: s.timeoutMs, now: s.now });
    if (!conn.ok && conn.stage === 'connect') {
      refusals.push(conn.reason);
      continue;
    }
    if (!conn.ok) return failed(conn.reason, a);
    progress(`  ${t.target}:${t.port} (${a}): ${conn.protocol}, certificate fine; SIP OPTIONS ...`);
    const tlsFacts = { protocol: conn.protocol, ...conn.certificate };
    const sip = await askOptions(conn.socket, domain, s.timeoutMs);
    if (sip.answered) return { ...t, outcome: 'ok', address: a, tls: tlsFacts, sip: { status: sip.status, reason: sip.reason } };
    return {
      ...t,
      outcome: 'inconclusive',
      address: a,
      tls: tlsFacts,
      reason: `${sip.why}: TLS is fine, SIP may answer only peers it has allow-listed (Kore.ai's SBC); a test call will tell`,
    };
  }
  return failed(refusals.join('; '), address);
}

/** The verdict rule in the header comment. */
export function verdictOf(targets: readonly TargetReport[]): Verdict {
  if (!targets.length) return 'failed';
  const first = Math.min(...targets.map((t) => t.priority));
  if (targets.some((t) => t.priority === first && t.outcome === 'failed')) return 'failed';
  return targets.every((t) => t.outcome === 'ok') ? 'ok' : 'warning';
}

function summarize(verdict: Verdict, targets: readonly TargetReport[], problem?: string): string {
  if (problem) return `failed: ${problem}`;
  const count = (o: TargetOutcome) => targets.filter((t) => t.outcome === o).length;
  const tally = `${count('ok')} ok, ${count('inconclusive')} inconclusive, ${count('failed')} failed of ${targets.length} SRV target${targets.length === 1 ? '' : 's'}`;
  if (verdict === 'ok') return `ok (${tally})`;
  if (verdict === 'warning') return `passed with a warning (${tally}): calls get through, see the targets`;
  return `failed (${tally}): a most preferred target failed`;
}

/** Runs the whole preflight of `domain`; never throws for what the network says, only for a bad domain. */
export async function runSipPreflight(rawDomain: string, s: PreflightSettings, progress: (line: string) => void = () => undefined): Promise<PreflightReport> {
  const parsed = SipDomain.safeParse(rawDomain);
  if (!parsed.success) throw new RangeError(`domain "${rawDomain}" ${parsed.error.issues[0]!.message}`);
  const domain = parsed.data;
  const checkedAt = new Date((s.now ?? Date.now)()).toISOString();
  const stop = (problem: string): PreflightReport => ({
    domain,
    verdict: 'failed',
    summary: summarize('failed', [], problem),
    problem,
    targets: [],
    checkedAt,
  });
  const badName = s.allowLocal ? undefined : nonPublicName(domain);
  if (badName) return stop(`the SIP domain ${domain} is not a public name; use the domain the connector shows`);
  progress(`resolving _sips._tcp.${domain} (then _sip._tls.${domain}) ...`);
  const srv = await resolveSrv(domain, { resolvers: s.resolvers, timeoutMs: s.timeoutMs });
  if (!srv.ok) return stop(srv.reason);
  const chosen = srv.targets.slice(0, MAX_TARGETS);
  progress(`${srv.srvName}: ${chosen.map((t) => `${t.target}:${t.port} (priority ${t.priority}, weight ${t.weight})`).join(', ')}`);
  // In parallel: each target's timeouts add up to a few seconds, several targets would not.
  const targets = await Promise.all(chosen.map((t) => checkTarget(domain, t, s, progress)));
  const verdict = verdictOf(targets);
  return { domain, srv: srv.srvName, verdict, summary: summarize(verdict, targets), targets, checkedAt };
}

/** One line per target, for people (the CLI) and failure messages. */
export function describeTarget(t: TargetReport): string {
  const head = `${t.target}:${t.port}${t.address ? ` (${t.address})` : ''} priority ${t.priority} weight ${t.weight}: ${t.outcome}`;
  const cert = t.tls ? `${t.tls.protocol}, certificate names the ${t.tls.names === 'domain' ? 'SIP domain' : 'SRV target'}, valid to ${t.tls.validTo}` : '';
  if (t.outcome === 'ok') return `${head}: SIP ${t.sip!.status}${t.sip!.reason ? ` ${t.sip!.reason}` : ''}; ${cert}`;
  return `${head}: ${t.reason}${t.outcome === 'inconclusive' && cert ? `; ${cert}` : ''}`;
}
