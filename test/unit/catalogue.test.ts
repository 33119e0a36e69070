import fs from 'node:fs';
import path from 'node:path';
import { catalogue, CATALOGUES, CURRENT_CATALOGUE_VERSION, dialogTaskScript, STEPS, STEP_IDS, type InstructionContext } from '../../src/domain/steps';
import { parseTenantFile, publicTenant } from '../../src/domain/tenant';
import { Refusal } from '../../workflows/contract';
import { OnboardingState } from '../../workflows/state';
import { validateComplete, validateRetry } from '../../workflows/validators';

const example = parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8')));
const tenant = publicTenant(example);
const ctx = (patch: Partial<typeof tenant> = {}, evidence: InstructionContext['evidence'] = {}): InstructionContext => ({
  tenant: { ...tenant, ...patch },
  evidence,
});
const step = (id: string) => {
  const s = catalogue().get(id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};

describe('the step catalogue', () => {
  it("is a DAG in the guide's order: every dependency comes earlier", () => {
    expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
    STEPS.forEach((s, i) => s.dependsOn.forEach((d) => expect((STEP_IDS as readonly string[]).indexOf(d)).toBeLessThan(i)));
  });

  it('human steps have an evidence schema; automatic ones an activity', () => {
    for (const s of STEPS) {
      if (s.kind === 'human') expect(s.evidence).toBeDefined();
      else expect(s.activity).toMatch(/^[a-z][A-Za-z]+$/);
    }
  });

  it('no instructions ever show a secret, whatever the step', () => {
    const all = STEPS.flatMap((s) => s.instructions(ctx())).join('\n');
    expect(all).not.toContain(example.kore.clientSecret);
    expect(all).toContain(example.kore.botId);
    expect(all).toContain('https://platform.kore.ai');
  });

  it("the connector step names the region's base URL; the experience flow step speaks SmartAssist when asked", () => {
    const connector = step('create-zoom-connector');
    expect(connector.instructions(ctx({ kore: { ...tenant.kore, region: 'jp' } })).join('\n')).toContain('https://jp-platform.kore.ai');
    const flow = step('associate-experience-flow');
    expect(flow.instructions(ctx()).join('\n')).toContain('Experience Flows');
    expect(flow.instructions(ctx({ kore: { ...tenant.kore, smartAssistLegacy: true } })).join('\n')).toContain('SmartAssist');
  });

  it('the SIP trunk step shows placeholders until the connector hands over its domain and DID', () => {
    const sip = step('configure-sip-trunk');
    expect(sip.instructions(ctx()).join('\n')).toContain('<the connector Domain from step create-zoom-connector>');
    const filled = sip
      .instructions(ctx({}, { 'create-zoom-connector': { connectorName: 'c', domain: 'x1.zoomcc.example.com', did: '+14155550142' } }))
      .join('\n');
    expect(filled).toContain('Fully Qualified Domain Name: x1.zoomcc.example.com');
    expect(filled).toContain('DID Number: +14155550142');
    expect(filled).toContain('DNS Resolve Method: srv; SIP Transport Type: TLS; enable Pad Crypto');
  });

  it("agent transfer: option B carries a Message-node script with the tenant's headers; both show the header contract", () => {
    const at = step('configure-agent-transfer');
    const b = at.instructions(ctx({ agentTransfer: { ...tenant.agentTransfer, option: 'dialog-task' } })).join('\n');
    expect(b).toContain('voiceUtils.hangup(');
    expect(b).toContain('"X-Acme-Queue":"voice-support"');
    expect(b).toContain('"kore-reason":"TransferToAgent"');
    const a = at.instructions(ctx()).join('\n');
    for (const text of [b, a]) {
      expect(text).toContain('kore-session_id and kore-bot_id');
      expect(text).toContain('kore-reason: HangUp');
      expect(text).toContain('kore-reason: TransferToAgent');
    }
    expect(dialogTaskScript(ctx()).split('\n')).toHaveLength(4);
  });
});

describe('catalogue versions', () => {
  it('new runs get the current version; a run keeps the catalogue of the version it recorded', () => {
    expect(catalogue().version).toBe(CURRENT_CATALOGUE_VERSION);
    expect(catalogue(CURRENT_CATALOGUE_VERSION).ids).toEqual(STEP_IDS);
    const v1 = new OnboardingState(tenant, '2026-01-01T00:00:00Z', catalogue(1));
    expect(v1.progress().steps.map((s) => s.id)).toEqual(CATALOGUES[1].map((s) => s.id));
    expect(v1.progress().steps).toHaveLength(13);
  });

  it('version 2 checks the Chat History mapping after the publish that puts it into effect; version 1 keeps its check before it', () => {
    const v2 = catalogue(2);
    const ids = [...v2.ids];
    expect(ids.indexOf('verify-chat-history-access')).toBe(ids.indexOf('publish-app') + 1);
    expect(v2.get('verify-chat-history-access')?.dependsOn).toEqual(['publish-app', 'enable-chat-history-scope']);
    const mapping2 = v2.get('enable-chat-history-scope');
    const mapping1 = catalogue(1).get('enable-chat-history-scope');
    expect(mapping2?.kind === 'human' && mapping2.verifier).toBeFalsy();
    expect(mapping1?.kind === 'human' && mapping1.verifier?.activity).toBe('verifyChatHistoryScope');
    expect(catalogue(1).has('verify-chat-history-access')).toBe(false);
  });

  it('version 3 opens the test call only once the scopes its verifier reads with are confirmed; versions 1 and 2 opened it after the publish', () => {
    expect(catalogue(3).get('place-test-call')?.dependsOn).toContain('verify-chat-history-access');
    for (const v of [1, 2] as const) expect(catalogue(v).get('place-test-call')?.dependsOn).not.toContain('verify-chat-history-access');
    expect(catalogue(3).ids).toEqual(catalogue(2).ids);
  });

  it('a version this code does not know is refused by name (the run waits for a worker that knows it)', () => {
    expect(() => catalogue(99)).toThrow('step catalogue version 99 is unknown to this code (known: 1, 2, 3, 4); deploy the code that has it');
  });

  it('ids are unique and every step file names its activity or evidence', () => {
    for (const version of Object.keys(CATALOGUES).map(Number)) {
      const ids = catalogue(version).ids;
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});

describe('the completeStep rules, without a server', () => {
  it('a step needing attention cannot be retried while a step it depends on went back (it would run without its input)', () => {
    const state = new OnboardingState(tenant, '2026-01-01T00:00:00Z');
    for (const id of ['verify-kore-access', 'verify-zoom-access'] as const) state.markDone(id);
    state.open('create-zoom-connector');
    state.markDone('create-zoom-connector', { by: 'pat' });
    state.markRunning('route-zcc-flow-to-connector');
    state.needsAttention('route-zcc-flow-to-connector', 'Zoom refused');
    state.reopen(['create-zoom-connector'], { by: 'sam', reason: 'wrong DID', origin: 'create-zoom-connector' });
    let refusal: unknown;
    try {
      validateRetry(state, { stepId: 'route-zcc-flow-to-connector', by: 'pat' });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(Refusal);
    expect((refusal as Refusal).message).toBe(
      'route-zcc-flow-to-connector waits for create-zoom-connector, which went back to be done again; finish that first',
    );
    state.open('create-zoom-connector');
    state.markDone('create-zoom-connector', { by: 'sam' });
    expect(validateRetry(state, { stepId: 'route-zcc-flow-to-connector', by: 'pat' }).def.id).toBe('route-zcc-flow-to-connector');
  });

  it('evidence is trimmed and accepted; a blocked step names what it waits for', () => {
    const state = new OnboardingState(tenant, '2026-01-01T00:00:00Z');
    state.open('associate-experience-flow');
    const ok = validateComplete(state, { stepId: 'associate-experience-flow', evidence: { experienceFlowName: '  Voice  ' }, by: 'pat' });
    expect(ok.evidence).toEqual({ experienceFlowName: 'Voice' });
    expect(() => validateComplete(state, { stepId: 'create-zoom-connector', evidence: {}, by: 'pat' })).toThrow(
      new Refusal('StepNotOpen', 'create-zoom-connector is not open yet: it waits for verify-zoom-access, verify-kore-access'),
    );
  });

  it('a cross-check names the field and what to do, in the message and the field list', () => {
    const state = new OnboardingState(tenant, '2026-01-01T00:00:00Z');
    state.open('associate-experience-flow');
    state.claim('associate-experience-flow', { experienceFlowName: 'Voice' }, 'pat');
    state.markDone('associate-experience-flow');
    state.open('configure-sip-trunk');
    try {
      validateComplete(state, { stepId: 'configure-sip-trunk', evidence: { sipUri: 'sip:a@b.example.com', attachedFlowName: 'Other' }, by: 'pat' });
      throw new Error('not refused');
    } catch (err) {
      expect(err).toBeInstanceOf(Refusal);
      const r = err as Refusal;
      expect(r.code).toBe('EvidenceMismatch');
      expect(r.message).toBe(
        'configure-sip-trunk: evidence.attachedFlowName "Other" is not the flow named in associate-experience-flow ("Voice"); attach that flow',
      );
      expect(r.fields).toEqual([
        { field: 'evidence.attachedFlowName', message: '"Other" is not the flow named in associate-experience-flow ("Voice"); attach that flow' },
      ]);
    }
  });
});
