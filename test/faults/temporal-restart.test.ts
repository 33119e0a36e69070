import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import type { Progress } from '../../src/app';
import type { HumanStepId } from '../../src/domain/steps';
import type { TenantInput } from '../../src/domain/tenant';
import { freePort, startDevServer, type DevServer } from '../../src/local-temporal/server';
import { startHarness, type Harness } from '../support/onboarding';
import { TEST_STATE_DIR } from '../support/paths';
import { recordResult, sleep } from './support';

/**
 * The Temporal server goes away and comes back (same address, same SQLite file) while onboardings
 * wait on people. Every run is still there with the same progress, the worker that was running
 * before rides out the outage (its polls fail and are retried), and the runs complete.
 */
const TENANTS = 5;
const OUTAGE_MS = 4000;
const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-temporal-db-'));
const temporal = loadConfig({ ...process.env, TEMPORAL_ADDRESS: undefined }).temporal;
let port: number;
let server: DevServer | undefined;
let h: Harness;

const serve = () =>
  startDevServer({
    temporal,
    port,
    uiPort: false,
    dbFilename: path.join(dbDir, 'temporal.db'),
    logFile: path.join(TEST_STATE_DIR, 'temporal-restart-server.log'),
  });

beforeAll(async () => {
  port = await freePort(temporal.ip);
  server = await serve();
  h = await startHarness({ env: { TEMPORAL_ADDRESS: server.address } });
});
afterAll(async () => {
  await h?.stop();
  await server?.stop();
  fs.rmSync(dbDir, { recursive: true, force: true });
});

/** What a person sees, all of it (`updatedAt` is the time of the last change, so it must hold too). */
const comparable = (p: Progress) => p;
const humanTurn = (p: Progress) => p.steps.some((s) => s.state === 'open') && !p.steps.some((s) => s.state === 'running' || s.state === 'verifying');

it('onboardings waiting on people keep their progress across a Temporal server restart, and complete', async () => {
  const started = Date.now();
  // Each run a different distance along: tenant i has had i human steps done.
  const order: HumanStepId[] = ['associate-experience-flow', 'create-zoom-connector', 'enable-chat-history-scope', 'accept-genai-policy'];
  const tenants: TenantInput[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const tenant = await h.start(undefined, { summaryPollInterval: '1s', summaryWaitLimit: '2m' });
    tenants.push(tenant);
    for (const stepId of order.slice(0, i)) {
      await h.until(tenant.tenantId, h.stepIs(stepId, 'open'));
      await h.act(tenant, stepId);
    }
  }
  const before = await Promise.all(tenants.map((t) => h.until(t.tenantId, humanTurn)));

  let workerEnded: string | undefined;
  void h.running!.then(
    () => (workerEnded = 'stopped'),
    (err: Error) => (workerEnded = `failed: ${err.message}`),
  );
  const stopAt = Date.now();
  await server!.stop();
  server = undefined;
  await sleep(OUTAGE_MS);
  const workerStateInOutage = h.worker!.getState();
  server = await serve();
  const downMs = Date.now() - stopAt;

  const after = await Promise.all(tenants.map((t) => h.progress(t.tenantId)));
  const changed = after.filter((p, i) => JSON.stringify(comparable(p)) !== JSON.stringify(comparable(before[i]!))).length;
  const finals = await Promise.all(tenants.map((t) => h.completeAll(t)));
  const results = await Promise.all(tenants.map((t) => h.onboardings.result(t.tenantId)));
  const completed = results.filter((r) => r.status === 'completed').length;

  recordResult('temporal-restart', {
    onboardings: TENANTS,
    humanStepsDoneBeforeRestart: before.reduce((n, p) => n + p.steps.filter((s) => s.kind === 'human' && s.state === 'done').length, 0),
    progressChanged: changed,
    completed,
    lost: TENANTS - completed,
    workerStateInOutage,
    workerSurvived: workerEnded === undefined,
    serverDownSeconds: downMs / 1000,
    seconds: (Date.now() - started) / 1000,
  });

  for (let i = 0; i < TENANTS; i++) expect(comparable(after[i]!)).toEqual(comparable(before[i]!));
  // The worker from before the outage served every run to the end; no new one was needed.
  expect(workerEnded).toBeUndefined();
  expect(h.worker!.getState()).toBe('RUNNING');
  expect(finals.map((p) => p.status)).toEqual(tenants.map(() => 'completed'));
  expect(completed).toBe(TENANTS);
}, 180_000);
