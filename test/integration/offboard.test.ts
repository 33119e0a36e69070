import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { OnboardingNotFound, readOffboarding } from '../../src/app';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { createLogger } from '../../src/log';
import { onboard } from '../support/cli';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Offboarding ends a tenant's life here: a running onboarding is cancelled, its stored secrets are
 * deleted, a note says who and why; its progress and sign-off record stay readable.
 */
const ENGINEER = 'engineer-token-offboard-0123456789';
const VIEWER = 'viewer-token-offboard-0123456789';
let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'offboard-test' }),
    tokens: new TokenBook([
      { name: 'Pat Engineer', role: 'engineer', token: ENGINEER },
      { name: 'Val Viewer', role: 'viewer', token: VIEWER },
    ]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const storeOf = (tenantId: string) => path.join(h.stateDir, 'secrets', tenantId);

it('a running onboarding is cancelled, its secrets deleted, and its progress and record stay', async () => {
  const tenant = await h.start();
  await h.until(tenant.tenantId, h.stepIs('associate-experience-flow', 'open'));
  expect(fs.readdirSync(storeOf(tenant.tenantId))).toHaveLength(2);
  const done = await h.onboardings.offboard(tenant.tenantId, { reason: 'contract ended', by: 'sam@acme.example' });
  expect(done).toMatchObject({ tenantId: tenant.tenantId, runStatus: 'cancelled', secretFilesDeleted: 2, by: 'sam@acme.example', reason: 'contract ended' });
  expect(fs.existsSync(storeOf(tenant.tenantId))).toBe(false);
  expect(readOffboarding(h.config.secrets.storeDir, tenant.tenantId)).toEqual(done);
  const p = await h.progress(tenant.tenantId);
  expect(p.status).toBe('cancelled');
  expect(JSON.stringify(p)).toContain('offboarded: contract ended');
  const record = await h.onboardings.record(tenant.tenantId);
  expect(record).toMatchObject({ tenant: { tenantId: tenant.tenantId }, offboarding: done });
  // Again: nothing left to cancel or delete, and it says so.
  expect(await h.onboardings.offboard(tenant.tenantId, { reason: 'again', by: 'sam' })).toMatchObject({ runStatus: 'cancelled', secretFilesDeleted: 0 });
  // Onboarded again later: the new run's record does not carry the old offboarding.
  await h.onboardings.result(tenant.tenantId);
  await h.start(tenantFile({ tenantId: tenant.tenantId }), FAST, false);
  expect((await h.onboardings.record(tenant.tenantId)).offboarding).toBeUndefined();
});

it('a completed onboarding keeps its status; an unknown tenant is not found', async () => {
  const tenant = await h.start();
  expect((await h.completeAll(tenant)).status).toBe('completed');
  expect(await h.onboardings.offboard(tenant.tenantId, { reason: 'moved to another vendor', by: 'sam' })).toMatchObject({
    runStatus: 'completed',
    secretFilesDeleted: 2,
  });
  await expect(h.onboardings.offboard('no-such-tenant', { reason: 'x', by: 'sam' })).rejects.toBeInstanceOf(OnboardingNotFound);
});

it('through the API (engineer; who is the token) and the CLI', async () => {
  const viaApi = await h.start(tenantFile());
  const viewer = await api.inject({
    method: 'POST',
    url: `/api/v1/onboardings/${viaApi.tenantId}/offboard`,
    headers: { authorization: `Bearer ${VIEWER}` },
    payload: { reason: 'x' },
  });
  expect(viewer.statusCode).toBe(403);
  const res = await api.inject({
    method: 'POST',
    url: `/api/v1/onboardings/${viaApi.tenantId}/offboard`,
    headers: { authorization: `Bearer ${ENGINEER}` },
    payload: { reason: 'contract ended' },
  });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ tenantId: viaApi.tenantId, by: 'Pat Engineer', runStatus: 'cancelled', secretFilesDeleted: 2 });
  const blank = await api.inject({
    method: 'POST',
    url: `/api/v1/onboardings/${viaApi.tenantId}/offboard`,
    headers: { authorization: `Bearer ${ENGINEER}` },
    payload: { reason: ' ' },
  });
  expect(blank.statusCode).toBe(400);
  // The run is cancelled with "offboarded: <reason>": a reason that would not fit is refused up front, naming it.
  const long = await api.inject({
    method: 'POST',
    url: `/api/v1/onboardings/${viaApi.tenantId}/offboard`,
    headers: { authorization: `Bearer ${ENGINEER}` },
    payload: { reason: 'x'.repeat(489) },
  });
  expect(long.statusCode).toBe(400);
  expect(long.json().errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);

  const viaCli = await h.start(tenantFile());
  const env = { ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir, ONBOARD_TASK_QUEUE: h.taskQueue };
  const r = await onboard(['offboard', viaCli.tenantId, '--reason', 'pilot over', '--by', 'sam'], env);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe(
    `Offboarded ${viaCli.tenantId}: the onboarding is cancelled; 2 stored secret file(s) deleted. Its history and record stay (onboard export ${viaCli.tenantId}).`,
  );
  const missing = await onboard(['offboard', 'no-such-tenant', '--reason', 'x', '--by', 'sam'], env);
  expect(missing.code).toBe(1);
  expect(missing.stderr.trim()).toBe('onboard: no onboarding for tenant no-such-tenant; start one with `onboard start <tenant.json>`');
});
