import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { connectionOptions, describeConnection } from '../../src/temporal/connection';

/** TEMPORAL_* as Temporal's own CLI reads them (`temporal options`), parsed and turned into connection options. */
const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('connecting to a Temporal cluster with TLS or an API key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-tls-unit-'));
  const pemFile = (name: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, `-----BEGIN ${name.toUpperCase()}-----\nAAAA\n-----END ${name.toUpperCase()}-----\n`);
    return f;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plain text with nothing set; TLS once a TLS variable or an API key is set, as the CLI does', () => {
    expect(connectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }))).toEqual({ address: 'temporal:7233' });
    const cloud = connectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-abc' }));
    expect(cloud).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'key-abc', tls: {} });
    expect(describeConnection(cloud)).toBe('ns.acct.tmprl.cloud:7233 (TLS, API key)');
    // TEMPORAL_TLS=false: an API key to a plain-text proxy on the same host.
    expect(connectionOptions(loadConfig({ TEMPORAL_API_KEY: 'key-abc', TEMPORAL_TLS: 'false' }))).toEqual({ address: '127.0.0.1:7233', apiKey: 'key-abc' });
    expect(connectionOptions(loadConfig({ TEMPORAL_TLS: 'true' })).tls).toEqual({});
  });

  it('mTLS: the certificate, key and CA files are read, the server name overrides SNI', () => {
    const [cert, key, ca] = [pemFile('cert'), pemFile('key'), pemFile('ca')];
    const o = connectionOptions(
      loadConfig({
        TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: key,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      }),
    );
    expect(Buffer.from(o.tls!.clientCertPair!.crt).toString()).toContain('BEGIN CERT');
    expect(Buffer.from(o.tls!.clientCertPair!.key).toString()).toContain('BEGIN KEY');
    expect(Buffer.from(o.tls!.serverRootCACertificate!).toString()).toContain('BEGIN CA');
    expect(o.tls!.serverNameOverride).toBe('temporal.internal');
    expect(describeConnection(o)).toBe('127.0.0.1:7233 (mTLS)');
  });

  it('a file missing, a directory or not PEM: one line naming the variable, never the contents', () => {
    const notPem = path.join(dir, 'secret.txt');
    fs.writeFileSync(notPem, 'PRIVATE-MATERIAL');
    const fails = (env: Record<string, string>) => {
      try {
        connectionOptions(loadConfig(env));
        return 'connected';
      } catch (err) {
        return (err as Error).message;
      }
    };
    const cert = pemFile('c2');
    expect(fails({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'missing.pem') })).toBe(
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH=${path.join(dir, 'missing.pem')}: no such file`,
    );
    expect(fails({ TEMPORAL_TLS_CLIENT_CERT_PATH: dir, TEMPORAL_TLS_CLIENT_KEY_PATH: cert })).toBe(`TEMPORAL_TLS_CLIENT_CERT_PATH=${dir}: not a regular file`);
    const notPemMessage = fails({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: notPem });
    expect(notPemMessage).toBe(`TEMPORAL_TLS_CLIENT_KEY_PATH=${notPem}: not PEM (no -----BEGIN line)`);
    expect(notPemMessage).not.toContain('PRIVATE-MATERIAL');
  });

  it('settings that cannot work together are named, the API key never shown', () => {
    expect(refusal({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/etc/cert.pem' })).toBe(
      'TEMPORAL_TLS_CLIENT_KEY_PATH: is not set; a client certificate needs its private key',
    );
    expect(refusal({ TEMPORAL_TLS_CLIENT_KEY_PATH: '/etc/key.pem' })).toBe(
      'TEMPORAL_TLS_CLIENT_CERT_PATH: is not set; a private key needs its client certificate',
    );
    expect(refusal({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'x.example' })).toBe(
      'TEMPORAL_TLS="false": is false, but TEMPORAL_TLS_SERVER_NAME asks for TLS',
    );
    expect(refusal({ TEMPORAL_TLS_SERVER_NAME: 'not a name' })).toBe(
      'TEMPORAL_TLS_SERVER_NAME="not a name": expected a host name the server certificate names',
    );
    expect(refusal({ TEMPORAL_API_KEY: 'has a space' })).toBe('TEMPORAL_API_KEY: expected printable characters without spaces');
    expect(refusal({ TEMPORAL_TLS_CLIENT_KEY_PATH: '-----BEGIN PRIVATE KEY-----\nMII', TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' })).toBe(
      'TEMPORAL_TLS_CLIENT_KEY_PATH: expected the path of a PEM private key, not its contents',
    );
  });
});
