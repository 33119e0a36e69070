import fs from 'node:fs';
import path from 'node:path';
import { parseTenantFile, publicTenant } from '../../src/domain/tenant';
import { OnboardingState, AUTOMATION } from '../../workflows/state';

/** The run's state machine without a server: each named transition, and what progress then shows. */
const tenant = publicTenant(parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8'))));
let state: OnboardingState;
beforeEach(() => {
  state = new OnboardingState(tenant, '2026-01-01T00:00:00.000Z');
});
const stateOf = (id: Parameters<OnboardingState['step']>[0]) => state.step(id).state;

describe('OnboardingState transitions', () => {
  it('starts with every step blocked and the access checks ready', () => {
    expect(state.steps.every((s) => stateOf(s.id as never) === 'blocked')).toBe(true);
    expect(state.ready().map((s) => s.id)).toEqual(['verify-kore-access', 'verify-zoom-access']);
    expect(state.status()).toBe('running');
  });

  it('an automatic step: running, waiting on the world, done by the automation (its wait message cleared)', () => {
    const v0 = state.version;
    state.markRunning('verify-kore-access');
    expect(state.step('verify-kore-access')).toMatchObject({ state: 'running', attempts: 1 });
    state.stillWaiting('verify-kore-access', 'not yet');
    expect(state.step('verify-kore-access').lastError).toBe('not yet');
    state.markDone('verify-kore-access', { result: { ok: 1 }, by: AUTOMATION });
    expect(state.step('verify-kore-access')).toMatchObject({ state: 'done', result: { ok: 1 }, completedBy: AUTOMATION, lastError: undefined });
    expect(state.version).toBe(v0 + 3);
    expect(state.ready().map((s) => s.id)).toEqual([
      'verify-zoom-access',
      'associate-experience-flow',
      'enable-chat-history-scope',
      'enable-conversation-summary',
    ]);
  });

  it('a human step: open (each opening counted), claimed, verifying, rejected back to open with the finding, then done', () => {
    expect(state.open('associate-experience-flow')).toBe(1);
    expect(state.status()).toBe('waiting-for-human');
    state.claim('associate-experience-flow', { experienceFlowName: 'Voice' }, 'pat');
    state.markVerifying('associate-experience-flow');
    expect(state.status()).toBe('running');
    state.rejectClaim('associate-experience-flow', 'no such flow');
    expect(state.step('associate-experience-flow')).toMatchObject({ state: 'open', lastError: 'no such flow', completedBy: undefined, attempts: 1 });
    expect(state.evidenceByStep()).toEqual({});
    state.claim('associate-experience-flow', { experienceFlowName: 'Voice' }, 'pat');
    state.markDone('associate-experience-flow');
    expect(state.step('associate-experience-flow')).toMatchObject({ state: 'done', completedBy: 'pat', attempts: 2, lastError: undefined });
    expect(state.evidenceByStep()).toEqual({ 'associate-experience-flow': { experienceFlowName: 'Voice' } });
  });

  it('needs attention, then open again on retry (the reminder loop of the old opening is stale)', () => {
    const first = state.open('create-zoom-connector');
    state.needsAttention('create-zoom-connector', 'Kore.ai refused');
    expect(state.status()).toBe('needs-attention');
    expect(state.step('create-zoom-connector').completedBy).toBeUndefined();
    expect(state.open('create-zoom-connector')).toBe(first + 1);
  });

  it('reminders and escalation: waiting-for-human, escalated status, counted', () => {
    state.open('publish-app');
    state.remind('publish-app');
    state.remind('publish-app');
    expect(state.step('publish-app')).toMatchObject({ state: 'waiting-for-human', reminders: 2, escalated: false });
    state.escalate('publish-app');
    expect(state.status()).toBe('escalated');
  });

  it('skip and cancel; a refused signal is recorded (the last 20 shown)', () => {
    state.skip('enable-conversation-summary', 'not licensed', 'ops');
    expect(state.step('enable-conversation-summary')).toMatchObject({ state: 'skipped', skipReason: 'not licensed', completedBy: 'ops' });
    expect(state.skipped()).toEqual(['enable-conversation-summary']);
    for (let i = 0; i < 25; i++) state.recordRejection({ at: 't', stepId: 's', by: 'b', via: 'signal', message: `m${i}` });
    expect(state.progress().rejections.map((r) => r.message)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i + 5}`));
    state.cancel('customer left', 'ops');
    expect(state.summary()).toMatchObject({ status: 'cancelled', cancelReason: 'customer left' });
  });

  it('the summary every Update answers agrees with the progress document', () => {
    state.markRunning('verify-kore-access');
    state.open('associate-experience-flow');
    const p = state.progress();
    expect(state.summary()).toEqual({
      tenantId: p.tenantId,
      displayName: p.displayName,
      status: p.status,
      percent: p.percent,
      openSteps: ['verify-kore-access', 'associate-experience-flow'],
      waitingOnHuman: true,
      updatedAt: p.updatedAt,
      cancelReason: undefined,
    });
  });

  it('progress is rebuilt only after a change', () => {
    const a = state.progress();
    expect(state.progress()).toBe(a);
    state.open('associate-experience-flow');
    expect(state.progress()).not.toBe(a);
  });
});
