import axios from 'axios';
import { OnboardingConflict } from '../../src/app';
import { workflowIdFor } from '../../src/domain/tenant';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe('the run survives what goes wrong', () => {
  it('human steps whose inputs are ready are open at the same time, on both sides', async () => {
    const tenant = await h.start();
    const p = await h.until(tenant.tenantId, (x) => x.steps.filter((s) => s.state === 'open').length >= 4);
    const open = p.steps.filter((s) => s.state === 'open');
    expect(open.map((s) => s.id).sort()).toEqual(['accept-genai-policy', 'associate-experience-flow', 'create-zoom-connector', 'enable-chat-history-scope']);
    expect(new Set(open.map((s) => s.side))).toEqual(new Set(['kore', 'zoom']));
    expect(p.status).toBe('waiting-for-human');
    // Two people complete two steps on different sides at once.
    await Promise.all([h.act(tenant, 'associate-experience-flow', 'kore-admin@acme'), h.act(tenant, 'create-zoom-connector', 'zoom-admin@acme')]);
    const after = await h.progress(tenant.tenantId);
    expect(after.steps.find((s) => s.id === 'associate-experience-flow')).toMatchObject({ state: 'done', completedBy: 'kore-admin@acme' });
    expect(after.steps.find((s) => s.id === 'create-zoom-connector')).toMatchObject({ state: 'done', completedBy: 'zoom-admin@acme' });
    // The connector's domain and DID now fill in the SIP trunk instructions.
    const sip = after.steps.find((s) => s.id === 'configure-sip-trunk')!;
    const evidence = after.steps.find((s) => s.id === 'create-zoom-connector')!.evidence!;
    expect(sip.instructions.join('\n')).toContain(`Fully Qualified Domain Name: ${evidence.domain}`);
    expect(sip.instructions.join('\n')).toContain(`DID Number: ${evidence.did}`);
    // Search attributes follow the run.
    // Observation only (the app does not offer describe()).
    const described = await h.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).describe();
    const sa = described.searchAttributes as Record<string, unknown[]>;
    expect(sa.TenantId).toEqual([tenant.tenantId]);
    expect(sa.WaitingOnHuman).toEqual([true]);
    expect(sa.OpenSteps).toEqual(expect.arrayContaining(['configure-sip-trunk', 'enable-chat-history-scope']));
    await h.onboardings.cancel(tenant.tenantId, { reason: 'test done', by: 't' });
  });

  it('a verifier that finds the claim false reopens the step with what it found', async () => {
    const tenant = await h.start();
    await h.until(tenant.tenantId, h.stepIs('create-zoom-connector', 'open'));
    await h.act(tenant, 'create-zoom-connector');
    await h.until(tenant.tenantId, h.stepIs('route-zcc-flow-to-connector', 'open'));
    const missing = await h.complete(tenant.tenantId, 'route-zcc-flow-to-connector', { flowName: 'Nope' });
    expect(missing.state).toBe('open');
    expect(missing.lastError).toMatch(/^no ZCC flow is named "Nope" \(flows on the account: "Main IVR"\)/);
    const account = h.sims.zoom.world.mustAccount(tenant.zoom.accountId);
    const routed = await h.complete(tenant.tenantId, 'route-zcc-flow-to-connector', { flowName: 'Main IVR' });
    expect(routed).toMatchObject({ state: 'done', attempts: 2, result: { flowId: account.flows[0]!.flow_id, status: 'draft' } });
    // This Zoom app may not publish flows, so the publish is the person's, and the claim is checked.
    await h.until(tenant.tenantId, h.stepIs('publish-zcc-flow', 'open'));
    const step = await h.complete(tenant.tenantId, 'publish-zcc-flow', {});
    expect(step.state).toBe('open');
    expect(step.lastError).toBe('ZCC flow "Main IVR" is draft, not published; publish it and complete the step again');
    // The person publishes the flow; the same claim now holds.
    account.flows[0]!.status = 'published';
    const ok = await h.complete(tenant.tenantId, 'publish-zcc-flow', {});
    expect(ok).toMatchObject({ state: 'done', kind: 'human', result: { flowId: account.flows[0]!.flow_id } });
    await h.onboardings.cancel(tenant.tenantId, { reason: 'test done', by: 't' });
  });

  it('a missing Zoom scope puts the step in needs-attention naming it, and retryStep recovers it', async () => {
    const file = tenantFile();
    const tenant = await h.start(file);
    // The tenant's Zoom app lacks the report scope (and its live tokens die with it).
    await axios.delete(`${h.sims.zoom.url}/__sim/accounts/${tenant.zoom.accountId}/scopes/contact_center_report:read:admin`);
    await h.until(tenant.tenantId, h.stepIs('verify-zoom-access', 'needs-attention'));
    const p = await h.progress(tenant.tenantId);
    const step = p.steps.find((s) => s.id === 'verify-zoom-access')!;
    expect(step.lastError).toBe(
      'zoom: the Server-to-Server app lacks scopes to read engagements (contact_center_report:read:admin or contact_center:read:list_engagements:admin); add them in the Marketplace and re-activate the app',
    );
    expect(p.status).toBe('needs-attention');
    expect((await h.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).describe()).status.name).toBe('RUNNING');
    // Someone adds the scope, then retries.
    await axios.put(`${h.sims.zoom.url}/__sim/accounts/${tenant.zoom.accountId}/scopes/contact_center_report:read:admin`, {});
    await axios.post(`${h.sims.zoom.url}/__sim/accounts/${tenant.zoom.accountId}/tokens/expire`, {});
    const retried = await h.onboardings.retry(tenant.tenantId, { stepId: 'verify-zoom-access', by: 'ops@acme' });
    expect(retried.step.state).toBe('running');
    await h.until(tenant.tenantId, h.stepIs('verify-zoom-access', 'done'));
    const after = await h.progress(tenant.tenantId);
    expect(after.steps.find((s) => s.id === 'verify-zoom-access')!.attempts).toBe(2);
    await h.onboardings.cancel(tenant.tenantId, { reason: 'test done', by: 't' });
  });

  it('bad Kore.ai credentials need attention (no endless retries)', async () => {
    const tenant = await h.start(tenantFile(), FAST, false); // not registered in the simulator: unknown app
    h.sims.kore.world.addBot({ botId: tenant.kore.botId });
    h.sims.zoom.world.addAccount({ accountId: tenant.zoom.accountId, clientId: tenant.zoom.clientId, clientSecret: 'zoom-SECRET-4e8b2a6c1d9f3e70' });
    const p = await h.until(tenant.tenantId, h.stepIs('verify-kore-access', 'needs-attention'));
    const step = p.steps.find((s) => s.id === 'verify-kore-access')!;
    expect(step.lastError).toMatch(/^kore\.getSessions: Kore\.ai rejected the app credentials \(401 "Invalid SDK credentials"\)/);
    expect(h.sims.kore.calls.count('POST', '/api/public/bot/:botId/getSessions')).toBeGreaterThanOrEqual(1);
    await h.onboardings.cancel(tenant.tenantId, { reason: 'test done', by: 't' });
  });

  it('a 429 storm with Retry-After on both vendors is waited out as told, and the run completes', async () => {
    // The next four calls to each vendor are refused with Retry-After: 1 (four in a row is under an
    // activity's ten attempts), so the first checks must wait at least four seconds in all.
    await axios.post(`${h.sims.kore.url}/__sim/faults`, { path: '/api/public/', status: 429, retryAfter: '1', count: 4 });
    await axios.post(`${h.sims.zoom.url}/__sim/faults`, { path: '/v2/', status: 429, retryAfter: '1', count: 4 });
    try {
      const started = Date.now();
      const tenant = await h.start(undefined, { summaryPollInterval: '1s', summaryWaitLimit: '3m' });
      const checked = await h.until(
        tenant.tenantId,
        (x) => x.steps.find((s) => s.id === 'verify-kore-access')!.state === 'done' && x.steps.find((s) => s.id === 'verify-zoom-access')!.state === 'done',
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(3_500);
      expect(checked.steps.find((s) => s.id === 'verify-kore-access')!.attempts).toBe(1); // retried by Temporal within one step attempt
      const p = await h.completeAll(tenant);
      expect(p.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])).toEqual([]);
      expect(p.status).toBe('completed');
      const count429 = (calls: typeof h.sims.kore.calls) => Object.values(calls.snapshot()).reduce((n, c) => n + (c.statuses[429] ?? 0), 0);
      expect(count429(h.sims.kore.calls)).toBe(4);
      expect(count429(h.sims.zoom.calls)).toBe(4);
    } finally {
      await axios.delete(`${h.sims.kore.url}/__sim/faults`);
      await axios.delete(`${h.sims.zoom.url}/__sim/faults`);
    }
  });

  it('a second start for a running tenant is refused; a finished one may start again', async () => {
    const file = tenantFile();
    const tenant = await h.start(file);
    await expect(h.onboardings.start(file, { options: FAST })).rejects.toThrow(OnboardingConflict);
    await expect(h.onboardings.start(file, { options: FAST })).rejects.toThrow(
      `an onboarding for tenant ${tenant.tenantId} is already running (onboarding-${tenant.tenantId})`,
    );
    await h.onboardings.cancel(tenant.tenantId, { reason: 'restart', by: 't' });
    await h.onboardings.result(tenant.tenantId);
    const again = await h.onboardings.start(file, { options: FAST });
    expect(again.workflowId).toBe(`onboarding-${tenant.tenantId}`);
    await h.onboardings.cancel(tenant.tenantId, { reason: 'test done', by: 't' });
  });

  it('skipping the summary steps still completes, and says who skipped and why', async () => {
    const tenant = await h.start();
    await h.until(tenant.tenantId, h.stepIs('accept-genai-policy', 'open'));
    await h.onboardings.skip(tenant.tenantId, { stepId: 'accept-genai-policy', reason: 'tenant has no XO GPT licence', by: 'pat' });
    await h.onboardings.skip(tenant.tenantId, { stepId: 'enable-conversation-summary', reason: 'tenant has no XO GPT licence', by: 'pat' });
    await h.onboardings.skip(tenant.tenantId, { stepId: 'configure-agent-transfer', reason: 'self-service only', by: 'pat' });
    const p = await h.completeAll(tenant);
    expect(p.status).toBe('completed');
    expect(p.steps.find((s) => s.id === 'enable-conversation-summary')).toMatchObject({
      state: 'skipped',
      skipReason: 'tenant has no XO GPT licence',
      completedBy: 'pat',
    });
    // Without the summary feature, the last step records the conversation without a summary.
    const result = p.steps.find((s) => s.id === 'verify-conversation-summary')!.result!;
    expect(result.sessionId).toEqual(expect.any(String));
    expect(result.summaryExcerpt).toBeUndefined();
  });
});
