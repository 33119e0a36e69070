import crypto from 'node:crypto';

/**
 * Just enough X.509 (RFC 5280) for the simulated SBC: a test CA and a server certificate it signs,
 * P-256 keys, made with node:crypto at start (it signs but cannot build certificates, and no
 * library for it is a dependency). DER is written by hand: a few TLVs.
 */

const len = (n: number) => (n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
const int = (bytes: Buffer) => tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
const ext = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/**
 * A positive serial whose DER INTEGER is minimal: a first byte of 0 (1 in 256 random draws)
 * would make a leading zero that OpenSSL refuses ("illegal padding"), so the top bits are fixed.
 */
export function serialNumber(random: Buffer): Buffer {
  const serial = Buffer.from(random);
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  return serial;
}

export interface Issued {
  /** PEM. */
  cert: string;
  /** PKCS#8 PEM. */
  key: string;
}

interface Signer {
  name: string;
  key: crypto.KeyObject;
  keyId: Buffer;
}

function issue(subject: string, o: { issuer?: Signer; ca: boolean; dnsNames?: string[]; notBefore: Date; notAfter: Date }): Issued & { signer: Signer } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = crypto.createHash('sha1').update(spki).digest();
  const issuer = o.issuer ?? { name: subject, key: privateKey, keyId };
  const extensions = [
    ext('2.5.29.19', true, o.ca ? seq(bool(true)) : seq()), // basicConstraints
    // keyUsage: keyCertSign + cRLSign for the CA, digitalSignature for the server.
    ext('2.5.29.15', true, o.ca ? bits(Buffer.from([0x06]), 1) : bits(Buffer.from([0x80]), 7)),
    ext('2.5.29.14', false, octets(keyId)), // subjectKeyIdentifier
    ext('2.5.29.35', false, seq(tlv(0x80, issuer.keyId))), // authorityKeyIdentifier
    ...(o.ca ? [] : [ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1')))]), // extKeyUsage serverAuth
    ...(o.dnsNames?.length ? [ext('2.5.29.17', false, seq(...o.dnsNames.map((n) => tlv(0x82, Buffer.from(n)))))] : []), // subjectAltName
  ];
  const serial = serialNumber(crypto.randomBytes(16));
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))), // v3
    int(serial),
    ECDSA_SHA256,
    name(issuer.name),
    seq(time(o.notBefore), time(o.notAfter)),
    name(subject),
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = crypto.sign('sha256', tbs, issuer.key); // DER ECDSA-Sig-Value
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  const pem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
  return { cert: pem, key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, signer: { name: subject, key: privateKey, keyId } };
}

const DAY = 86_400_000;

/**
 * A test CA (valid a year) and a server certificate for `dnsNames` it signs, valid `validDays` from
 * an hour ago; `reissue(daysLeft)` signs a new server certificate (new key) that a check run now
 * finds `daysLeft` whole days from its end (negative: expired that many days ago).
 */
export function makeTestPki(o: { caName: string; dnsNames: string[]; validDays: number; now?: number }): {
  ca: Issued;
  server: Issued;
  reissue: (daysLeft: number, now?: number) => Issued & { notAfter: Date };
} {
  const now = o.now ?? Date.now();
  const notBefore = new Date(now - 3_600_000);
  const ca = issue(o.caName, { ca: true, notBefore, notAfter: new Date(now + 365 * DAY) });
  const server = issue(o.dnsNames[0]!, { issuer: ca.signer, ca: false, dnsNames: o.dnsNames, notBefore, notAfter: new Date(now + o.validDays * DAY) });
  const reissue = (daysLeft: number, at = Date.now()) => {
    // An hour over the whole days, so "days left" reads `daysLeft` for the next hour.
    const notAfter = new Date(at + daysLeft * DAY + 3_600_000);
    const from = new Date(Math.min(at - 3_600_000, notAfter.getTime() - 30 * DAY));
    const c = issue(o.dnsNames[0]!, { issuer: ca.signer, ca: false, dnsNames: o.dnsNames, notBefore: from, notAfter });
    return { cert: c.cert, key: c.key, notAfter };
  };
  return { ca: { cert: ca.cert, key: ca.key }, server: { cert: server.cert, key: server.key }, reissue };
}
