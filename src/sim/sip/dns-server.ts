import dgram from 'node:dgram';
import net from 'node:net';

/**
 * A DNS responder for the simulated world (RFC 1035 over UDP, one question per query, as resolvers
 * send): it answers the records `lookup` gives for names in its zones, NXDOMAIN for other names
 * there, and REFUSED for everything else, so nothing it is asked ever leaves the machine.
 */

export const TYPE = { A: 1, AAAA: 28, SRV: 33 } as const;
export type RecordType = keyof typeof TYPE;

export type DnsRecord =
  { type: 'A'; address: string } | { type: 'AAAA'; address: string } | { type: 'SRV'; priority: number; weight: number; port: number; target: string };

/** `undefined`: no such name (NXDOMAIN); `[]`: the name exists, no record of that type (NODATA). */
export type Lookup = (name: string, type: RecordType) => DnsRecord[] | undefined;

const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const TTL_S = 30;

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

/** The question's name, type and where it ends; `undefined` for a query we cannot read. */
function readQuestion(msg: Buffer): { name: string; type: number; end: number } | undefined {
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const n = msg[at];
    if (n === undefined || n > 63) return undefined; // no compression in a question we accept
    at += 1;
    if (n === 0) break;
    labels.push(msg.toString('ascii', at, at + n));
    at += n;
  }
  if (at + 4 > msg.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(at), end: at + 4 };
}

function rdata(r: DnsRecord): Buffer {
  if (r.type === 'A') return Buffer.from(r.address.split('.').map(Number));
  if (r.type === 'AAAA') {
    const full = new URL(`http://[${r.address}]`).hostname.slice(1, -1);
    const [head, tail = ''] = full.split('::');
    const parts = (s: string) => (s ? s.split(':') : []);
    const groups = [...parts(head!), ...Array(8 - parts(head!).length - parts(tail).length).fill('0'), ...parts(tail)];
    return Buffer.from(groups.flatMap((g: string) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
  }
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(r.priority, 0);
  fixed.writeUInt16BE(r.weight, 2);
  fixed.writeUInt16BE(r.port, 4);
  return Buffer.concat([fixed, encodeName(r.target)]);
}

/** The answer to one query message, or `undefined` to drop it (not a query). */
export function answer(query: Buffer, inZone: (name: string) => boolean, lookup: Lookup): Buffer | undefined {
  if (query.length < 12 || query[2]! & 0x80) return undefined;
  const id = query.readUInt16BE(0);
  const rd = query[2]! & 0x01;
  const opcode = (query[2]! >> 3) & 0x0f;
  const q = query.readUInt16BE(4) === 1 ? readQuestion(query) : undefined;
  const reply = (rcode: number, answers: DnsRecord[] = [], aa = false) => {
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    header[2] = 0x80 | (aa ? 0x04 : 0) | rd; // QR, AA, RD echoed
    header[3] = rcode; // RA off: we recurse for no one
    header.writeUInt16BE(q ? 1 : 0, 4);
    header.writeUInt16BE(answers.length, 6);
    const body = answers.map((r) => {
      const data = rdata(r);
      const fixed = Buffer.alloc(10);
      fixed.writeUInt16BE(TYPE[r.type], 0);
      fixed.writeUInt16BE(1, 2); // IN
      fixed.writeUInt32BE(TTL_S, 4);
      fixed.writeUInt16BE(data.length, 8);
      return Buffer.concat([Buffer.from([0xc0, 0x0c]), fixed, data]); // the name: a pointer to the question's
    });
    return Buffer.concat([header, ...(q ? [query.subarray(12, q.end)] : []), ...body]);
  };
  if (opcode !== 0) return reply(RCODE.NOTIMP);
  if (!q) return reply(RCODE.FORMERR);
  if (!inZone(q.name)) return reply(RCODE.REFUSED);
  const type = (Object.keys(TYPE) as RecordType[]).find((t) => TYPE[t] === q.type);
  const records = lookup(q.name, type ?? 'A');
  if (records === undefined) return reply(RCODE.NXDOMAIN, [], true);
  return reply(RCODE.NOERROR, type ? records.filter((r) => r.type === type) : [], true);
}

export interface DnsServer {
  /** `ip:port` (IPv6 in brackets), as ONBOARD_PREFLIGHT_RESOLVER takes it. */
  address: string;
  close(): Promise<void>;
}

export function startDnsServer(host: string, port: number, inZone: (name: string) => boolean, lookup: Lookup): Promise<DnsServer> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  socket.on('message', (msg, from) => {
    try {
      const out = answer(msg, inZone, lookup);
      if (out) socket.send(out, from.port, from.address);
    } catch {
      // A malformed query gets no answer, as from a real server under load.
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      const a = socket.address();
      resolve({
        address: `${net.isIPv6(a.address) ? `[${a.address}]` : a.address}:${a.port}`,
        close: () => new Promise<void>((r) => socket.close(() => r())),
      });
    });
  });
}
