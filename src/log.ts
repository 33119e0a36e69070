import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { ownerOnly } from './paths';

/**
 * One pino logger for the process. Logs go to stderr (so `--json` output on stdout stays clean) or
 * to ONBOARD_LOG_FILE. Secrets are kept out at the source (they are `Secret` objects, and errors
 * never carry request configs); the redact list is a second line of defence for keys that look
 * like credentials.
 */
const SECRET_KEYS = ['clientSecret', 'client_secret', 'secret', 'password', 'authorization', 'Authorization', 'auth', 'access_token', 'accessToken', 'token'];
/** Top-level and one level down (pino's wildcard does not match the top level). */
export const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)];

export interface LogOptions {
  level?: string;
  file?: string;
  name?: string;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? process.env.ONBOARD_LOG_LEVEL ?? 'info';
  const file = opts.file ?? process.env.ONBOARD_LOG_FILE;
  let destination: pino.DestinationStream;
  if (file) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // Log lines name people, tenants and e-mail addresses: the file is its owner's alone.
    destination = pino.destination({ dest: file, append: true, sync: true, mode: 0o600 });
    ownerOnly(file);
  } else {
    destination = pino.destination({ dest: 2, sync: true });
  }
  return pino(
    {
      name: opts.name ?? 'kore-zcc-onboarding',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      base: { pid: process.pid },
    },
    destination,
  );
}

let shared: Logger | undefined;

export function logger(): Logger {
  return (shared ??= createLogger());
}
