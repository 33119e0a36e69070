import fs from 'node:fs';
import path from 'node:path';
import { parseTenantFile, publicTenant } from '../../src/domain/tenant';
import { CarriedState } from '../../workflows/contract';
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
    expect(state.ready().map((s) => s.id)).toEqual(['verify-zoom-access', 'associate-experience-flow', 'enable-chat-history-scope', 'accept-genai-policy']);
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
      // The open step waits for its person since it opened.
      oldestWaitSince: p.steps.find((s) => s.id === 'associate-experience-flow')!.openedAt,
      updatedAt: p.updatedAt,
      cancelReason: undefined,
    });
  });

  it('reopen: finished steps go back to blocked, each keeping what it had as previous (redacted in progress), with who and why', () => {
    state.markDone('verify-kore-access', { result: { ok: 1 }, by: AUTOMATION });
    state.markDone('verify-zoom-access', { by: AUTOMATION });
    state.open('associate-experience-flow');
    state.claim('associate-experience-flow', { experienceFlowName: 'Voice' }, 'pat');
    state.markDone('associate-experience-flow');
    state.open('create-zoom-connector');
    state.claim('create-zoom-connector', { connectorName: 'c', domain: 'x1.zoomcc.example.com', did: '+14155550142', token: 't' } as never, 'pat');
    state.markDone('create-zoom-connector');
    state.skip('configure-agent-transfer', 'later', 'ops');
    const v0 = state.version;
    state.reopen(['create-zoom-connector', 'configure-agent-transfer'], { by: 'sam', reason: 'wrong DID', origin: 'create-zoom-connector' });
    expect(state.version).toBe(v0 + 1);
    expect(state.step('create-zoom-connector')).toMatchObject({
      state: 'blocked',
      evidence: undefined,
      completedBy: undefined,
      completedAt: undefined,
      previous: { evidence: { did: '+14155550142' }, completedBy: 'pat', completedAt: expect.any(String) },
      reopened: { by: 'sam', reason: 'wrong DID', origin: 'create-zoom-connector', at: expect.any(String) },
    });
    expect(state.step('configure-agent-transfer')).toMatchObject({
      state: 'blocked',
      skipReason: undefined,
      previous: { skipReason: 'later', completedBy: 'ops' },
    });
    // Instructions read current evidence only: the old DID is gone from them until it is handed in again.
    expect(state.evidenceByStep()).toEqual({ 'associate-experience-flow': { experienceFlowName: 'Voice' } });
    // Both depend on finished steps only, so the runner starts them again at once.
    expect(state.ready().map((s) => s.id)).toEqual(expect.arrayContaining(['create-zoom-connector', 'configure-agent-transfer']));
    const shown = state.progress().steps.find((s) => s.id === 'create-zoom-connector')!;
    expect(shown.previous?.evidence).toMatchObject({ did: '+14155550142', token: '[redacted]' });
    expect(shown.reopened).toMatchObject({ by: 'sam', reason: 'wrong DID' });
    // Handed in again: done, the reason kept.
    state.open('create-zoom-connector');
    state.claim('create-zoom-connector', { connectorName: 'c', domain: 'x1.zoomcc.example.com', did: '+14155550199' }, 'pat');
    state.markDone('create-zoom-connector');
    expect(state.evidenceByStep()['create-zoom-connector']).toMatchObject({ did: '+14155550199' });
    expect(state.step('create-zoom-connector').reopened?.reason).toBe('wrong DID');
  });

  it('amendTenant: the tenant changes, the amendment is kept with its fields, and the steps named go back', () => {
    state.open('configure-agent-transfer');
    state.claim('configure-agent-transfer', { option: 'agent-transfer-node' }, 'pat');
    state.markDone('configure-agent-transfer');
    const amended = { ...tenant, agentTransfer: { ...tenant.agentTransfer, option: 'dialog-task' as const } };
    state.amendTenant(amended, { by: 'sam', reason: 'customer chose B', fields: ['agentTransfer.option'], reopened: ['configure-agent-transfer'] });
    expect(state.tenant.agentTransfer.option).toBe('dialog-task');
    expect(state.step('configure-agent-transfer')).toMatchObject({
      state: 'blocked',
      reopened: { origin: 'amendTenant (agentTransfer.option)', reason: 'customer chose B' },
    });
    expect(state.progress().amendments).toEqual([
      { at: expect.any(String), by: 'sam', reason: 'customer chose B', fields: ['agentTransfer.option'], reopened: ['configure-agent-transfer'] },
    ]);
    expect(state.instructionContext().tenant.agentTransfer.option).toBe('dialog-task');
  });

  it('progress is rebuilt only after a change', () => {
    const a = state.progress();
    expect(state.progress()).toBe(a);
    state.open('associate-experience-flow');
    expect(state.progress()).not.toBe(a);
  });
});

