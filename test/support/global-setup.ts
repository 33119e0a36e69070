import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { BinaryNotFoundError, resolveBinary } from '../../src/local-temporal/binaries';
import { startDevServer, type DevServer } from '../../src/local-temporal/server';
import { installSchemathesis } from './schemathesis';
import { testServerSpec } from './test-server';
import { addKey } from '../../src/temporal/codec';
import { SERVER_INFO, SERVER_LOG, SUITE_LOG, TEST_STATE_DIR } from './paths';

/**
 * One real Temporal dev server for the whole suite (in memory, headless), obtained by the same
 * routes `onboard dev` uses. Workers inherit its address through TEMPORAL_ADDRESS.
 */
export default async function globalSetup(): Promise<void> {
  fs.rmSync(TEST_STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(TEST_STATE_DIR, { recursive: true });
  fs.writeFileSync(SUITE_LOG, '');
  // One payload key for the suite; workers, clients and spawned CLIs inherit the path.
  process.env.ONBOARD_CODEC_KEYS_FILE = path.join(TEST_STATE_DIR, 'codec-keys.json');
  addKey(process.env.ONBOARD_CODEC_KEYS_FILE);
  const progress = (line: string) => process.stderr.write(`[temporal] ${line}\n`);
  const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: undefined });
  const server: DevServer = await startDevServer({ temporal: config.temporal, port: 0, uiPort: false, logFile: SERVER_LOG, onProgress: progress });
  progress(`dev server ${server.address} via route "${server.route}" ready in ${server.startMs} ms`);
  // Install the time-skipping server once here, so test files never race to pip-install it.
  const testServer = await resolveBinary(testServerSpec(config.temporal), { onProgress: progress });
  if (testServer instanceof BinaryNotFoundError) {
    await server.stop();
    throw testServer;
  }
  progress(`time-skipping test server via route "${testServer.route}"`);
  // The API's OpenAPI fuzzer, once here rather than in its test (pip may take a while); a failure
  // to get it is that test's failure, told there, not the whole suite's.
  const schemathesis = await installSchemathesis((line) => process.stderr.write(`[schemathesis] ${line}\n`));
  if ('error' in schemathesis) process.stderr.write(`[schemathesis] not available: ${schemathesis.error}\n`);
  const { address, route, binaryPath, startMs, attempts } = server;
  fs.writeFileSync(SERVER_INFO, JSON.stringify({ address, route, binaryPath, startMs, attempts, testServer, schemathesis }, null, 2));
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  (globalThis as { __temporal?: DevServer }).__temporal = server;
}
