import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { publicTenant } from '../../src/domain/tenant';
import { registerTenant } from '../../src/people';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { onboardLongRunning } from '../support/cli';
import { tenantFile } from '../support/onboarding';

/**
 * Production's shape on one machine: `onboard api` and `onboard worker` as two processes, each with
 * its own state directory (as two containers have), sharing one configured secret store
 * (ONBOARD_SECRET_STORE_DIR, compose's shared volume). A start through the API writes the inline
 * secrets to the store; the worker, which never saw them, reads them there for the vendors' access
 * checks. (With the store under each process's own state dir, as compose had it, the worker found
 * nothing.) Needs `npm run build`.
 */
const TOKEN = 'shared-store-engineer-token-01';
let sims: Simulators;
let root: string;
const dirs = { api: '', worker: '', store: '' };
const stops: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  sims = await startSimulators();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-two-process-'));
  for (const k of Object.keys(dirs) as Array<keyof typeof dirs>) fs.mkdirSync((dirs[k] = path.join(root, k)));
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await sims?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

it('a start through `onboard api` is carried out by `onboard worker` (separate state dirs, one store)', async () => {
  const common = { ...sims.env, ONBOARD_SECRET_STORE_DIR: dirs.store, ONBOARD_TASK_QUEUE: `two-process-${path.basename(root)}` };
  const [worker, api] = await Promise.all([
    onboardLongRunning(['worker', '--json'], { ...common, ONBOARD_STATE_DIR: dirs.worker }),
    onboardLongRunning(['api', '--json', '--port', '0'], {
      ...common,
      ONBOARD_STATE_DIR: dirs.api,
      ONBOARD_API_TOKENS: JSON.stringify([{ name: 'Pat Lee', role: 'engineer', token: TOKEN }]),
    }),
  ]);
  stops.push(worker.stop, api.stop);
  const url: string = api.json.url;
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  };

  const file = tenantFile();
  await registerTenant(new SimAdminClient(sims.admin), publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  expect((await call('POST', '/api/v1/onboardings', file)).status).toBe(201);

  // The secrets are in the shared store, and in neither process's own state dir.
  expect(fs.readdirSync(path.join(dirs.store, file.tenantId)).sort()).toEqual([
    expect.stringMatching(/^kore\.clientSecret\./),
    expect.stringMatching(/^zoom\.clientSecret\./),
  ]);
  for (const own of [dirs.api, dirs.worker]) expect(fs.existsSync(path.join(own, 'secrets'))).toBe(false);

  // The worker resolved both references: both access checks reached the vendors and passed.
  const deadline = Date.now() + 30_000;
  let steps: Array<{ id: string; state: string; lastError?: string }> = [];
  while (Date.now() < deadline) {
    steps = (await call('GET', `/api/v1/onboardings/${file.tenantId}`)).json.steps;
    if (steps.filter((s) => s.id === 'verify-kore-access' || s.id === 'verify-zoom-access').every((s) => s.state === 'done')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(steps.filter((s) => s.id.endsWith('-access') && s.id.startsWith('verify-k')).concat(steps.filter((s) => s.id === 'verify-zoom-access'))).toEqual([
    expect.objectContaining({ id: 'verify-kore-access', state: 'done' }),
    expect.objectContaining({ id: 'verify-zoom-access', state: 'done' }),
  ]);
  // The secrets were used, as Kore.ai's and Zoom's simulators saw them (they check the credentials).
  expect(sims.zoom.calls.timeline().some((c) => c.route === '/oauth/token' && c.status === 200 && c.client === `account:${file.zoom.accountId}`)).toBe(true);
  expect((await call('POST', `/api/v1/onboardings/${file.tenantId}/cancel`, { reason: 'test over' })).status).toBe(200);
});
