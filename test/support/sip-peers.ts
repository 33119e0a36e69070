import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Real SIP peers on loopback for the preflight tests, from Debian's packages (scripts/setup-system.js
 * installs them when run as root): dnsmasq serving SRV and A records and nothing else (no upstream,
 * no hosts file, no system service: a foreground process of ours on a spare port), sipp as a UAS
 * answering OPTIONS, stunnel putting TLS in front of it (Debian's sipp has none), and certificates
 * made with the openssl CLI from a CA of the test's own.
 */

const TOOLS = { dnsmasq: 'dnsmasq-base', sipp: 'sip-tester', stunnel4: 'stunnel4', openssl: 'openssl' } as const;
const where = (bin: string) => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => path.join(d, bin)).find((p) => fs.existsSync(p));

/** The binary's path, or an error saying which Debian package to install (never a skip). */
export function tool(bin: keyof typeof TOOLS): string {
  const found = where(bin);
  if (!found) throw new Error(`${bin} is missing: apt-get install ${TOOLS[bin]} (npm test installs it when run as root)`);
  return found;
}

/** A port free for both TCP and UDP right now (dnsmasq takes both). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
      s.on('error', reject);
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = dgram.createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** Resolves once `port` on loopback accepts a TCP connection, or fails after `ms`. */
export async function listening(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Peer {
  stop(): Promise<void>;
}

function child(bin: string, args: string[], name: string): { proc: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out = (out + d).slice(-4000)));
  proc.stderr!.on('data', (d) => (out = (out + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    output: () => `${name}: ${out.trim()}`,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

export interface DnsRecords {
  /** `_sips._tcp.x.test` -> [{target, port, priority, weight}] */
  srv: Array<{ name: string; target: string; port: number; priority?: number; weight?: number }>;
  hosts: Array<{ name: string; address: string }>;
  /** Zones answered from these records only: other names there are NXDOMAIN, not REFUSED. */
  zones: string[];
}

/** dnsmasq answering exactly `records` on 127.0.0.1:<spare port>; resolves with `127.0.0.1:<port>`. */
export async function startDnsmasq(records: DnsRecords): Promise<Peer & { address: string }> {
  const bin = tool('dnsmasq');
  const me = os.userInfo();
  const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim() || String(me.gid);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = [
      '--keep-in-foreground', // ours to stop: never a daemon, never a system service
      '--conf-file=/dev/null', // not /etc/dnsmasq.conf
      '--no-resolv', // no upstream: nothing is asked outside
      '--no-hosts',
      '--no-poll',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--pid-file=', // no pid file in /run
      `--user=${me.username}`, // stay who we are (as root it would switch to "nobody")
      `--group=${group}`,
      '--log-facility=-',
      ...records.zones.map((z) => `--local=/${z}/`),
      ...records.srv.map((r) => `--srv-host=${r.name},${r.target},${r.port},${r.priority ?? 10},${r.weight ?? 50}`),
      ...records.hosts.map((h) => `--host-record=${h.name},${h.address}`),
    ];
    const c = child(bin, args, 'dnsmasq');
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      const check = (d: Buffer) => /started, version/.test(String(d)) && (clearTimeout(timer), resolve(true));
      c.proc.stderr!.on('data', check);
      c.proc.once('exit', () => (clearTimeout(timer), resolve(false)));
    });
    if (started) return { address: `127.0.0.1:${port}`, stop: c.stop };
    await c.stop();
    if (attempt >= 3) throw new Error(`dnsmasq did not start: ${c.output()}`);
  }
}

const OPTIONS_UAS = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="options-uas">
  <recv request="OPTIONS" crlf="true"/>
  <send>
    <![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Allow: OPTIONS, INVITE, ACK, BYE, CANCEL
Content-Length: 0

    ]]>
  </send>
