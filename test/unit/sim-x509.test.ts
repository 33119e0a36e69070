import crypto from 'node:crypto';
import tls from 'node:tls';
import fc from 'fast-check';
import { makeTestPki, serialNumber } from '../../src/sim/sip/x509';

describe("the simulated SBC's certificates", () => {
  it('a serial is positive and minimal in DER for any random draw, including one starting with a zero byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const serial = serialNumber(Buffer.from(bytes));
        // Neither a leading 0x00 (non-minimal, OpenSSL's "illegal padding") nor the sign bit set.
        expect(serial[0]).toBeGreaterThanOrEqual(0x40);
        expect(serial[0]).toBeLessThanOrEqual(0x7f);
        expect(serial.subarray(1)).toEqual(Buffer.from(bytes).subarray(1));
      }),
    );
    expect(serialNumber(Buffer.from([0, 1, 2]))[0]).toBe(0x40);
  });

  it('every certificate issued loads into a TLS context and carries its names', () => {
    const pki = makeTestPki({ caName: 'test CA', dnsNames: ['sip.zoomcc.sim', '*.kore-connector.zoomcc.sim'], validDays: 90 });
    for (let i = 0; i < 40; i++) {
      const c = i === 0 ? pki.server : pki.reissue(30 - i);
      expect(() => tls.createSecureContext({ cert: c.cert, key: c.key })).not.toThrow();
      const x = new crypto.X509Certificate(c.cert);
      expect(x.subjectAltName).toBe('DNS:sip.zoomcc.sim, DNS:*.kore-connector.zoomcc.sim');
      expect(x.verify(new crypto.X509Certificate(pki.ca.cert).publicKey)).toBe(true);
    }
  });
});
