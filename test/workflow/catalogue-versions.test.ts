import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { publicTenant, workflowIdFor } from '../../src/domain/tenant';
import { playPeople, registerTenant } from '../../src/people';
import { storeInlineSecrets } from '../../src/secret-store';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Catalogue version 2 moved the Chat History check after the publish (Kore.ai applies scope
 * changes on publish). A run started on version 1 keeps version 1 to its end; a new run follows
 * version 2; and a mapping the person forgot is caught after the publish, with what to do.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const activityTypes = async (tenantId: string) => {
  // Observation only: the activities the run scheduled, in order.
  const { events } = await h.client.workflow.getHandle(workflowIdFor(tenantId)).fetchHistory();
  return (events ?? []).flatMap((e) =>
    e.activityTaskScheduledEventAttributes?.activityType?.name ? [e.activityTaskScheduledEventAttributes.activityType.name] : [],
  );
};

it('a run that recorded version 1 keeps it: 13 steps, Chat History verified on completion, before the publish', async () => {
  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const { tenant } = storeInlineSecrets(file, h.config.secrets.storeDir);
  // Started as the code before version 2 started runs (src/app now records the current version).
  await h.client.workflow.start('tenantOnboarding', {
    taskQueue: h.taskQueue,
    workflowId: workflowIdFor(tenant.tenantId),
    args: [{ tenant, options: FAST, catalogueVersion: 1 }],
  });
  // Version 1 verifies the mapping before the publish, which passes only where a mapping takes
  // effect at once (the simulator applies it on publish, as Kore.ai documents): this tenant's does.
  const { progress } = await playPeople({
    desk: h.onboardings,
    consoles: h.consoles,
    tenant: publicTenant(tenant),
    parallel: false,
    person: async (step, script) => {
      if (step !== 'enable-chat-history-scope') return script();
      for (const scope of [KORE_SCOPES.chatHistory, KORE_SCOPES.botSessions]) await h.consoles.mapKoreScope(tenant.kore.clientId, scope, { now: true });
      return {};
    },
  });
  expect(progress.status).toBe('completed');
  expect(progress.steps.map((s) => s.id)).not.toContain('verify-chat-history-access');
  expect(progress.steps).toHaveLength(13);
  const types = await activityTypes(tenant.tenantId);
  expect(types).toContain('verifyChatHistoryScope');
  expect(types).not.toContain('checkChatHistoryAccess');
});

const at2 = (p: { steps: Array<{ id: string; completedAt?: string }> }, id: string) => Date.parse(p.steps.find((s) => s.id === id)!.completedAt!);

it("a new run follows today's version (4): the check runs after the publish, the flow is published in a step of its own", async () => {
  const tenant = await h.start();
  const p = await h.completeAll(tenant);
  expect(p.status).toBe('completed');
  expect(p.steps).toHaveLength(17);
  expect(at2(p, 'publish-zcc-flow')).toBeGreaterThanOrEqual(at2(p, 'route-zcc-flow-to-connector'));
  const at = (id: string) => Date.parse(p.steps.find((s) => s.id === id)!.completedAt!);
  expect(at('verify-chat-history-access')).toBeGreaterThanOrEqual(at('publish-app'));
  const types = await activityTypes(tenant.tenantId);
  expect(types).toContain('checkChatHistoryAccess');
  expect(types).not.toContain('verifyChatHistoryScope');
});

it('a forgotten mapping is caught after the publish, says what to do, and the run completes once it is mapped and retried', async () => {
  const tenant = await h.start();
  const forgot = await h.completeAll(tenant, { person: async (step, script) => (step === 'enable-chat-history-scope' ? {} : script()) });
  expect(forgot.status).toBe('needs-attention');
  const check = forgot.steps.find((s) => s.id === 'verify-chat-history-access')!;
  expect(check.state).toBe('needs-attention');
  expect(check.lastError).toBe(
    `Kore.ai still refuses Chat History for JWT app ${tenant.kore.clientId}: map Chat History to it under Settings > App Settings > Dev Tools > API Scopes (step enable-chat-history-scope), publish the app again (a mapping takes effect on publish), then retry this step`,
  );
  for (const scope of [KORE_SCOPES.chatHistory, KORE_SCOPES.botSessions]) await h.consoles.mapKoreScope(tenant.kore.clientId, scope);
  // Mapped, not yet in force: the retry would fail again until the app is published.
  await h.consoles.publishKoreBot(tenant.kore.botId, 'scopes');
  await new Promise((r) => setTimeout(r, 300)); // the simulated publish takes 200 ms
  await h.onboardings.retry(tenant.tenantId, { stepId: 'verify-chat-history-access', by: 'pat@acme.example' });
  const after = await h.completeAll(tenant);
  expect(after.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])).toEqual([]);
});
