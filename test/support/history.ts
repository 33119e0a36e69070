import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { SERVER_INFO } from './paths';

/**
 * A workflow's full history as JSON, as `temporal workflow show --output json` prints it (the
 * format Worker.runReplayHistories reads), from the suite's own Temporal CLI and server.
 */
export function historyJson(workflowId: string, address = process.env.TEMPORAL_ADDRESS!, runId?: string): string {
  const { binaryPath } = JSON.parse(fs.readFileSync(SERVER_INFO, 'utf8')) as { binaryPath: string };
  const r = spawnSync(binaryPath, ['workflow', 'show', '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : []), '--output', 'json', '--address', address, '--namespace', process.env.TEMPORAL_NAMESPACE ?? 'default'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`temporal workflow show ${workflowId} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * The history as a person (or an attacker with database access) could read it: the JSON itself
 * plus every payload's `data` decoded from base64, since that is how payloads appear in the JSON.
 */
export function readableHistory(json: string): string {
  const decoded: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') decoded.push(Buffer.from(o.data, 'base64').toString('utf8'));
    Object.values(o).forEach(walk);
  };
  walk(JSON.parse(json));
  return `${json}\n${decoded.join('\n')}`;
}
