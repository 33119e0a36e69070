import { Refused } from '../../src/app';
import { startHarness, type Harness } from '../support/onboarding';
import { workflowIdFor, type TenantInput } from '../../src/domain/tenant';

let h: Harness;
let tenant: TenantInput;

/** One run, walked to the point where the connector step is open and the experience flow is named. */
beforeAll(async () => {
  h = await startHarness();
  tenant = await h.start();
  await h.until(tenant.tenantId, h.stepIs('associate-experience-flow', 'open'));
  await h.act(tenant, 'associate-experience-flow');
  await h.until(tenant.tenantId, h.stepIs('create-zoom-connector', 'open'));
});
afterAll(() => h?.stop());

async function refusal(fn: () => Promise<unknown>) {
  const before = await h.progress(tenant.tenantId);
  const err = await fn().then(
    () => undefined,
    (e) => e,
  );
  // Refused: the Update failed with one of the workflow's refusal codes.
  expect(err).toBeInstanceOf(Refused);
  const after = await h.progress(tenant.tenantId);
  // A rejection changes nothing.
  expect(after.steps.map((s) => [s.id, s.state, s.attempts])).toEqual(before.steps.map((s) => [s.id, s.state, s.attempts]));
  const { code, message, fields } = err as Refused;
  return { code, message, fields };
}

