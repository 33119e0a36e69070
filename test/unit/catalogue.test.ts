import fs from 'node:fs';
import path from 'node:path';
import { dialogTaskScript, type InstructionContext } from '../../src/domain/instructions';
import { STEPS, STEP_IDS } from '../../src/domain/steps';
import { parseTenantFile, publicTenant } from '../../src/domain/tenant';
import { OnboardingState } from '../../workflows/state';
import { validateComplete, Refusal } from '../../workflows/validators';

const example = parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8')));
const tenant = publicTenant(example);
const ctx = (patch: Partial<typeof tenant> = {}, evidence: InstructionContext['evidence'] = {}): InstructionContext => ({ tenant: { ...tenant, ...patch }, evidence });

describe('the step catalogue', () => {
  it('is a DAG in the guide\'s order: every dependency comes earlier', () => {
    expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
    STEPS.forEach((s, i) => s.dependsOn.forEach((d) => expect(STEP_IDS.indexOf(d)).toBeLessThan(i)));
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

  it('the connector step names the region\'s base URL; the experience flow step speaks SmartAssist when asked', () => {
    const connector = STEPS.find((s) => s.id === 'create-zoom-connector')!;
    expect(connector.instructions(ctx({ kore: { ...tenant.kore, region: 'jp' } })).join('\n')).toContain('https://jp-platform.kore.ai');
    const flow = STEPS.find((s) => s.id === 'associate-experience-flow')!;
    expect(flow.instructions(ctx()).join('\n')).toContain('Experience Flows');
    expect(flow.instructions(ctx({ kore: { ...tenant.kore, smartAssistLegacy: true } })).join('\n')).toContain('SmartAssist');
  });

  it('the SIP trunk step shows placeholders until the connector hands over its domain and DID', () => {
    const sip = STEPS.find((s) => s.id === 'configure-sip-trunk')!;
    expect(sip.instructions(ctx()).join('\n')).toContain('<the connector Domain from step create-zoom-connector>');
    const filled = sip.instructions(ctx({}, { 'create-zoom-connector': { connectorName: 'c', domain: 'x1.zoomcc.example.com', did: '+14155550142' } })).join('\n');
    expect(filled).toContain('Fully Qualified Domain Name: x1.zoomcc.example.com');
    expect(filled).toContain('DID Number: +14155550142');
    expect(filled).toContain('DNS Resolve Method: srv; SIP Transport Type: TLS; enable Pad Crypto');
  });

  it('agent transfer: option B carries a Message-node script with the tenant\'s headers; both show the header contract', () => {
    const at = STEPS.find((s) => s.id === 'configure-agent-transfer')!;
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

describe('the completeStep rules, without a server', () => {
  it('evidence is trimmed and accepted; a blocked step names what it waits for', () => {
    const state = new OnboardingState(tenant, '2026-01-01T00:00:00Z');
    state.step('associate-experience-flow').state = 'open';
    const ok = validateComplete(state, { stepId: 'associate-experience-flow', evidence: { experienceFlowName: '  Voice  ' }, by: 'pat' });
    expect(ok.evidence).toEqual({ experienceFlowName: 'Voice' });
    expect(() => validateComplete(state, { stepId: 'create-zoom-connector', evidence: {}, by: 'pat' })).toThrow(
      new Refusal('StepNotOpen', 'create-zoom-connector is not open yet: it waits for verify-zoom-access, verify-kore-access'),
    );
  });
});
