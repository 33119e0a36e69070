import path from 'node:path';
import { z } from 'zod';
import { optionalBool } from './config-values';

/**
 * How the client, the worker and the API reach a Temporal cluster that needs TLS or an API key
 * (Temporal Cloud, a self-hosted cluster behind mTLS), in the variables Temporal's own CLI reads
 * (`temporal options`), so one environment serves both. The files are read when connecting
 * (src/temporal/connection.ts), so a rotated certificate is picked up by the next connection.
 */
const file = (what: string) =>
  z
    .string()
    .refine((v) => !v.includes('\n'), `expected the path of ${what}, not its contents`)
    .transform((v) => path.resolve(v));

export const TemporalEnvSchema = {
  TEMPORAL_TLS: optionalBool,
  TEMPORAL_TLS_CLIENT_CERT_PATH: file('a PEM client certificate').optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: file('a PEM private key').optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('a PEM CA certificate').optional(),
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, 'expected a host name the server certificate names')
    .optional(),
  TEMPORAL_API_KEY: z
    .string()
    .regex(/^[\x21-\x7e]{1,8192}$/, 'expected printable characters without spaces')
    .optional(),
};

type TemporalEnv = z.infer<z.ZodObject<typeof TemporalEnvSchema>>;

export interface TemporalTls {
  clientCertPath?: string;
  clientKeyPath?: string;
  serverCaCertPath?: string;
  serverName?: string;
}

/**
 * TLS is on when any TLS variable or an API key is set (as in Temporal's CLI), or TEMPORAL_TLS=true;
 * TEMPORAL_TLS=false keeps plain text (an API key to a local proxy). Undefined: plain text.
 */
export function temporalSecurity(e: TemporalEnv): { tls?: TemporalTls; apiKey?: string } {
  const tls: TemporalTls = {
    clientCertPath: e.TEMPORAL_TLS_CLIENT_CERT_PATH,
    clientKeyPath: e.TEMPORAL_TLS_CLIENT_KEY_PATH,
    serverCaCertPath: e.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
    serverName: e.TEMPORAL_TLS_SERVER_NAME,
  };
  const anyTls = Object.values(tls).some((v) => v !== undefined);
  const on = e.TEMPORAL_TLS ?? (anyTls || e.TEMPORAL_API_KEY !== undefined);
  return { ...(on ? { tls } : {}), ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}) };
}

/** Pairs that only work together, and TLS settings that TEMPORAL_TLS=false would ignore: one issue each, naming the variable. */
export function temporalEnvIssues(e: TemporalEnv): Array<{ name: string; message: string }> {
  const issues: Array<{ name: string; message: string }> = [];
  if (e.TEMPORAL_TLS_CLIENT_CERT_PATH && !e.TEMPORAL_TLS_CLIENT_KEY_PATH)
    issues.push({ name: 'TEMPORAL_TLS_CLIENT_KEY_PATH', message: 'is not set; a client certificate needs its private key' });
  if (e.TEMPORAL_TLS_CLIENT_KEY_PATH && !e.TEMPORAL_TLS_CLIENT_CERT_PATH)
    issues.push({ name: 'TEMPORAL_TLS_CLIENT_CERT_PATH', message: 'is not set; a private key needs its client certificate' });
  const tlsSet = ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_NAME'].filter(
    (k) => e[k as keyof TemporalEnv] !== undefined,
  );
  if (e.TEMPORAL_TLS === false && tlsSet.length) issues.push({ name: 'TEMPORAL_TLS', message: `is false, but ${tlsSet.join(', ')} asks for TLS` });
  return issues;
}
