import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import type { HumanStepId } from '../../src/domain/steps';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, registerTenant, type ConsoleMemory } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/** Reopen (POST .../steps/{stepId}/reopen) and amend (PATCH .../tenant) over HTTP: who is the token's person, refusals as problem+json. */
const ENGINEER = 'engineer-token-0123456789abcdef';
const VIEWER = 'viewer-token-0123456789abcdef';

let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  h = await startHarness();
  const tokens = new TokenBook([
    { name: 'Pat Engineer', role: 'engineer', token: ENGINEER },
    { name: 'Val Viewer', role: 'viewer', token: VIEWER },
  ]);
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'api-test' }),
    tokens,
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, token = ENGINEER) =>
  api.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { payload: body as object } : {}) });

async function waitFor(tenantId: string, pred: (p: any) => boolean) {
  let p: any;
  for (let i = 0; i < 200; i++) {
    p = (await call('GET', `/api/v1/onboardings/${tenantId}`)).json();
    if (pred(p)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out; steps: ${JSON.stringify(p?.steps?.map((s: any) => [s.id, s.state, s.lastError]))}`);
}
const stateOf = (p: any, id: string) => p.steps.find((s: any) => s.id === id).state;

/** A tenant started over HTTP with associate-experience-flow and configure-agent-transfer done through it. */
async function startTenant() {
  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  expect((await call('POST', '/api/v1/onboardings', file)).statusCode).toBe(201);
  const memory: ConsoleMemory = {};
  for (const step of ['associate-experience-flow', 'configure-agent-transfer'] as HumanStepId[]) {
    await waitFor(file.tenantId, (p) => stateOf(p, step) === 'open');
    const evidence = await doInConsoles(step, publicTenant(file), h.consoles, memory);
    expect((await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/${step}/complete`, { evidence })).statusCode).toBe(200);
  }
  return file;
}

describe('HTTP reopen and amend', () => {
  it("POST .../reopen sends the step back with its finished dependents; by is the token's person; refusals are problem+json", async () => {
    const { tenantId } = await startTenant();
    const url = (step: string) => `/api/v1/onboardings/${tenantId}/steps/${step}/reopen`;
    const res = await call('POST', url('associate-experience-flow'), { reason: 'wrong flow attached' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.reopened).toEqual(['associate-experience-flow', 'configure-agent-transfer']);
    expect(body.step).toMatchObject({
      state: 'open',
      reopened: { by: 'Pat Engineer', reason: 'wrong flow attached' },
      previous: { evidence: { experienceFlowName: expect.any(String) } },
    });
    expect(stateOf(body.progress, 'configure-agent-transfer')).toBe('blocked');

    expect((await call('POST', url('associate-experience-flow'), { reason: 'x' }, VIEWER)).statusCode).toBe(403);
    expect((await call('POST', url('associate-experience-flow'), { reason: ' ' })).json()).toMatchObject({
      status: 400,
      code: 'InvalidInput',
      errors: [{ field: 'body.reason', message: 'is required' }],
    });
    expect((await call('POST', url('associate-experience-flow'), { reason: 'x', by: 'someone else' })).json()).toMatchObject({
      status: 400,
      code: 'InvalidInput',
    });
    expect((await call('POST', url('make-coffee'), { reason: 'x' })).json()).toMatchObject({ status: 404, code: 'UnknownStep' });
    expect((await call('POST', url('associate-experience-flow'), { reason: 'x' })).json()).toMatchObject({
      status: 409,
      code: 'NotReopenable',
      detail: 'associate-experience-flow is open; only a done or skipped step can be reopened',
    });
    await call('POST', `/api/v1/onboardings/${tenantId}/cancel`, { reason: 'test over' });
    expect((await call('POST', url('verify-kore-access'), { reason: 'x' })).json()).toMatchObject({ status: 409, code: 'RunFinished' });
  });

  it('PATCH .../tenant amends the tenant; inline secrets go to the store; refusals name the field', async () => {
    const { tenantId } = await startTenant();
    const url = `/api/v1/onboardings/${tenantId}/tenant`;
    const res = await call('PATCH', url, { changes: { agentTransfer: { option: 'dialog-task' } }, reason: 'the customer chose a dialog task' });
    expect(res.statusCode).toBe(200);
    expect(res.json().reopened).toEqual(['configure-agent-transfer']);
    expect(res.json().progress.amendments).toEqual([
      expect.objectContaining({ by: 'Pat Engineer', fields: ['agentTransfer.option'], reopened: ['configure-agent-transfer'] }),
    ]);

    expect((await call('PATCH', url, { changes: { agentTransfer: { option: 'pigeon' } }, reason: 'x' })).json()).toMatchObject({
      status: 422,
      code: 'InvalidTenant',
      detail: 'amendTenant: changes.agentTransfer.option must be agent-transfer-node or dialog-task',
      errors: [{ field: 'changes.agentTransfer.option', message: 'must be agent-transfer-node or dialog-task' }],
    });
    expect((await call('PATCH', url, { changes: { tenantId: 'another-one' }, reason: 'x' })).json()).toMatchObject({ status: 409, code: 'TenantFieldLocked' });
    expect((await call('PATCH', url, { changes: { zoom: { clientSecret: 'env:ZOOM_SECRET' } }, reason: 'x' })).json()).toMatchObject({
      status: 400,
      errors: [{ field: 'body.changes.zoom.clientSecret', message: expect.stringMatching(/^must be the secret itself, or a store: reference/) }],
    });
    expect((await call('PATCH', url, { changes: {}, reason: 'x' })).json()).toMatchObject({ status: 400, errors: [{ field: 'body.changes' }] });
    expect((await call('PATCH', url, { changes: { displayName: 'A' }, reason: 'x' }, VIEWER)).statusCode).toBe(403);

    // An inline secret: stored (0600), and the run holds its reference.
    const storeDir = path.join(h.stateDir, 'secrets', tenantId);
    const before = fs.readdirSync(storeDir);
    const secret = await call('PATCH', url, { changes: { zoom: { clientSecret: 'zoom-SECRET-4e8b2a6c1d9f3e70' } }, reason: 'rotated' });
    expect(secret.statusCode).toBe(200);
    expect(secret.body).not.toContain('zoom-SECRET');
    expect(fs.readdirSync(storeDir).filter((f) => !before.includes(f))).toEqual([expect.stringMatching(/^zoom\.clientSecret\./)]);
    await call('POST', `/api/v1/onboardings/${tenantId}/cancel`, { reason: 'test over' });
  });

  it('both operations are in the OpenAPI document, which stays valid', async () => {
    const doc = (await api.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect((await new Validator().validate(doc)).valid).toBe(true);
    expect(doc.paths['/api/v1/onboardings/{tenantId}/steps/{stepId}/reopen'].post['x-required-role']).toBe('engineer');
    expect(doc.paths['/api/v1/onboardings/{tenantId}/tenant'].patch.requestBody.content['application/json'].schema.required).toEqual(['changes', 'reason']);
  });
});
