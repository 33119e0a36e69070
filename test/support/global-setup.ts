import fs from 'node:fs';
import { loadConfig } from '../../src/config';
import { startDevServer, type DevServer } from '../../src/temporal/server';
import { SERVER_INFO, SERVER_LOG, SUITE_LOG, TEST_STATE_DIR } from './paths';

/**
 * One real Temporal dev server for the whole suite (in memory, headless), obtained by the same
 * routes `onboard dev` uses. Workers inherit its address through TEMPORAL_ADDRESS.
 */
export default async function globalSetup(): Promise<void> {
  fs.rmSync(TEST_STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(TEST_STATE_DIR, { recursive: true });
  fs.writeFileSync(SUITE_LOG, '');
  const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: undefined });
  const server: DevServer = await startDevServer({
    temporal: config.temporal,
    port: 0,
    uiPort: false,
    logFile: SERVER_LOG,
    onProgress: (line) => process.stderr.write(`[temporal] ${line}\n`),
  });
  process.stderr.write(`[temporal] dev server ${server.address} via route "${server.route}" ready in ${server.startMs} ms\n`);
  fs.writeFileSync(
    SERVER_INFO,
    JSON.stringify({ address: server.address, route: server.route, binaryPath: server.binaryPath, startMs: server.startMs, attempts: server.attempts }, null, 2),
  );
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  (globalThis as { __temporal?: DevServer }).__temporal = server;
}
