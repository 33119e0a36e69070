import { Refused, type Progress, type StepProgress } from '../../src/app';
import type { HumanStepId } from '../../src/domain/steps';
import { publicTenant, workflowIdFor } from '../../src/domain/tenant';
import { doInConsoles, type ConsoleMemory } from '../../src/people';
import { historyJson } from '../support/history';
import { startHarness, type Harness } from '../support/onboarding';
import { testWorkflowCode } from '../support/workflow-code';
import { Worker } from '@temporalio/worker';
import { workerDataConverter } from '../../src/temporal/codec';

/**
 * reopenStep on a real run: a step goes back with every finished step that depends on it (and no
 * other), keeping what it had as `previous`; a human step opens for its person, an automatic one
 * runs again, and the scripted people finish the run. Each refusal is one line naming the step.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const WRONG_DID = '+14155550999';
const byId = (p: Progress) => Object.fromEntries(p.steps.map((s) => [s.id, s])) as Record<string, StepProgress>;

/** Runs `fn`, expecting a refusal that changes nothing in the run. */
async function refusal(tenantId: string, fn: () => Promise<unknown>) {
  const before = await h.progress(tenantId);
  const err = await fn().then(
    () => undefined,
    (e) => e,
  );
  expect(err).toBeInstanceOf(Refused);
  const after = await h.progress(tenantId);
  expect(after.steps.map((s) => [s.id, s.state, s.attempts])).toEqual(before.steps.map((s) => [s.id, s.state, s.attempts]));
  const { code, message, fields } = err as Refused;
  return { code, message, fields };
}

