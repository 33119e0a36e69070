import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { Onboardings } from '../../src/app';
import { loadConfig } from '../../src/config';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { registerTenant } from '../../src/people';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { connectClient } from '../../src/temporal/client';
import { freePort, startDevServer, type DevServer } from '../../src/local-temporal/server';
import { stopWorker } from '../../src/temporal/stop-worker';
import { createOnboardingWorker } from '../../src/temporal/worker';
import { FAST, tenantFile } from '../support/onboarding';
import { ROOT } from '../support/paths';

/**
 * The real Temporal Web UI (the one `onboard dev` starts) reading an onboarding's encrypted history:
 * it shows the tenant only through our /codec endpoint, and only for a browser signed in to our API.
 * What the README tells a person to do is what this test does.
 */
const VIEWER = 'viewer-token-temporal-ui-0123456789';
let server: DevServer;
let sims: Simulators;
let api: FastifyInstance;
let apiUrl: string;
let browser: Browser;
let worker: { worker: Worker; running: Promise<void>; connection: NativeConnection };
let stateDir: string;
let ui: { client: Client; onboardings: Onboardings };

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-ui-codec-'));
  const apiPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const base = loadConfig({ ...process.env, TEMPORAL_ADDRESS: undefined });
  // As `onboard dev` runs it: Web UI on, pointed at the API's codec endpoint.
  server = await startDevServer({
    temporal: base.temporal,
    port: 0,
    uiPort: 0,
    logFile: path.join(stateDir, 'temporal.log'),
    uiCodecEndpoint: `${apiUrl}/codec`,
  });
  sims = await startSimulators();
  const config = loadConfig({
    ...process.env,
    ...sims.env,
    TEMPORAL_ADDRESS: server.address,
    ONBOARD_STATE_DIR: stateDir,
    ONBOARD_CODEC_CORS_ORIGINS: server.uiUrl!,
  });
  const w = await createOnboardingWorker({ config, logger: createLogger({ name: 'ui-codec' }), taskQueue: `ui-codec-${randomUUID()}` });
  worker = { ...w, running: w.worker.run() };
  const { client } = await connectClient(config);
  api = await buildApi({
    config,
    client,
    logger: createLogger({ name: 'ui-codec-api' }),
    tokens: new TokenBook([{ name: 'Val Viewer', role: 'viewer', token: VIEWER }]),
  });
  await api.listen({ host: '127.0.0.1', port: apiPort });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  ui = { client, onboardings: new Onboardings(client, config, { taskQueue: w.worker.options.taskQueue, onboardingOptions: FAST }) };
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (worker) await stopWorker(worker.worker, worker.running, worker.connection);
  await sims?.stop();
  await server?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

it('shows the decoded input to a signed-in browser, and nothing of the tenant to one that is not', async () => {
  const file = tenantFile({ displayName: 'Initech Voice' });
  await registerTenant(new SimAdminClient(sims.admin), publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const run = await ui.onboardings.start(file);
  const tenant = run.tenant;
  const historyPage = `${server.uiUrl}/namespaces/default/workflows/${run.workflowId}/${run.runId}/history`;

  const open = async (signedIn: boolean) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The person signs in on our dashboard (POST /api/v1/session sets the /codec cookie) ...
    if (signedIn) expect((await context.request.post(`${apiUrl}/api/v1/session`, { headers: { authorization: `Bearer ${VIEWER}` } })).status()).toBe(200);
    // ... and in the UI's codec settings turns on "Include cross-origin credentials" (stored locally).
    await context.addInitScript((endpoint) => {
      const store = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
      store.setItem('endpoint', JSON.stringify(endpoint));
      store.setItem('includeCredentials', 'true');
      store.setItem('overrideRemoteCodecConfiguration', 'true');
    }, `${apiUrl}/codec`);
    const page = await context.newPage();
    const codecAnswers: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${apiUrl}/codec/decode`) && r.request().method() === 'POST') codecAnswers.push(r.status());
    });
    await page.goto(historyPage);
    return { page, context, codecAnswers };
  };

  const yes = await open(true);
  await yes.page.getByText(`"botId": "${tenant.kore.botId}"`).first().waitFor({ timeout: 30_000 });
  // The reference, store:TENANT/kore.clientSecret.START (a file per start), not the secret.
  expect(tenant.kore.clientSecret).toMatch(new RegExp(`^store:${tenant.tenantId}/kore\\.clientSecret\\.`));
  await yes.page.getByText(`"clientSecret": "${tenant.kore.clientSecret}"`).first().waitFor();
  expect(yes.codecAnswers.length).toBeGreaterThan(0);
  expect(yes.codecAnswers.every((s) => s === 200)).toBe(true);
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  const shot = await yes.page.screenshot({ path: path.join(ROOT, 'test-results', 'temporal-ui-decoded.png') });
  if (process.env.ONBOARD_RECORD_SCREENSHOT === '1') fs.writeFileSync(path.join(ROOT, 'docs', 'temporal-ui-decoded.png'), shot);
  await yes.context.close();

  const no = await open(false);
  // The UI asks our codec, is refused, and shows no input.
  for (let i = 0; i < 100 && !no.codecAnswers.length; i++) await new Promise((r) => setTimeout(r, 100));
  expect(no.codecAnswers.length).toBeGreaterThan(0);
  expect(no.codecAnswers.every((s) => s === 401)).toBe(true);
  await no.page.waitForTimeout(1000);
  expect(await no.page.content()).not.toContain(tenant.kore.botId);
  await no.context.close();
});