</scenario>
`;

/** sipp as a UAS on 127.0.0.1:<port> (TCP) answering every OPTIONS with 200 OK. */
export async function startSipp(dir: string): Promise<Peer & { port: number }> {
  const scenario = path.join(dir, 'options-uas.xml');
  fs.writeFileSync(scenario, OPTIONS_UAS);
  const port = await freePort();
  // -nostdin: no terminal to read keys from; its screen goes to a pipe we drop.
  const c = child(
    tool('sipp'),
    ['-sf', scenario, '-t', 't1', '-i', '127.0.0.1', '-p', String(port), '-nostdin', '-trace_err', '-error_file', path.join(dir, 'sipp-errors.log')],
    'sipp',
  );
  c.proc.stdout!.resume();
  await listening(port).catch(async (err) => {
    await c.stop();
    throw new Error(`${(err as Error).message}; ${c.output()}`);
  });
  return { port, stop: c.stop };
}

export interface TlsService {
  name: string;
  cert: string;
  key: string;
  /** Where stunnel hands the decrypted stream (sipp, or a silent server). */
  connectPort: number;
  /** Its TLS port; a spare one unless given. */
  port?: number;
}

/** One stunnel process, one TLS listener per service; resolves with each service's port. */
export async function startStunnel(dir: string, services: TlsService[]): Promise<Peer & { ports: Record<string, number> }> {
  const ports: Record<string, number> = {};
  const sections: string[] = [];
  for (const s of services) {
    ports[s.name] = s.port ?? (await freePort());
    sections.push(`[${s.name}]\naccept = 127.0.0.1:${ports[s.name]}\nconnect = 127.0.0.1:${s.connectPort}\ncert = ${s.cert}\nkey = ${s.key}\n`);
  }
  const conf = path.join(dir, 'stunnel.conf');
  // foreground and no pid file: a process of ours, not the stunnel4 service.
  fs.writeFileSync(conf, `foreground = yes\npid =\ndebug = 4\noutput = ${path.join(dir, 'stunnel.log')}\n\n${sections.join('\n')}`);
  const c = child(tool('stunnel4'), [conf], 'stunnel');
  try {
    await Promise.all(Object.values(ports).map((p) => listening(p)));
  } catch (err) {
    await c.stop();
    throw new Error(`${(err as Error).message}; ${c.output()}`);
  }
  return { ports, stop: c.stop };
}

export interface Pki {
  caFile: string;
  /** PEM paths of a leaf: `cert` signed by the CA unless `selfSigned`. */
  issue(name: string, o: { dnsNames: string[]; days?: number; from?: string; to?: string; selfSigned?: boolean }): { cert: string; key: string };
}

/** A test CA made with the openssl CLI; leaves with chosen names and dates (`openssl ca` takes explicit ones, for expired certificates). */
export function makePki(dir: string): Pki {
  const openssl = tool('openssl');
  const run = (args: string[]) => {
    const r = spawnSync(openssl, args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    '/CN=Preflight Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    '[ca]\ndefault_ca = tca\n[tca]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\ncopy_extensions = copy\nunique_subject = no\n[any]\ncommonName = supplied\n',
  );
  return {
    caFile: path.join(dir, 'ca.pem'),
    issue(name, o) {
      const [key, cert] = [`${name}.key`, `${name}.pem`];
      const subject = ['-subj', `/CN=${o.dnsNames[0]}`, '-addext', `subjectAltName=${o.dnsNames.map((n) => `DNS:${n}`).join(',')}`];
      if (o.selfSigned) run(['req', '-x509', ...ec, '-keyout', key, '-out', cert, '-days', String(o.days ?? 30), ...subject]);
      else {
        run(['req', ...ec, '-keyout', key, '-out', `${name}.csr`, ...subject]);
        const dates = o.from && o.to ? ['-startdate', o.from, '-enddate', o.to] : ['-days', String(o.days ?? 30)];
        run(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', cert, ...dates]);
      }
      return { cert: path.join(dir, cert), key: path.join(dir, key) };
    },
  };
}
