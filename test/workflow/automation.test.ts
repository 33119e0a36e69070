import type { OnboardingOptions, Progress } from '../../src/app';
import { AUTOMATION } from '../../workflows/state';
import { publicTenant, type TenantFile } from '../../src/domain/tenant';
import { ZOOM_VERIFY_SCOPES } from '../../src/integrations/zoom/scopes';
import { registerTenant } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Issue 15 on a real Temporal server against the simulators: the console steps a vendor API can
 * do (the ZCC flow's publish, the GenAI settings from a golden bot, the app's publish) are done by
 * API when the tenant grants what they need, verified as a person's claim is, and handed to a
 * person with a note saying what would automate them when it does not. Vendor calls are counted
 * at the simulators.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const FLOW_WRITE = 'contact_center_flow:write:admin';
const PUBLISH = ['POST', '/api/public/bot/:botId/publish'] as const;
const IMPORT = ['POST', '/api/public/bot/:botId/import'] as const;
const FLOW_PUBLISH = ['PUT', '/v2/contact_center/flows/:flowId/publish'] as const;
const API_STEPS = ['publish-zcc-flow', 'enable-conversation-summary', 'publish-app'];
const OPTIONS: OnboardingOptions = { ...FAST, approvalPollInterval: '1s' };

/** A tenant whose file gives an Admin Console app and a golden bot, and whose Zoom app may write flows (unless told otherwise). */
function automatable(over: Partial<TenantFile> = {}): TenantFile {
  const f = tenantFile(over);
  return tenantFile({
    ...f,
    kore: {
      ...f.kore,
      adminApp: { clientId: `${f.kore.clientId}-admin`, clientSecret: `${f.kore.clientSecret}-admin` },
      goldenBotId: `${f.kore.botId}-golden`,
    },
    ...over,
  });
}

/** The tenant's apps in the simulated vendors (the Zoom app with flow:write unless told otherwise). */
const register = (file: TenantFile, zoomScopes: string[] = [...ZOOM_VERIFY_SCOPES, FLOW_WRITE]) =>
  registerTenant(
    h.consoles,
    publicTenant(file),
    { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret, koreAdmin: file.kore.adminApp?.clientSecret },
    { zoomScopes },
  );

async function start(file: TenantFile, zoomScopes?: string[]) {
  await register(file, zoomScopes);
  return h.start(file, OPTIONS, false);
}

const counts = () => {
  const k = h.sims.kore.calls;
  const z = h.sims.zoom.calls;
  return { publish: k.count(...PUBLISH), import: k.count(...IMPORT), flowPublish: z.count(...FLOW_PUBLISH) };
};
const since = (before: ReturnType<typeof counts>) => {
  const now = counts();
  return { publish: now.publish - before.publish, import: now.import - before.import, flowPublish: now.flowPublish - before.flowPublish };
};
const byId = (p: Progress) => Object.fromEntries(p.steps.map((s) => [s.id, s]));
const completions = async (tenantId: string) =>
  (await h.onboardings.audit(tenantId, { pageSize: 500 })).entries.filter((e) => e.action === 'complete' && e.outcome === 'accepted').map((e) => e.stepId);

it('with an Admin Console app, a golden bot and flow:write, the publish, the flow publish and the GenAI settings are done by API and verified', async () => {
  const before = counts();
  const tenant = await start(automatable());
  const planned = byId(await h.progress(tenant.tenantId));
  for (const id of API_STEPS) expect([id, planned[id]!.kind, planned[id]!.automation?.mode]).toEqual([id, 'auto', 'auto']);
  expect(planned['publish-app']!.instructions[0]).toMatch(/^Automatic: publish bot st-acme-\w+ through Kore\.ai's Publish API/);
  expect(planned['publish-app']!.evidenceFields).toEqual([]);

  const p = await h.completeAll(tenant);
  expect([p.status, p.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])]).toEqual(['completed', []]);
  const s = byId(p);
  for (const id of API_STEPS) expect([id, s[id]!.completedBy, s[id]!.kind]).toEqual([id, AUTOMATION, 'auto']);
  // What each vendor answered is recorded, with the verifier's own finding.
  expect(s['publish-zcc-flow']!.result).toMatchObject({ flowId: expect.any(String), publishedNow: true, verified: { flowId: expect.any(String) } });
  expect(s['enable-conversation-summary']!.result).toMatchObject({
    importId: expect.any(String),
    importStatus: 'success',
    backup: { exportId: expect.any(String) },
  });
  expect(s['publish-app']!.result).toMatchObject({ publishStatus: 'successful', requestedTime: expect.any(String), verified: { publishStatus: 'successful' } });
  // The summary the import switched on reaches the test call's conversation.
  expect(s['verify-conversation-summary']!.result).toMatchObject({ summaryExcerpt: expect.any(String) });
  // No person completed them, and each vendor call that acts was made once.
  expect((await completions(tenant.tenantId)).filter((id) => API_STEPS.includes(id!))).toEqual([]);
  expect(since(before)).toEqual({ publish: 1, import: 1, flowPublish: 1 });
});

