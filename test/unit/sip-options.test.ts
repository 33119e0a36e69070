import { finalStatus, optionsRequest } from '../../src/integrations/sip/sip-options';

/** The SIP text the preflight writes and reads (the exchange itself runs against sipp in test/integration/sip-preflight.test.ts). */
describe('SIP OPTIONS, as written and read', () => {
  it('the request has the headers RFC 3261 makes mandatory, a sips: URI, CRLF line ends and an empty body', () => {
    const req = optionsRequest({ domain: 'sip.acme.com', localAddress: '::1', localPort: 5070, branch: 'b1', tag: 't1', callId: 'c1' });
    expect(req.split('\r\n')).toEqual([
      'OPTIONS sips:sip.acme.com SIP/2.0',
      'Via: SIP/2.0/TLS [::1]:5070;branch=z9hG4bKb1;rport',
      'Max-Forwards: 70',
      'From: <sips:preflight@kore-zcc-onboarding.invalid>;tag=t1',
      'To: <sips:sip.acme.com>',
      'Call-ID: c1@kore-zcc-onboarding.invalid',
      'CSeq: 1 OPTIONS',
      'Contact: <sips:preflight@[::1]:5070;transport=tls>',
      'Accept: application/sdp',
      'User-Agent: kore-zcc-onboarding-preflight',
      'Content-Length: 0',
      '',
      '',
    ]);
  });

  it.each([
    ['a final answer', 'SIP/2.0 200 OK\r\nVia: x\r\n\r\n', { status: 200, reason: 'OK' }],
    ['a refusal is an answer too', 'SIP/2.0 403 Forbidden\r\n', { status: 403, reason: 'Forbidden' }],
    [
      'provisional answers are skipped, body and all',
      'SIP/2.0 100 Trying\r\nl: 4\r\n\r\nabcd\r\nSIP/2.0 486 Busy Here\r\n',
      { status: 486, reason: 'Busy Here' },
    ],
    ['keep-alive CRLFs first', '\r\n\r\nSIP/2.0 200 OK\r\n', { status: 200, reason: 'OK' }],
    ['not all there yet', 'SIP/2.0 20', undefined],
    ['a provisional answer still arriving', 'SIP/2.0 180 Ringing\r\nContent-Length: 0\r\n', undefined],
    ['another protocol', 'HTTP/1.1 400 Bad Request\r\n\r\n', { notSip: 'HTTP/1.1 400 Bad Request' }],
    ['another protocol, before its first line ends', 'HTTP/1.1 4', { notSip: 'HTTP/1.1 4' }],
  ])('%s', (_, text, expected) => {
    expect(finalStatus(text)).toEqual(expected);
  });
});
