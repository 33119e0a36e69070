import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../config';

/** The Temporal frontend to talk to: TEMPORAL_ADDRESS, or the local dev server `onboard dev` runs. */
export function temporalAddress(config: Pick<Config, 'temporal'>): string {
  return config.temporal.address ?? `${config.temporal.ip}:${config.temporal.port}`;
}

/** A connection setting Temporal cannot use (a file missing or unreadable): one line naming the variable. */
export class TemporalSettingError extends Error {
  override readonly name = 'TemporalSettingError';
}

/** Largest certificate or key file we read (a chain of a few certificates is a few KiB). */
const MAX_PEM_BYTES = 1024 * 1024;

/** A PEM file's bytes, or a one-line error naming the variable and what is wrong (never the contents). */
function pem(variable: string, file: string): Buffer {
  let bytes: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new TemporalSettingError(`${variable}=${file}: not a regular file`);
    if (st.size > MAX_PEM_BYTES) throw new TemporalSettingError(`${variable}=${file}: larger than ${MAX_PEM_BYTES} bytes; expected a PEM file`);
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof TemporalSettingError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read it (${code ?? 'error'})`;
    throw new TemporalSettingError(`${variable}=${file}: ${why}`);
  }
  if (!bytes.includes('-----BEGIN ')) throw new TemporalSettingError(`${variable}=${file}: not PEM (no -----BEGIN line)`);
  return bytes;
}

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/**
 * What both the client's Connection and the worker's NativeConnection take: the address, TLS (the
 * files named by TEMPORAL_TLS_* read now) and the API key, sent as `authorization: Bearer <key>`.
 */
export function connectionOptions(config: Pick<Config, 'temporal'>): TemporalConnectionOptions {
  const { tls, apiKey } = config.temporal;
  const out: TemporalConnectionOptions = { address: temporalAddress(config) };
  if (apiKey) out.apiKey = apiKey;
  if (!tls) return out;
  out.tls = {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.serverCaCertPath ? { serverRootCACertificate: pem('TEMPORAL_TLS_SERVER_CA_CERT_PATH', tls.serverCaCertPath) } : {}),
    ...(tls.clientCertPath && tls.clientKeyPath
      ? { clientCertPair: { crt: pem('TEMPORAL_TLS_CLIENT_CERT_PATH', tls.clientCertPath), key: pem('TEMPORAL_TLS_CLIENT_KEY_PATH', tls.clientKeyPath) } }
      : {}),
  };
  return out;
}

/** How we are connecting, for messages: never the key or a file's contents. */
export function describeConnection(o: TemporalConnectionOptions): string {
  const how = [o.tls ? (o.tls.clientCertPair ? 'mTLS' : 'TLS') : undefined, o.apiKey ? 'API key' : undefined].filter(Boolean);
  return how.length ? `${o.address} (${how.join(', ')})` : o.address;
}

/**
 * One line for a failed connection: where, how, and the first line of the cause (a TLS or
 * authentication refusal names itself there; gRPC's messages carry no credentials).
 */
export function unreachable(o: TemporalConnectionOptions, err: unknown, local: boolean): Error {
  if (err instanceof TemporalSettingError) return err;
  // The SDK wraps gRPC's error ("Failed to connect ..."); its cause says what failed (TLS, 401).
  const messages: string[] = [];
  for (let e: unknown = err; e && messages.length < 4; e = (e as { cause?: unknown }).cause) messages.push(String((e as Error).message ?? e).split('\n')[0]!);
  const cause = messages.join(': ').slice(0, 400);
  const hint = local ? 'start it with `onboard dev` (or set TEMPORAL_ADDRESS)' : 'check TEMPORAL_ADDRESS and the TEMPORAL_TLS_* and TEMPORAL_API_KEY settings';
  return new Error(`cannot reach Temporal at ${describeConnection(o)}: ${cause}; ${hint}`);
}
