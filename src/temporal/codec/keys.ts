import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import { CodecKeys, Keyring } from './keyring';

/**
 * Where payload keys come from, first match wins: ONBOARD_CODEC_KEYS (JSON), ONBOARD_CODEC_KEYS_FILE
 * (a mounted file), or the local key file `onboard dev` creates under the state dir. No key means
 * no start: running unencrypted would put tenants' data in the history in plain text.
 */
export class CodecKeysMissing extends Error {
  override readonly name = 'CodecKeysMissing';
}

export const devKeyFile = (stateDir: string) => path.join(stateDir, 'codec-keys.json');

export function loadKeyring(config: Pick<Config, 'codec' | 'stateDir'>): Keyring {
  if (config.codec.keys) return Keyring.parse(config.codec.keys, 'ONBOARD_CODEC_KEYS');
  const file = config.codec.keysFile ?? devKeyFile(config.stateDir);
  let json: string;
  try {
    json = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CodecKeysMissing(
      config.codec.keysFile
        ? `ONBOARD_CODEC_KEYS_FILE=${file}: cannot read it`
        : `no payload encryption key: set ONBOARD_CODEC_KEYS or ONBOARD_CODEC_KEYS_FILE, or run \`onboard dev\` once to create ${file}`,
    );
  }
  return Keyring.parse(json, file);
}

/** A fresh key entry, named by the day it was made so a rotation's order is readable. */
export function newKey(now = new Date()): CodecKeys[number] {
  return { id: `k${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`, key: randomBytes(32).toString('base64') };
}

/** Appends a new key to a key file (creating it 0600): new payloads use it, old ones still decode. */
export function addKey(file: string): { id: string; count: number } {
  // Parsed through Keyring first, so a broken file is named and left alone rather than overwritten.
  const keys: CodecKeys = fs.existsSync(file) ? Keyring.parse(fs.readFileSync(file, 'utf8'), file).entries() : [];
  const key = newKey();
  keys.push(key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return { id: key.id, count: keys.length };
}

/** `onboard dev`: the local key file, created on first run unless keys are configured. */
export function ensureDevKeyring(config: Pick<Config, 'codec' | 'stateDir'>): { file?: string; created: boolean } {
  if (config.codec.keys || config.codec.keysFile) return { created: false };
  const file = devKeyFile(config.stateDir);
  if (fs.existsSync(file)) return { file, created: false };
  addKey(file);
  return { file, created: true };
}
