import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startDnsServer, type DnsRecord } from './dns-server';
import { startSipEndpoint } from './sip-endpoint';
import { makeTestPki } from './x509';

/**
 * The voice side of the simulated Zoom: its connector domains answer the SIP preflight as a real
 * one would, entirely on loopback. A DNS server for the `zoomcc.sim` zone gives each connector
 * domain `_sips._tcp.<domain> SRV 10 100 <port> sip.zoomcc.sim.` and that host an address; the SBC
 * there speaks TLS with a certificate from a test CA made at start (it names `sip.zoomcc.sim` and
 * `*.kore-connector.zoomcc.sim`, so the connector domain itself) and answers OPTIONS.
 */

export const SIM_SIP_ZONE = 'zoomcc.sim';
export const SIM_SBC_HOST = `sip.${SIM_SIP_ZONE}`;
/** Where the Zoom simulator puts connector domains (`<id>.kore-connector.zoomcc.sim`, src/sim/zoom/world.ts). */
export const SIM_CONNECTOR_SUFFIX = `kore-connector.${SIM_SIP_ZONE}`;
const CERT_DAYS = 90;

export interface SipSim {
  /** `ip:port` of the DNS server. */
  resolver: string;
  /** The test CA's certificate (PEM), also written to `caFile`. */
  caPem: string;
  caFile: string;
  sipPort: number;
  /** Reissues the SBC's certificate (same names, same CA) so that it has `daysLeft` whole days left (negative: expired). */
  reissueCertificate(daysLeft: number): { validTo: string; daysLeft: number };
  /** What points the preflight (worker or CLI) at this world. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface SipSimOptions {
  host: string;
  dnsPort?: number;
  sipPort?: number;
  /** Whether a connector with this domain exists (asked at every query: connectors come and go). */
  isConnectorDomain: (domain: string) => boolean;
}

/** The address callers are told: a wildcard bind is reached on loopback. */
const reachable = (host: string) => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host);

export async function startSipSim(o: SipSimOptions): Promise<SipSim> {
  const { ca, server, reissue } = makeTestPki({
    caName: 'kore-zcc-onboarding simulator CA',
    dnsNames: [SIM_SBC_HOST, `*.${SIM_CONNECTOR_SUFFIX}`],
    validDays: CERT_DAYS,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-sim-sip-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, ca.cert);
  const stops: Array<() => Promise<void>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.splice(0)) await s().catch(() => undefined);
  };
  try {
    const sbcAddress = reachable(o.host);
    const endpoint = await startSipEndpoint({ host: o.host, port: o.sipPort ?? 0, cert: server.cert, key: server.key, serves: o.isConnectorDomain });
    stops.unshift(endpoint.close);
    // Every type gets the name's records; the server keeps those of the type asked.
    const lookup = (name: string): DnsRecord[] | undefined => {
      if (name === SIM_SBC_HOST) return [net.isIPv6(sbcAddress) ? { type: 'AAAA', address: sbcAddress } : { type: 'A', address: sbcAddress }];
      const srv = /^_sips\._tcp\.(.+)$/.exec(name);
      if (srv && o.isConnectorDomain(srv[1]!)) return [{ type: 'SRV', priority: 10, weight: 100, port: endpoint.port, target: SIM_SBC_HOST }];
      // The domain itself exists (NODATA for what it lacks); anything else in the zone does not.
      return o.isConnectorDomain(name) || name === SIM_SIP_ZONE ? [] : undefined;
    };
    const inZone = (name: string) => name === SIM_SIP_ZONE || name.endsWith(`.${SIM_SIP_ZONE}`);
    const dns = await startDnsServer(o.host, o.dnsPort ?? 0, inZone, lookup);
    stops.unshift(dns.close);
    const resolver = dns.address.replace(/^(\[?)(0\.0\.0\.0|::)(\]?):/, (_, a, ip, b) => `${a}${reachable(ip)}${b}:`);
    return {
      resolver,
      caPem: ca.cert,
      caFile,
      sipPort: endpoint.port,
      reissueCertificate: (daysLeft) => {
        const c = reissue(daysLeft);
        endpoint.setCertificate(c.cert, c.key);
        return { validTo: c.notAfter.toISOString(), daysLeft };
      },
      env: {
        ONBOARD_PREFLIGHT_RESOLVER: resolver,
        ONBOARD_PREFLIGHT_CA_FILE: caFile,
        ONBOARD_PREFLIGHT_ALLOW_LOCAL: 'true',
        // The simulated DNS answers at once: nothing propagates, so a failure is a mistake within seconds.
        ONBOARD_PREFLIGHT_PROPAGATION_WINDOW: '5s',
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
