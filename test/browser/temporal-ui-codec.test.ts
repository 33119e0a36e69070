import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
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
 * What the README tells a person to do is what this test does: sign in to the dashboard, follow the
 * run's link. No codec settings by hand (the local UI is told to send credentials; ui-proxy.ts).
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
    // As `onboard dev` sets it: the dashboard links each run to this UI.
    ONBOARD_TEMPORAL_UI_URL: server.uiUrl!,
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

it('a run opened from the dashboard link shows its decoded input once the browser signed in to the dashboard, and nothing of the tenant to one that did not', async () => {
  const file = tenantFile({ displayName: 'Initech Voice' });
  await registerTenant(new SimAdminClient(sims.admin), publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const run = await ui.onboardings.start(file);
  const tenant = run.tenant;
  // No settings by hand: the local UI already says to send credentials to our codec (src/local-temporal/ui-proxy.ts).
  const settings = (await (await fetch(`${server.uiUrl}/api/v1/settings`)).json()) as { Codec: unknown };
  expect(settings.Codec).toMatchObject({ Endpoint: `${apiUrl}/codec`, IncludeCredentials: true });

  const watch = (page: Page) => {
    const codecAnswers: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${apiUrl}/codec/decode`) && r.request().method() === 'POST') codecAnswers.push(r.status());
    });
    return codecAnswers;
  };

  // A person signs in on the dashboard (which also signs the browser in for /codec), opens the
  // tenant's page and follows its link: the UI's run page, in a new tab, shows the input decoded.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const dashboard = await context.newPage();
  await dashboard.goto(apiUrl);
  await dashboard.getByLabel('API token').fill(VIEWER);
  await dashboard.getByRole('button', { name: 'Use token' }).click();
  await dashboard.getByText('Val Viewer (viewer)').waitFor();
  await dashboard.goto(`${apiUrl}/#/t/${tenant.tenantId}`);
  const link = dashboard.getByRole('link', { name: /Open this run in the Temporal Web UI/ });
  expect(await link.getAttribute('href')).toBe(`${server.uiUrl}/namespaces/default/workflows/${run.workflowId}`);
  const [uiPage] = await Promise.all([context.waitForEvent('page'), link.click()]);
  const yesAnswers = watch(uiPage);
  // The UI opens the workflow's latest run: this one.
  await uiPage.waitForURL(`**/workflows/${run.workflowId}/${run.runId}/**`, { timeout: 30_000 });
  await uiPage.getByText(`"botId": "${tenant.kore.botId}"`).first().waitFor({ timeout: 30_000 });
  // The reference, store:TENANT/kore.clientSecret.START (a file per start), not the secret.
  expect(tenant.kore.clientSecret).toMatch(new RegExp(`^store:${tenant.tenantId}/kore\\.clientSecret\\.`));
  await uiPage.getByText(`"clientSecret": "${tenant.kore.clientSecret}"`).first().waitFor();
  expect(yesAnswers.length).toBeGreaterThan(0);
  expect(yesAnswers.every((s) => s === 200)).toBe(true);
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  const shot = await uiPage.screenshot({ path: path.join(ROOT, 'test-results', 'temporal-ui-decoded.png') });
  if (process.env.ONBOARD_RECORD_SCREENSHOT === '1') fs.writeFileSync(path.join(ROOT, 'docs', 'temporal-ui-decoded.png'), shot);
  await context.close();

  // A browser that never signed in to the dashboard: the UI asks our codec, is refused, shows no input.
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const no = await other.newPage();
  const noAnswers = watch(no);
  await no.goto(`${server.uiUrl}/namespaces/default/workflows/${run.workflowId}/${run.runId}/history`);
  for (let i = 0; i < 100 && !noAnswers.length; i++) await new Promise((r) => setTimeout(r, 100));
  expect(noAnswers.length).toBeGreaterThan(0);
  expect(noAnswers.every((s) => s === 401)).toBe(true);
  await no.waitForTimeout(1000);
  expect(await no.content()).not.toContain(tenant.kore.botId);
  await other.close();
});