describe('reopenStep', () => {
  it('a mistyped DID: the connector step reopens with its finished dependents only, the SIP-trunk instructions show the right DID, unchanged evidence is taken again, and the run completes', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    // This test's people keep their own console memory, so one of them can type the DID wrong.
    const memory: ConsoleMemory = {};
    const act = async (stepId: HumanStepId, tweak: (e: Record<string, unknown>) => Record<string, unknown> = (e) => e) => {
      await h.until(id, h.stepIs(stepId, 'open'));
      const evidence = tweak(await doInConsoles(stepId, publicTenant(tenant), h.consoles, memory));
      const step = await h.complete(id, stepId, evidence);
      expect([stepId, step.state, step.lastError]).toEqual([stepId, 'done', undefined]);
      return evidence;
    };
    await act('associate-experience-flow');
    const typed = await act('create-zoom-connector', (e) => ({ ...e, did: WRONG_DID }));
    expect((await h.step(id, 'configure-sip-trunk')).instructions).toContain(`DID Number: ${WRONG_DID}`);
    const trunk = await act('configure-sip-trunk');
    const route = await act('route-zcc-flow-to-connector');
    await act('authorize-zoom-connector');
    await act('configure-agent-transfer');
    // enable-chat-history-scope stays open, so publish-app (which depends on the trunk) is still blocked.
    await h.until(id, h.stepIs('sip-preflight', 'done'));

    const answer = await h.onboardings.reopen(id, { stepId: 'create-zoom-connector', reason: 'the DID was mistyped', by: 'sam@acme.example' });
    expect(answer.reopened).toEqual([
      'create-zoom-connector',
      'sip-preflight',
      'configure-sip-trunk',
      'route-zcc-flow-to-connector',
      'authorize-zoom-connector',
    ]);
    expect(answer.step).toMatchObject({
      id: 'create-zoom-connector',
      state: 'open',
      reopened: { by: 'sam@acme.example', reason: 'the DID was mistyped', origin: 'create-zoom-connector', at: expect.any(String) },
      previous: { evidence: typed, completedBy: 'pat@acme.example', completedAt: expect.any(String) },
    });
    expect([answer.step.evidence, answer.step.completedBy]).toEqual([undefined, undefined]);
    expect(answer.run.openSteps).toContain('create-zoom-connector');

    let s = byId(await h.progress(id));
    for (const dep of ['configure-sip-trunk', 'route-zcc-flow-to-connector', 'authorize-zoom-connector'])
      expect([dep, s[dep]!.state, s[dep]!.reopened?.origin, s[dep]!.reopened?.reason]).toEqual([
        dep,
        'blocked',
        'create-zoom-connector',
        'the DID was mistyped',
      ]);
    expect(s['configure-sip-trunk']!.previous?.evidence).toEqual(trunk);
    expect(s['route-zcc-flow-to-connector']!.previous).toMatchObject({ evidence: route, result: { flowId: expect.any(String) } });
    // Not finished, or not a dependent: untouched.
    for (const other of ['publish-app', 'place-test-call', 'enable-chat-history-scope', 'configure-agent-transfer', 'associate-experience-flow'])
      expect([other, s[other]!.reopened, s[other]!.previous]).toEqual([other, undefined, undefined]);
    expect(s['publish-app']!.state).toBe('blocked');
    expect(s['enable-chat-history-scope']!.state).toBe('open');
    expect(s['configure-agent-transfer']!.state).toBe('done');
    // The wrong DID is gone from the instructions until the right one is handed in.
    expect(s['configure-sip-trunk']!.instructions.join('\n')).not.toContain(WRONG_DID);
    expect(s['configure-sip-trunk']!.instructions).toContain('DID Number: <the connector DID from step create-zoom-connector>');

    // The right DID (what the console showed), and the SIP-trunk step opens again showing it.
    const right = (await h.complete(id, 'create-zoom-connector', { ...typed, did: memory.did }, 'sam@acme.example')).state;
    expect(right).toBe('done');
    await h.until(id, h.stepIs('configure-sip-trunk', 'open'));
    s = byId(await h.progress(id));
    expect(s['configure-sip-trunk']!.instructions).toContain(`DID Number: ${memory.did}`);
    expect(s['configure-sip-trunk']!.instructions.join('\n')).not.toContain(WRONG_DID);

    // The previous evidence, handed in unchanged, is taken; a verifier runs again on it.
    expect(await h.complete(id, 'configure-sip-trunk', s['configure-sip-trunk']!.previous!.evidence!)).toMatchObject({ state: 'done', attempts: 2 });
    await h.until(id, h.stepIs('route-zcc-flow-to-connector', 'open'));
    const again = await h.complete(id, 'route-zcc-flow-to-connector', route);
    expect(again).toMatchObject({ state: 'done', attempts: 2, result: { flowId: s['route-zcc-flow-to-connector']!.previous!.result!.flowId } });

    // The scripted people finish the rest (authorize-zoom-connector opens again for them).
    const done = await h.completeAll(tenant, { memory });
    expect(done.steps.filter((x) => x.state !== 'done').map((x) => [x.id, x.state, x.lastError])).toEqual([]);
    expect(done.status).toBe('completed');
    await h.onboardings.result(id);

    // Finished: nothing can go back.
    const r = await refusal(id, () => h.onboardings.reopen(id, { stepId: 'publish-app', reason: 'again', by: 'sam' }));
    expect(r).toMatchObject({
      code: 'RunFinished',
      message: `the onboarding of ${id} is completed; nothing in it can change now (start a new one to redo it)`,
    });

    // A history with a reopen in it replays on this code.
    const errors: string[] = [];
    const history = JSON.parse(historyJson(workflowIdFor(id)));
    for await (const x of Worker.runReplayHistories({ ...(await testWorkflowCode()), dataConverter: workerDataConverter(h.config) }, [
      { workflowId: 'reopen', history },
    ]))
      if (x.error) errors.push(x.error.message);
    expect(errors).toEqual([]);
  });

  it('an automatic step runs again, its finished dependents wait for it and then open again; the scripted people simply do them again', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    await h.until(id, h.stepIs('associate-experience-flow', 'open'));
    await h.act(tenant, 'associate-experience-flow');
    await h.until(id, h.stepIs('create-zoom-connector', 'open'));
    await h.act(tenant, 'create-zoom-connector');
    await h.act(tenant, 'configure-agent-transfer');
    await h.until(id, h.stepIs('configure-sip-trunk', 'open'));
    await h.until(id, h.stepIs('sip-preflight', 'done'));

    const answer = await h.onboardings.reopen(id, { stepId: 'verify-kore-access', reason: 'the JWT app was recreated', by: 'sam' });
    expect(answer.step.state).toBe('running');
    // Finished dependents only: the open ones (the trunk, the scopes) stay open.
    expect(answer.reopened).toEqual(['verify-kore-access', 'associate-experience-flow', 'create-zoom-connector', 'sip-preflight', 'configure-agent-transfer']);
    let p = await h.progress(id);
    expect(byId(p)['configure-sip-trunk']!.state).toBe('open');
    expect(byId(p)['enable-chat-history-scope']!.state).toBe('open');

    p = await h.until(id, (x) => byId(x)['associate-experience-flow']!.state === 'open');
    const s = byId(p);
    expect(s['verify-kore-access']).toMatchObject({ state: 'done', attempts: 2, reopened: { reason: 'the JWT app was recreated' } });
    expect(s['associate-experience-flow']!.previous?.evidence).toEqual({ experienceFlowName: expect.any(String) });
    // It depends on the access checks only, so it is open again already, its old evidence shown.
    expect(s['create-zoom-connector']).toMatchObject({ state: 'open', previous: { evidence: { did: expect.any(String) } } });

    const done = await h.completeAll(tenant);
    expect(done.status).toBe('completed');
    for (const step of answer.reopened) expect([step, byId(done)[step]!.state]).toEqual([step, 'done']);
  });

  it('refusals: unknown step, blank reason, a step not finished, a step or a dependent being verified', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    await h.until(id, h.stepIs('associate-experience-flow', 'open'));
    await h.act(tenant, 'associate-experience-flow');
    await h.until(id, h.stepIs('create-zoom-connector', 'open'));

    const unknown = await refusal(id, () => h.onboardings.reopen(id, { stepId: 'make-coffee', reason: 'x', by: 'sam' }));
    expect(unknown.code).toBe('UnknownStep');
    expect(unknown.message).toMatch(/^unknown step "make-coffee"; the steps are verify-kore-access, /);

    const blank = await refusal(id, () => h.onboardings.reopen(id, { stepId: 'associate-experience-flow', reason: '  ', by: 'sam' }));
    expect(blank).toEqual({ code: 'InvalidInput', message: 'reopenStep: reason is required', fields: [{ field: 'reason', message: 'is required' }] });

    const open = await refusal(id, () => h.onboardings.reopen(id, { stepId: 'create-zoom-connector', reason: 'x', by: 'sam' }));
    expect(open).toMatchObject({ code: 'NotReopenable', message: 'create-zoom-connector is open; only a done or skipped step can be reopened' });

    // A slow Zoom keeps the route step verifying for a few seconds.
    await h.act(tenant, 'create-zoom-connector');
    await h.until(id, h.stepIs('route-zcc-flow-to-connector', 'open'));
    // The SIP preflight runs after the connector step: let it finish, so only the refusals could change the run.
    await h.until(id, h.stepIs('sip-preflight', 'done'));
    await h.consoles.addFault('zoom', { path: '/v2/contact_center/flows', latencyMs: 4_000, count: 1 });
    const verifying = h.act(tenant, 'route-zcc-flow-to-connector');
    await h.until(id, h.stepIs('route-zcc-flow-to-connector', 'verifying'));
    const dependent = await refusal(id, () => h.onboardings.reopen(id, { stepId: 'create-zoom-connector', reason: 'x', by: 'sam' }));
    expect(dependent).toMatchObject({
      code: 'DependentBusy',
      message:
        'route-zcc-flow-to-connector, which depends on create-zoom-connector, is verifying right now; wait for it to finish, then reopen create-zoom-connector',
    });
    const itself = await refusal(id, () => h.onboardings.reopen(id, { stepId: 'route-zcc-flow-to-connector', reason: 'x', by: 'sam' }));
    expect(itself).toMatchObject({ code: 'StepBusy', message: 'route-zcc-flow-to-connector is verifying right now; wait for it to finish, then reopen it' });
    expect((await verifying).state).toBe('done');

    // Skipped counts as finished: it goes back too (and opens for its person again).
    await h.onboardings.skip(id, { stepId: 'configure-agent-transfer', reason: 'later', by: 'sam' });
    const skipped = await h.onboardings.reopen(id, { stepId: 'configure-agent-transfer', reason: 'now it applies', by: 'sam' });
    expect(skipped.step).toMatchObject({ state: 'open', previous: { skipReason: 'later', completedBy: 'sam' } });
    expect(skipped.step.skipReason).toBeUndefined();
    await h.onboardings.cancel(id, { reason: 'test over', by: 'sam' });
  });

  it('a step left open while a step it depends on went back cannot be completed until that one is done again', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    for (const step of ['associate-experience-flow', 'create-zoom-connector'] as const) {
      await h.until(id, h.stepIs(step, 'open'));
      await h.act(tenant, step);
    }
    // authorize-zoom-connector is open (not finished), so it does not go back with the connector step.
    await h.until(id, h.stepIs('authorize-zoom-connector', 'open'));
    await h.until(id, h.stepIs('sip-preflight', 'done'));
    const reopened = await h.onboardings.reopen(id, { stepId: 'create-zoom-connector', reason: 'the DID was mistyped', by: 'sam' });
    expect(reopened.reopened).not.toContain('authorize-zoom-connector');
    const early = await refusal(id, () => h.onboardings.complete(id, { stepId: 'authorize-zoom-connector', evidence: {}, by: 'sam' }));
    expect(early).toMatchObject({
      code: 'StepNotOpen',
      message: 'authorize-zoom-connector waits for create-zoom-connector, which went back to be done again; finish that first',
    });
    await h.act(tenant, 'create-zoom-connector');
    await h.until(id, h.stepIs('create-zoom-connector', 'done'));
    expect((await h.complete(id, 'authorize-zoom-connector', {})).state).toBe('done');
    await h.onboardings.cancel(id, { reason: 'test over', by: 'sam' });
  });
});