it('the same tenant without those credentials gets its people steps, each saying what would automate it', async () => {
  const tenant = await start(tenantFile(), [...ZOOM_VERIFY_SCOPES]);
  const planned = byId(await h.progress(tenant.tenantId));
  expect(planned['publish-app']!.automation).toEqual({
    mode: 'human',
    needs: 'an Admin Console app (kore.adminApp) with the Bot Publish scope',
    note: 'done by a person: the tenant file gives no kore.adminApp; it would be done automatically with an Admin Console app (kore.adminApp) with the Bot Publish scope',
  });
  expect(planned['enable-conversation-summary']!.automation?.note).toMatch(/^done by a person: the tenant file gives no kore\.adminApp or kore\.goldenBotId;/);
  expect(planned['publish-app']!.instructions.at(-1)).toBe(`Note: ${planned['publish-app']!.automation!.note}.`);
  const before = counts();
  const p = await h.completeAll(tenant);
  expect(p.status).toBe('completed');
  const s = byId(p);
  // The flow's publish was tried by API: Zoom refused the scope, so a person did it, told what would automate it.
  expect(s['publish-zcc-flow']).toMatchObject({ kind: 'human', completedBy: 'pat@acme.example', automation: { mode: 'human' } });
  expect(s['publish-zcc-flow']!.automation!.note).toContain('contact_center_flow:write:admin');
  expect(s['publish-zcc-flow']!.automation!.note).toMatch(
    /^the API refused \(zoom\.publishFlow: .*\), so a person does it this time; it would be done automatically with/,
  );
  for (const id of API_STEPS) expect([id, s[id]!.completedBy]).toEqual([id, 'pat@acme.example']);
  expect((await completions(tenant.tenantId)).filter((id) => API_STEPS.includes(id!)).sort()).toEqual([...API_STEPS].sort());
  // Only the flow's publish reached a vendor: the one try Zoom refused for the scope.
  expect(since(before)).toEqual({ publish: 0, import: 0, flowPublish: 1 });
});

it('a vendor call whose answer is lost is not made again when the activity retries (publish, import, flow publish)', async () => {
  const file = automatable();
  const before = counts();
  for (const [vendor, [method, path]] of [
    ['kore', PUBLISH],
    ['kore', IMPORT],
    ['zoom', FLOW_PUBLISH],
  ] as const)
    await h.consoles.addFault(vendor, { method, path, dropAnswer: true, count: 1 });
  try {
    const tenant = await start(file);
    const p = await h.completeAll(tenant);
    expect([p.status, p.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])]).toEqual(['completed', []]);
    const s = byId(p);
    for (const id of API_STEPS) expect([id, s[id]!.completedBy]).toEqual([id, AUTOMATION]);
    // Each acting call reached the vendor once (its answer was dropped); the retries read status instead.
    expect(since(before)).toEqual({ publish: 1, import: 1, flowPublish: 1 });
    expect(s['publish-app']!.result!.published).toBe('an earlier publish asked for since the step opened (not asked again)');
    expect(s['publish-zcc-flow']!.result).toMatchObject({ publishedNow: false });
  } finally {
    await h.consoles.clearFaults('kore');
    await h.consoles.clearFaults('zoom');
  }
});

it("a publish that fails at Kore.ai needs attention with the vendor's words; fixed and retried, it completes", async () => {
  const file = automatable();
  await register(file);
  await h.consoles.setKorePublishRules(file.kore.botId, { failsOn: 'SIPTRUNK' });
  const tenant = await h.start(file, OPTIONS, false);
  const stuck = await h.completeAll(tenant);
  const step = byId(stuck)['publish-app']!;
  expect(step.state).toBe('needs-attention');
  expect(step.lastError).toMatch(
    /^Kore\.ai reports the publish asked for at \S+ failed on SIPTRUNK: check the SIP trunk \(step configure-sip-trunk: FQDN, DID, srv, TLS\), then publish again/,
  );
  // Support fixes the trunk; the retry publishes again.
  await h.consoles.setKorePublishRules(file.kore.botId, { failsOn: null });
  await h.onboardings.retry(tenant.tenantId, { stepId: 'publish-app', by: 'ops@acme.example' });
  const p = await h.completeAll(tenant);
  expect(p.status).toBe('completed');
  expect(byId(p)['publish-app']).toMatchObject({ completedBy: AUTOMATION, attempts: 2, result: { publishStatus: 'successful' } });
});

it('a publish held for approval waits in awaiting-approval, asks Kore.ai once, and goes on when an administrator approves', async () => {
  const file = automatable();
  await register(file);
  await h.consoles.setKorePublishRules(file.kore.botId, { needsApproval: true });
  const tenant = await h.start(file, OPTIONS, false);
  const before = counts();
  const held = await h.completeAll(tenant, { stopWhen: (p) => byId(p)['publish-app']!.state === 'awaiting-approval' });
  const step = byId(held)['publish-app']!;
  expect(step.lastError).toMatch(/^awaiting approval in the Admin Console: Kore\.ai holds the publish of dialog \(asked for at \S+\) until an administrator/);
  expect(held.status).toBe('waiting-for-human');
  // A person cannot complete it meanwhile; the run says why.
  await expect(h.complete(tenant.tenantId, 'publish-app', { comment: 'x' })).rejects.toThrow(/publish-app is done by API in this run \(awaiting-approval/);
  // Several rounds pass without a second publish.
  await new Promise((r) => setTimeout(r, 2_500));
  expect(since(before).publish).toBe(1);
  await h.consoles.setKorePublishRules(file.kore.botId, { needsApproval: false });
  await h.consoles.approveKorePublish(file.kore.botId);
  const p = await h.completeAll(tenant);
  expect(p.status).toBe('completed');
  expect(byId(p)['publish-app']).toMatchObject({
    completedBy: AUTOMATION,
    result: { publishStatus: 'successful', published: expect.stringMatching(/^approved by an administrator/) },
  });
  expect(since(before).publish).toBe(1);
});
