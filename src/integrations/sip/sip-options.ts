import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type tls from 'node:tls';

/**
 * The SIP half of the preflight: one OPTIONS request (RFC 3261 11, the "are you there" of SIP)
 * over the TLS connection already judged, and the first final status line it gets back. Any final
 * answer (200, 403, 404, ...) proves a SIP stack is listening; silence proves nothing, since an SBC
 * may drop requests from peers it has not allow-listed.
 */

export type SipAnswer = { answered: true; status: number; reason: string } | { answered: false; why: string };

/** Our own identity in the request: a name that cannot collide with a real one (RFC 6761's .invalid). */
const FROM_USER = 'preflight';
const FROM_HOST = 'kore-zcc-onboarding.invalid';
/** Enough for any status line and headers; a peer sending more is not answering OPTIONS. */
const MAX_READ = 16 * 1024;

const token = (bytes: number) => randomBytes(bytes).toString('hex');
const hostOf = (ip: string) => (net.isIPv6(ip) ? `[${ip}]` : ip);

/** The request, CRLF line ends, as RFC 3261 8.1.1 wants its mandatory headers (Via, Max-Forwards, To, From, Call-ID, CSeq). */
export function optionsRequest(p: { domain: string; localAddress: string; localPort: number; branch?: string; tag?: string; callId?: string }): string {
  const via = `${hostOf(p.localAddress)}:${p.localPort}`;
  return [
    `OPTIONS sips:${p.domain} SIP/2.0`,
    // The magic cookie z9hG4bK marks an RFC 3261 branch; rport asks for the answer on this connection.
    `Via: SIP/2.0/TLS ${via};branch=z9hG4bK${p.branch ?? token(8)};rport`,
    'Max-Forwards: 70',
    `From: <sips:${FROM_USER}@${FROM_HOST}>;tag=${p.tag ?? token(6)}`,
    `To: <sips:${p.domain}>`,
    `Call-ID: ${p.callId ?? token(12)}@${FROM_HOST}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sips:${FROM_USER}@${via};transport=tls>`,
    'Accept: application/sdp',
    'User-Agent: kore-zcc-onboarding-preflight',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

const STATUS_LINE = /^SIP\/2\.0 (\d{3})(?: (.*))?$/;

/**
 * The final status in `buffer`, skipping provisional (1xx) answers; `undefined` while it is not
 * all there; `{notSip}` when the peer speaks something else.
 */
export function finalStatus(buffer: string): { status: number; reason: string } | { notSip: string } | undefined {
  let rest = buffer.replace(/^(?:\r\n)+/, ''); // keep-alive CRLFs (RFC 5626) may come first
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd < 0) return rest.length > 0 && !'SIP/2.0 '.startsWith(rest.slice(0, 8)) ? { notSip: rest.slice(0, 60) } : undefined;
    const line = rest.slice(0, lineEnd);
    const m = STATUS_LINE.exec(line);
    if (!m) return { notSip: line.slice(0, 60) };
    const status = Number(m[1]);
    if (status >= 200) return { status, reason: (m[2] ?? '').trim() };
    // Provisional: skip the whole message (headers, and a body if it has one) to the next.
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    const length = Number(/\r\n(?:content-length|l)\s*:\s*(\d+)/i.exec(rest.slice(0, headEnd + 2))?.[1] ?? 0);
    if (rest.length < headEnd + 4 + length) return undefined;
    rest = rest.slice(headEnd + 4 + length).replace(/^(?:\r\n)+/, '');
  }
}

/** Sends OPTIONS on `socket` and waits up to `timeoutMs` for a final status line; always closes the socket. */
export function askOptions(socket: tls.TLSSocket, domain: string, timeoutMs: number): Promise<SipAnswer> {
  return new Promise((resolve) => {
    let received = '';
    let settled = false;
    const finish = (answer: SipAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish({ answered: false, why: `no SIP answer to OPTIONS within ${timeoutMs} ms` }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const found = finalStatus(received);
      if (found && 'notSip' in found) return finish({ answered: false, why: `the peer answered, but not in SIP ("${found.notSip}")` });
      if (found) return finish({ answered: true, ...found });
      if (received.length > MAX_READ) finish({ answered: false, why: `the peer sent ${received.length} bytes without a final SIP status line` });
    });
    socket.on('end', () => finish({ answered: false, why: 'the peer closed the connection without a SIP answer' }));
    socket.on('close', () => finish({ answered: false, why: 'the connection closed without a SIP answer' }));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish({ answered: false, why: `the connection failed before a SIP answer (${err.code ?? err.message})` }),
    );
    socket.write(optionsRequest({ domain, localAddress: socket.localAddress ?? '0.0.0.0', localPort: socket.localPort ?? 0 }));
  });
}