describe('continue-as-new: the snapshot a run carries to the next', () => {
  it('restores to the same progress, bounded, through the zod schema the next run validates it with', () => {
    state.markRunning('verify-kore-access');
    state.markDone('verify-kore-access', { result: { ok: 1 }, by: AUTOMATION });
    state.open('associate-experience-flow');
    state.claim('associate-experience-flow', { experienceFlowName: 'Main' }, 'pat');
    state.markDone('associate-experience-flow');
    state.reopen(['associate-experience-flow'], { by: 'pat', reason: 'typo', origin: 'associate-experience-flow' });
    state.open('associate-experience-flow');
    state.remind('associate-experience-flow');
    state.escalate('associate-experience-flow');
    for (let i = 0; i < 30; i++) {
      state.recordRejection({ at: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`, stepId: 'x', by: 'pat', via: 'signal', message: `no ${i}` });
      state.audit({ action: 'complete', outcome: 'refused', channel: 'update', by: 'pat', byVerified: false, updateId: `u-${i}`, code: 'InvalidEvidence' });
      state.answers.set(`a-${i}`, { n: i });
    }
    for (let i = 0; i < 60; i++) state.answers.set(`b-${i}`, { n: i });
    const before = state.progress();
    const carried = CarriedState.parse(JSON.parse(JSON.stringify(state.snapshot({ 'associate-experience-flow': { opening: 2, since: 1, nextReminder: 7 } }))));
    expect(carried.run).toBe(2);
    expect(carried.audit.count).toBe(30);
    expect(carried.audit.tail.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 11 + i));
    expect(carried.answers.map(([id]) => id)).toEqual(Array.from({ length: 50 }, (_, i) => `b-${i + 10}`));
    expect(carried.rejections).toHaveLength(20);

    const next = new OnboardingState(tenant, '2026-02-01T00:00:00.000Z');
    next.restore(carried);
    expect(next.progress()).toEqual(JSON.parse(JSON.stringify(before)));
    expect(next.answers.get('b-59')).toEqual({ n: 59 });
    // The seq goes on from the chain's count, and a refusal already recorded for an Update id is not recorded again.
    next.audit({ action: 'complete', outcome: 'refused', channel: 'update', by: 'pat', byVerified: false, updateId: 'u-29', code: 'InvalidEvidence' });
    expect(next.auditCount).toBe(30);
    next.audit({ action: 'retry', outcome: 'accepted', channel: 'update', by: 'pat', byVerified: false });
    expect(next.progress().audit).toMatchObject({ count: 31, tail: expect.arrayContaining([expect.objectContaining({ seq: 31, action: 'retry' })]) });
  });

  it('refuses a snapshot that does not fit its schema', () => {
    const carried = JSON.parse(JSON.stringify(state.snapshot({})));
    carried.steps['verify-kore-access'].state = 'finished-ish';
    expect(CarriedState.safeParse(carried).success).toBe(false);
    expect(
      CarriedState.safeParse({ ...JSON.parse(JSON.stringify(state.snapshot({}))), answers: Array.from({ length: 51 }, (_, i) => [`u${i}`, {}]) }).success,
    ).toBe(false);
  });
});
