import net from 'node:net';
import tls from 'node:tls';

/**
 * The simulated SBC of the connector domains: SIP over TLS (RFC 3261 with RFC 5630's sips:),
 * answering OPTIONS with 200 (404 for a domain it does not serve) and any other request with 405.
 * Enough for the preflight's "are you there"; calls themselves run through the admin API.
 */

const MAX_MESSAGE = 16 * 1024;

interface Request {
  method: string;
  uri: string;
  headers: Array<[string, string]>;
}

/** Compact header forms (RFC 3261 7.3.3) a client may use, to their full names. */
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', l: 'content-length' };

function parse(head: string): Request | undefined {
  const [start, ...lines] = head.split('\r\n');
  const m = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(start ?? '');
  if (!m) return undefined;
  const headers = lines.flatMap((l): Array<[string, string]> => {
    const i = l.indexOf(':');
    if (i < 0) return [];
    const name = l.slice(0, i).trim().toLowerCase();
    return [[COMPACT[name] ?? name, l.slice(i + 1).trim()]];
  });
  return { method: m[1]!, uri: m[2]!, headers };
}

function respond(req: Request, status: number, reason: string): string {
  const all = (name: string) => req.headers.filter(([n]) => n === name).map(([, v]) => v);
  const to = all('to')[0] ?? '';
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...all('via').map((v) => `Via: ${v}`),
    `From: ${all('from')[0] ?? ''}`,
    // The UAS adds its tag to To (RFC 3261 8.2.6.2).
    `To: ${/;tag=/i.test(to) ? to : `${to};tag=sim${Math.random().toString(16).slice(2, 10)}`}`,
    `Call-ID: ${all('call-id')[0] ?? ''}`,
    `CSeq: ${all('cseq')[0] ?? ''}`,
    'Allow: INVITE, ACK, BYE, CANCEL, OPTIONS',
    'Accept: application/sdp',
    'Server: zoomcc-sim-sbc',
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join('\r\n');
}

/** The host of a `sip:`/`sips:` URI (no user, port or parameters). */
const uriHost = (uri: string) => /^sips?:(?:[^@;]+@)?(\[[^\]]+\]|[^:;>]+)/i.exec(uri)?.[1]?.toLowerCase().replace(/\.$/, '');

export interface SipEndpoint {
  port: number;
  /** Serves another certificate from the next connection on (a renewal, or one about to expire). */
  setCertificate(cert: string, key: string): void;
  close(): Promise<void>;
}

export function startSipEndpoint(o: { host: string; port: number; cert: string; key: string; serves: (domain: string) => boolean }): Promise<SipEndpoint> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: o.cert, key: o.key, minVersion: 'TLSv1.2' }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // a caller going away mid-handshake is not our failure
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (buffer.length > MAX_MESSAGE) return void socket.destroy();
      for (;;) {
        buffer = buffer.replace(/^(?:\r\n)+/, ''); // keep-alives
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.slice(0, end);
        const length = Number(/\r\n(?:content-length|l)\s*:\s*(\d+)/i.exec(`\r\n${head}`)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.slice(end + 4 + length);
        const req = parse(head);
        if (!req) return void socket.destroy(); // not SIP: a real SBC drops it too
        if (req.method === 'ACK') continue; // never answered (RFC 3261 17.2.1)
        const host = uriHost(req.uri);
        if (req.method !== 'OPTIONS') socket.write(respond(req, 405, 'Method Not Allowed'));
        else if (!host || !o.serves(host)) socket.write(respond(req, 404, 'Not Found'));
        else socket.write(respond(req, 200, 'OK'));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as net.AddressInfo).port,
        setCertificate: (cert, key) => server.setSecureContext({ cert, key, minVersion: 'TLSv1.2' }),
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
