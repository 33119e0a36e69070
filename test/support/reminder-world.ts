import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { loadConfig, type Config } from '../../src/config';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { registerTenant } from '../../src/people';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { dataConverterFor, workerDataConverter } from '../../src/temporal/codec';
import { tenantFile } from './onboarding';
import { createTimeSkippingEnv } from './test-server';
import { testWorkflowCode } from './workflow-code';

/** A webhook receiver on loopback: what the notify activity posts lands here. */
export async function webhookReceiver() {
  const posts: Array<{ text: string; stepId: string; kind: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      posts.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { posts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * The reminder tests' world: a time-skipping server, the simulators and a state dir, set up in
 * beforeAll and torn down in afterAll of the calling file. `world()` gives what they made.
 */
export function reminderWorld(stateDirPrefix: string) {
  let env: TestWorkflowEnvironment | undefined;
  let sims: Simulators | undefined;
  let stateDir = '';
  beforeAll(async () => {
    env = (await createTimeSkippingEnv(loadConfig({}).temporal, { dataConverter: dataConverterFor(loadConfig()) })).env;
    sims = await startSimulators();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), stateDirPrefix));
  });
  afterAll(async () => {
    await env?.teardown();
    await sims?.stop();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });
  return () => ({ env: env!, sims: sims!, stateDir });
}

/**
 * A worker on `taskQueue` with the real activities, and a tenant (registered in the simulators)
 * whose reminders post to `hookUrl`: 4h, then every day, escalating after 2 days.
 */
export async function reminderRun(w: ReturnType<ReturnType<typeof reminderWorld>>, taskQueue: string, hookUrl: string) {
  const config: Config = loadConfig({ ...process.env, ...w.sims.env, ONBOARD_STATE_DIR: w.stateDir, ONBOARD_ALLOW_LOCAL_WEBHOOKS: 'true' });
  const worker = await Worker.create({
    connection: w.env.nativeConnection,
    taskQueue,
    ...(await testWorkflowCode()),
    dataConverter: workerDataConverter(config),
    activities: createActivities({ config, logger: createLogger({ name: 'reminders' }) }),
  });
  const file = tenantFile({
    contacts: { owner: 'owner@acme.example', notifyWebhookUrl: hookUrl },
    reminders: { firstAfter: '4h', every: '1d', escalateAfter: '2d' },
  });
  const consoles = new SimAdminClient(w.sims.admin);
  await registerTenant(consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  return { config, worker, file, consoles };
}
