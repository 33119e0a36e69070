import net from 'node:net';
import tls from 'node:tls';

/**
 * The TLS half of the preflight: a connection to one address of an SRV target, and what its
 * certificate says. The handshake is let through whatever the certificate (rejectUnauthorized
 * off) so the verdict can say exactly what is wrong with it; nothing is sent until it is judged.
 */

/** A certificate closer than this to its end fails: it would lapse before anyone notices. */
export const EXPIRY_MARGIN_DAYS = 14;
const DAY_MS = 86_400_000;

export interface CertificateFacts {
  /** Which name it is valid for: the SIP domain (what RFC 5922 asks) or the SRV target. */
  names: 'domain' | 'target';
  subject: string;
  /** The DNS names it carries (subjectAltName), for a person comparing them. */
  altNames: string[];
  issuer: string;
  validTo: string;
  daysLeft: number;
}

export type TlsOutcome =
  | { ok: true; socket: tls.TLSSocket; protocol: string; certificate: CertificateFacts }
  | { ok: false; stage: 'connect' | 'certificate'; reason: string; certificate?: Omit<CertificateFacts, 'names'> };

export interface TlsProbeOptions {
  address: string;
  port: number;
  domain: string;
  target: string;
  /** PEMs trusted on top of Node's CA list (tls.rootCertificates). */
  extraCa: readonly string[];
  timeoutMs: number;
  now?: () => number;
}

const CN = (name: Record<string, unknown> | undefined) => {
  const cn = name?.CN;
  return Array.isArray(cn) ? String(cn[0]) : cn ? String(cn) : '(no CN)';
};

/** Plain words for OpenSSL's verdict on the chain (https://www.openssl.org/docs/man3.0/man1/openssl-verify.html names them). */
function untrusted(code: string, issuer: string, validTo: string): string {
  if (code === 'CERT_HAS_EXPIRED') return `its certificate expired on ${validTo}: install a renewed certificate`;
  if (code === 'CERT_NOT_YET_VALID') return 'its certificate is not valid yet (check its start date and the server clock)';
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT') return 'its certificate is self-signed, so no caller trusts it: use one from a public CA';
  if (['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'].includes(code))
    return `its certificate chain (issuer "${issuer}") does not lead to a trusted CA (${code}): use a certificate from a public CA and send the intermediate certificates too (or, for a private CA, give it to us with ONBOARD_PREFLIGHT_CA_FILE)`;
  return `its certificate is not trusted (${code})`;
}

function connectTrouble(err: NodeJS.ErrnoException, where: string, timeoutMs: number): string {
  if (err.code === 'ECONNREFUSED')
    return `nothing accepts connections on ${where} (connection refused): the SBC must listen for SIP over TLS there, or the SRV record must name the right port`;
  if (err.code === 'ETIMEDOUT') return `no TLS connection to ${where} within ${timeoutMs} ms: a firewall may drop it, or the host is down`;
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return `${where} closed the connection during the TLS handshake (it may not speak TLS on that port)`;
  if (/wrong version number|unsupported protocol|protocol version/i.test(err.message))
    return `${where} does not offer TLS 1.2 or newer (${err.message.split('\n')[0]}): enable TLS 1.2+ on the SBC`;
  return `the TLS handshake with ${where} failed (${err.code ?? err.message.split('\n')[0]})`;
}

/**
 * One TLS context per set of extra CAs, built once: a context with `ca` parses every root
 * certificate again (Node's ~140 and ours), which the benchmark's profile measured at 17.6 s of the
 * worker's main thread over 1,100 onboardings when each probe built its own.
 */
const contexts = new Map<string, tls.SecureContext>();
function contextTrusting(extraCa: readonly string[]): tls.SecureContext {
  const key = extraCa.join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ...extraCa], minVersion: 'TLSv1.2' });
    // A handful of CA sets at most (ONBOARD_PREFLIGHT_CA_FILE, a test's own CA); kept small regardless.
    if (contexts.size >= 16) contexts.clear();
    contexts.set(key, context);
  }
  return context;
}

/** Connects, handshakes and judges the certificate: trusted chain, names the domain or target, and at least 14 days left. */
export function probeTls(opts: TlsProbeOptions): Promise<TlsOutcome> {
  const where = `${net.isIPv6(opts.address) ? `[${opts.address}]` : opts.address}:${opts.port}`;
  const now = opts.now ?? Date.now;
  return new Promise((resolve) => {
    let settled = false;
    const socket = tls.connect({
      host: opts.address,
      port: opts.port,
      // SNI carries the SIP domain: the identity RFC 5922 says a SIP client checks.
      servername: net.isIP(opts.domain) ? undefined : opts.domain,
      minVersion: 'TLSv1.2',
      rejectUnauthorized: false,
      // Names are judged below against the domain and the target both; Node's check knows one name only.
      checkServerIdentity: () => undefined,
      ...(opts.extraCa.length ? { secureContext: contextTrusting(opts.extraCa) } : {}),
    });
    const finish = (outcome: TlsOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('error');
      if (!outcome.ok) socket.destroy();
      else socket.on('error', () => undefined); // the SIP exchange attaches its own handler
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, stage: 'connect', reason: connectTrouble(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), where, opts.timeoutMs) }),
      opts.timeoutMs,
    );
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, stage: 'connect', reason: connectTrouble(err, where, opts.timeoutMs) }));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      if (!peer || !peer.raw) return finish({ ok: false, stage: 'certificate', reason: `${where} sent no certificate` });
      const facts = {
        subject: CN(peer.subject as unknown as Record<string, unknown>),
        altNames: (peer.subjectaltname ?? '')
          .split(/,\s*/)
          .filter((n) => n.startsWith('DNS:'))
          .map((n) => n.slice(4)),
        issuer: CN(peer.issuer as unknown as Record<string, unknown>),
        validTo: new Date(peer.valid_to).toISOString().slice(0, 10),
        daysLeft: Math.floor((Date.parse(peer.valid_to) - now()) / DAY_MS),
      };
      const problems: string[] = [];
      // Node documents it as an Error but hands OpenSSL's code as a string.
      const chainError = socket.authorized ? undefined : String(socket.authorizationError ?? 'UNKNOWN');
      if (chainError) problems.push(untrusted(chainError, facts.issuer, facts.validTo));
      const names =
        tls.checkServerIdentity(opts.domain, peer) === undefined ? 'domain' : tls.checkServerIdentity(opts.target, peer) === undefined ? 'target' : undefined;
      if (!names) {
        const carried = facts.altNames.length ? facts.altNames.join(', ') : `only the CN ${facts.subject}`;
        problems.push(
          `its certificate names ${carried}, neither the SIP domain ${opts.domain} nor the SRV target ${opts.target}: use a certificate whose subjectAltName includes ${opts.domain}`,
        );
      }
      // An expired one is already said by the chain check.
      if (chainError !== 'CERT_HAS_EXPIRED' && facts.daysLeft < EXPIRY_MARGIN_DAYS)
        problems.push(
          `its certificate expires on ${facts.validTo}, in ${Math.max(facts.daysLeft, 0)} days (less than ${EXPIRY_MARGIN_DAYS}): renew it before calls start failing`,
        );
      if (problems.length || !names) return finish({ ok: false, stage: 'certificate', reason: problems.join('; '), certificate: facts });
      finish({ ok: true, socket, protocol: socket.getProtocol() ?? 'TLS', certificate: { names, ...facts } });
    });
  });
}