describe('completeStep refusals, each with a message a person can act on', () => {
  it('unknown step', async () => {
    const r = await refusal(() => h.complete(tenant.tenantId, 'make-coffee', {}));
    expect(r.code).toBe('UnknownStep');
    expect(r.message).toMatch(/^unknown step "make-coffee"; the steps are verify-kore-access, /);
  });

  it('step not yet open names the steps it waits for', async () => {
    const r = await refusal(() => h.complete(tenant.tenantId, 'configure-sip-trunk', { sipUri: 'sip:a@b.example.com', attachedFlowName: 'x' }));
    expect(r).toMatchObject({ code: 'StepNotOpen', message: 'configure-sip-trunk is not open yet: it waits for create-zoom-connector' });
    const deep = await refusal(() => h.complete(tenant.tenantId, 'place-test-call', {}));
    expect(deep.message).toMatch(
      /waits for publish-app, configure-sip-trunk, authorize-zoom-connector, route-zcc-flow-to-connector, verify-chat-history-access, publish-zcc-flow, sip-preflight$/,
    );
  });

  it('already done says by whom', async () => {
    const r = await refusal(() => h.complete(tenant.tenantId, 'associate-experience-flow', { experienceFlowName: 'Again' }));
    expect(r.code).toBe('StepAlreadyDone');
    expect(r.message).toMatch(/^associate-experience-flow is already done \(by pat@acme\.example at \d{4}-/);
  });

  it('an automatic step cannot be completed by hand', async () => {
    const r = await refusal(() => h.complete(tenant.tenantId, 'verify-kore-access', {}));
    expect(r.message).toMatch(/is automatic/);
  });

  it('evidence failing its schema: one message per field, with the value', async () => {
    const r = await refusal(() => h.complete(tenant.tenantId, 'create-zoom-connector', { connectorName: 'Acme', domain: '10.0.0.1', did: '+1 415' }));
    expect(r.code).toBe('InvalidEvidence');
    expect(r.fields).toEqual([
      { field: 'evidence.domain', message: '"10.0.0.1" must be a domain name, not an IP address' },
      { field: 'evidence.did', message: '"+1 415" is not an E.164 number (expected + and 8-15 digits, no spaces)' },
    ]);
    expect(r.message).toBe(
      'create-zoom-connector: evidence.domain "10.0.0.1" must be a domain name, not an IP address; evidence.did "+1 415" is not an E.164 number (expected + and 8-15 digits, no spaces)',
    );
  });

  it('a missing field and an unknown field are named', async () => {
    const r = await refusal(() =>
      h.complete(tenant.tenantId, 'create-zoom-connector', { connectorName: 'Acme', domain: 'a1b2.zoomcc.example.com', diid: '+14155550100' }),
    );
    expect(r.fields).toEqual(
      expect.arrayContaining([
        { field: 'evidence.did', message: 'is required' },
        { field: 'evidence.diid', message: 'is not a field of create-zoom-connector (expected: connectorName, domain, did)' },
      ]),
    );
  });

  it('cross-step mismatch: the SIP trunk must attach the flow named earlier', async () => {
    await h.act(tenant, 'create-zoom-connector');
    await h.until(tenant.tenantId, h.stepIs('configure-sip-trunk', 'open'));
    // The SIP preflight runs after the connector step: let it finish, so only the refusal could change the run.
    await h.until(tenant.tenantId, h.stepIs('sip-preflight', 'done'));
    const r = await refusal(() =>
      h.complete(tenant.tenantId, 'configure-sip-trunk', { sipUri: 'sip:bot@voice.example.com', attachedFlowName: 'Some Other Flow' }),
    );
    expect(r.code).toBe('EvidenceMismatch');
    expect(r.message).toBe(
      'configure-sip-trunk: evidence.attachedFlowName "Some Other Flow" is not the flow named in associate-experience-flow ("Kore Voice Experience"); attach that flow',
    );
    expect(r.fields).toEqual([{ field: 'evidence.attachedFlowName', message: expect.stringContaining('is not the flow named') }]);
  });

  it('who completed it is required', async () => {
    const r = await refusal(() => h.complete(tenant.tenantId, 'configure-agent-transfer', { option: 'dialog-task' }, '  '));
    expect(r).toMatchObject({ code: 'InvalidInput', fields: [{ field: 'by', message: 'is required' }] });
  });

  it('skip: only skippable steps, and only with a reason', async () => {
    const notSkippable = await refusal(() => h.onboardings.skip(tenant.tenantId, { stepId: 'publish-app', reason: 'later', by: 'pat' }));
    expect(notSkippable.message).toBe(
      'publish-app cannot be skipped; skippable steps are configure-agent-transfer, accept-genai-policy, enable-conversation-summary, verify-conversation-summary',
    );
    const noReason = await refusal(() => h.onboardings.skip(tenant.tenantId, { stepId: 'configure-agent-transfer', reason: '', by: 'pat' }));
    expect(noReason.fields).toEqual([{ field: 'reason', message: 'is required' }]);
  });

  it('retry: only a step that needs attention', async () => {
    const r = await refusal(() => h.onboardings.retry(tenant.tenantId, { stepId: 'associate-experience-flow', by: 'pat' }));
    expect(r).toMatchObject({ code: 'NotRetryable', message: 'associate-experience-flow is done; only a step that needs attention can be retried' });
  });

  it("the agent-transfer option must be the tenant's", async () => {
    const r = await refusal(() => h.complete(tenant.tenantId, 'configure-agent-transfer', { option: 'dialog-task' }));
    expect(r.code).toBe('EvidenceMismatch');
  });

  it('an invalid completeStep signal is recorded as a rejection and never crashes the run', async () => {
    await h.onboardings.completeBySignal(tenant.tenantId, { stepId: 'route-zcc-flow-to-connector', evidence: { flowName: '' }, by: 'webhook' });
    await h.onboardings.completeBySignal(tenant.tenantId, { nonsense: true } as never);
    const p = await h.until(tenant.tenantId, (x) => x.rejections.length >= 2);
    expect(p.rejections[0]).toMatchObject({
      stepId: 'route-zcc-flow-to-connector',
      by: 'webhook',
      via: 'signal',
      message: expect.stringContaining('evidence.flowName'),
    });
    expect(p.rejections[1]).toMatchObject({ stepId: '?', via: 'signal', message: expect.stringMatching(/^completeStep: /) });
    // Observation only (the app does not offer describe()).
    expect((await h.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).describe()).status.name).toBe('RUNNING');
    // ...and a valid signal completes the step.
    await h.onboardings.completeBySignal(tenant.tenantId, { stepId: 'authorize-zoom-connector', evidence: {}, by: 'webhook' });
    await h.until(tenant.tenantId, h.stepIs('authorize-zoom-connector', 'done'));
  });

  it('cancel needs a reason, then ends the run as cancelled with that reason', async () => {
    const r = await refusal(() => h.onboardings.cancel(tenant.tenantId, { reason: ' ', by: 'pat' }));
    expect(r.fields).toEqual([{ field: 'reason', message: 'is required' }]);
    const answer = await h.onboardings.cancel(tenant.tenantId, { reason: 'customer paused the project', by: 'pat' });
    expect(answer.step).toBeNull(); // a cancel acts on the run, not a step
    expect(answer.run.status).toBe('cancelled');
    const result = await h.onboardings.result(tenant.tenantId);
    expect(result.status).toBe('cancelled');
    expect(result.cancelReason).toBe('customer paused the project');
  });
});
