import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { EncryptionCodec, Keyring, loadKeyring } from '../../src/temporal/codec';
import { EXTRA_KEYS_DIR, SERVER_INFO } from './paths';

/**
 * A workflow's full history as JSON, as `temporal workflow show --output json` prints it (the
 * format Worker.runReplayHistories reads), from the suite's own Temporal CLI and server.
 */
export function historyJson(workflowId: string, address = process.env.TEMPORAL_ADDRESS!, runId?: string): string {
  const { binaryPath } = JSON.parse(fs.readFileSync(SERVER_INFO, 'utf8')) as { binaryPath: string };
  const r = spawnSync(
    binaryPath,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
      '--address',
      address,
      '--namespace',
      process.env.TEMPORAL_NAMESPACE ?? 'default',
    ],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`temporal workflow show ${workflowId} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * The history as a person (or an attacker with database access) could read it: the JSON itself
 * plus every payload's `data` and metadata decoded from base64, since that is how payloads appear
 * in the JSON. With a codec, encrypted payloads are decrypted too: that is what a holder of the
 * keys (or the codec endpoint) sees, and it must still hold secret references only.
 */
export function readableHistory(json: string, codec?: EncryptionCodec): string {
  const decoded: string[] = [];
  const b64 = (s: unknown) => Buffer.from(String(s), 'base64');
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') {
      const metadata = Object.fromEntries(Object.entries(o.metadata as Record<string, string>).map(([k, v]) => [k, b64(v)]));
      decoded.push(Buffer.from(o.data, 'base64').toString('utf8'), ...Object.values(metadata).map((v) => v.toString('utf8')));
      if (codec) {
        const plain = codec.decodeOne({ metadata, data: b64(o.data) });
        decoded.push(Buffer.from(plain.data ?? []).toString('utf8'));
      }
    }
    Object.values(o).forEach(walk);
  };
  walk(JSON.parse(json));
  return `${json}\n${decoded.join('\n')}`;
}

/**
 * The suite's payload codec: the key global setup wrote, plus any key a test made for itself
 * (tests that rotate keys keep their key files in EXTRA_KEYS_DIR so the leak check can read all).
 */
export function suiteCodec(): EncryptionCodec {
  const suite = loadKeyring(loadConfig()).entries();
  const extra = fs.existsSync(EXTRA_KEYS_DIR)
    ? fs.readdirSync(EXTRA_KEYS_DIR).flatMap((f) => Keyring.parse(fs.readFileSync(path.join(EXTRA_KEYS_DIR, f), 'utf8'), f).entries())
    : [];
  const byId = new Map([...extra, ...suite].map((k) => [k.id, k]));
  return new EncryptionCodec(new Keyring([...byId.values()]));
}

/**
 * The history JSON with every encrypted payload replaced by its plain form (base64 metadata and
 * data, as the CLI prints them): how fixtures are saved, so any suite key replays them.
 */
export function decodedHistory(json: string, codec: EncryptionCodec = suiteCodec()): string {
  const b64 = (s: unknown) => Buffer.from(String(s), 'base64');
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') {
      const metadata = Object.fromEntries(Object.entries(o.metadata as Record<string, string>).map(([k, v]) => [k, b64(v)]));
      if (metadata['encoding']?.toString() === 'binary/encrypted') {
        const plain = codec.decodeOne({ metadata, data: b64(o.data) });
        const meta = Object.fromEntries(Object.entries(plain.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')]));
        return { ...o, metadata: meta, data: Buffer.from(plain.data ?? []).toString('base64') };
      }
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
  };
  return JSON.stringify(walk(JSON.parse(json)), null, 2);
}
