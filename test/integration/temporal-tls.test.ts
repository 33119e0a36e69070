import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApi } from '../../src/api/server';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { connectClient } from '../../src/temporal/client';
import { stopWorker } from '../../src/temporal/stop-worker';
import { createOnboardingWorker } from '../../src/temporal/worker';
import { startGrpcProxy, type GrpcProxy } from '../support/grpc-proxy';
import { startHarness } from '../support/onboarding';

/**
 * A cluster that needs TLS or an API key, reached with the variables Temporal's CLI reads: the
 * suite's dev server behind nginx (test/support/grpc-proxy.ts), one port wanting a client
 * certificate of our CA, one an API key. The worker, the client and the API connect through it;
 * wrong credentials are refused by the proxy, and a file that cannot be read is named before any
 * connection is tried.
 */
const API_KEY = 'tls-test-api-key-3f0c9a7b5e';
let dir: string;
let proxy: GrpcProxy;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-grpc-proxy-'));
  proxy = await startGrpcProxy({ dir, upstream: process.env.TEMPORAL_ADDRESS!, apiKey: API_KEY });
});
afterAll(async () => {
  await proxy?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const mtlsEnv = () => ({
  TEMPORAL_ADDRESS: proxy.mtls,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: proxy.caFile,
  TEMPORAL_TLS_SERVER_NAME: proxy.serverName,
  TEMPORAL_TLS_CLIENT_CERT_PATH: proxy.client.cert,
  TEMPORAL_TLS_CLIENT_KEY_PATH: proxy.client.key,
});
const apiKeyEnv = (key = API_KEY) => ({
  TEMPORAL_ADDRESS: proxy.apiKey,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: proxy.caFile,
  TEMPORAL_TLS_SERVER_NAME: proxy.serverName,
  TEMPORAL_API_KEY: key,
});
/** What connecting with these settings answers: 'ok' or the error's message. */
async function clientWith(env: Record<string, string>): Promise<string> {
  try {
    const { client, close } = await connectClient(loadConfig({ ...process.env, ...env }));
    await client.workflowService.getSystemInfo({});
    await close();
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
}

it('a worker over mTLS and a client and the API over an API key run an onboarding through the proxy', async () => {
  const h = await startHarness({ worker: false, env: apiKeyEnv() });
  const workerConfig = loadConfig({ ...process.env, ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir, ...mtlsEnv() });
  const { worker, connection } = await createOnboardingWorker({ config: workerConfig, logger: createLogger({ name: 'tls-worker' }), taskQueue: h.taskQueue });
  const running = worker.run();
  try {
    const tenant = await h.start();
    // Both access checks ran as activities on the worker, and the run now waits for its people.
    const p = await h.until(tenant.tenantId, (pr) => pr.status === 'waiting-for-human');
    expect(p.steps.filter((s) => ['verify-kore-access', 'verify-zoom-access'].includes(s.id)).map((s) => s.state)).toEqual(['done', 'done']);

    const api = await buildApi({ config: h.config, client: h.client, logger: createLogger({ name: 'tls-api' }) });
    const health = await api.inject({ method: 'GET', url: '/healthz' });
    await api.close();
    expect(health.json()).toEqual({ status: 'ok', temporal: { address: proxy.apiKey, reachable: true } });

    // Traffic went through both listeners (the dev server itself is never named to the code).
    const ports = new Set(
      proxy
        .accessLog()
        .split('\n')
        .filter((l) => / 200 /.test(l))
        .map((l) => l.split(' ')[0]),
    );
    expect([...ports].sort()).toEqual([proxy.mtls, proxy.apiKey].map((a) => a.split(':')[1]).sort());
  } finally {
    await stopWorker(worker, running, connection);
    await h.stop();
  }
});

it('the proxy refuses a wrong API key, a missing or foreign client certificate and an unexpected server name; each error is one line without the key', async () => {
  const refused = {
    wrongKey: await clientWith(apiKeyEnv('not-the-key-0000000000')),
    noClientCert: await clientWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' }),
    foreignCert: await clientWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: proxy.stranger.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: proxy.stranger.key }),
    wrongName: await clientWith({ ...apiKeyEnv(), TEMPORAL_TLS_SERVER_NAME: '' }),
  };
  expect(refused.wrongKey).toMatch(new RegExp(`^cannot reach Temporal at ${proxy.apiKey} \\(TLS, API key\\): .*(Unauthenticated|UNAUTHENTICATED|401)`, 'i'));
  expect(refused.noClientCert).toMatch(new RegExp(`^cannot reach Temporal at ${proxy.mtls} \\(TLS\\): `));
  expect(refused.foreignCert).toMatch(new RegExp(`^cannot reach Temporal at ${proxy.mtls} \\(mTLS\\): `));
  expect(refused.wrongName).toMatch(new RegExp(`^cannot reach Temporal at ${proxy.apiKey} \\(TLS, API key\\): `));
  if (process.env.TLS_DEBUG) process.stderr.write(`${JSON.stringify(refused, null, 2)}\n`);
  for (const message of Object.values(refused)) {
    expect(message).not.toContain('\n');
    expect(message).not.toContain(API_KEY);
    expect(message).not.toContain('not-the-key');
  }
  // The proxy really was asked (and said no) for the key: not a failure before the request.
  expect(proxy.accessLog()).toMatch(new RegExp(`^${proxy.apiKey.split(':')[1]} 401 `, 'm'));
});

it('a worker whose certificate file is missing or unreadable fails at once, naming the variable', async () => {
  const logger = createLogger({ name: 'tls-worker' });
  const worker = (env: Record<string, string>) =>
    createOnboardingWorker({ config: loadConfig({ ...process.env, ...mtlsEnv(), ...env }), logger, taskQueue: 'never-polled' }).then(
      () => 'started',
      (err: Error) => err.message,
    );
  const missing = path.join(dir, 'nope.pem');
  expect(await worker({ TEMPORAL_TLS_CLIENT_CERT_PATH: missing })).toBe(`TEMPORAL_TLS_CLIENT_CERT_PATH=${missing}: no such file`);
  expect(await worker({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: dir })).toBe(`TEMPORAL_TLS_SERVER_CA_CERT_PATH=${dir}: not a regular file`);
  const notPem = path.join(dir, 'not.pem');
  fs.writeFileSync(notPem, 'hello');
  expect(await worker({ TEMPORAL_TLS_CLIENT_KEY_PATH: notPem })).toBe(`TEMPORAL_TLS_CLIENT_KEY_PATH=${notPem}: not PEM (no -----BEGIN line)`);
});
