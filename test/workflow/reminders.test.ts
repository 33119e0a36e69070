import { publishedProgress } from '../../src/app/read-model';
import { Onboardings } from '../../src/app';
import { publicTenant, workflowIdFor } from '../../src/domain/tenant';
import { doInConsoles } from '../../src/people';
import { FAST } from '../support/onboarding';
import { reminderRun, reminderWorld, webhookReceiver } from '../support/reminder-world';

const world = reminderWorld('onboard-reminders-');

it('reminds after firstAfter and then every `every`, escalates after escalateAfter, and stops once the step is done (time skipping)', async () => {
  const { env } = world();
  const hook = await webhookReceiver();
  const { config, worker, file, consoles } = await reminderRun(world(), 'reminders', hook.url);
  const onboardings = new Onboardings(env.client, config, { taskQueue: 'reminders', onboardingOptions: FAST });
  try {
    await worker.runUntil(async () => {
      const { tenant } = await onboardings.start(file);
      const published = () => publishedProgress(env.client.workflow.getHandle(workflowIdFor(tenant.tenantId)));
      // Real time until the automatic checks are done and the four human steps are open.
      for (let i = 0; i < 100; i++) {
        const p = await onboardings.progress(tenant.tenantId);
        if (p.steps.filter((s) => s.state === 'open').length === 4) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // One person finishes quickly: that step gets no reminders.
      const evidence = await doInConsoles('associate-experience-flow', publicTenant(tenant), consoles, {});
      await onboardings.complete(tenant.tenantId, { stepId: 'associate-experience-flow', evidence, by: 'fast@acme' });

      await env.sleep('3 hours');
      expect(hook.posts).toHaveLength(0);
      await env.sleep('2 hours'); // 5h: first reminders
      let p = await onboardings.progress(tenant.tenantId);
      const chat = () => p.steps.find((s) => s.id === 'enable-chat-history-scope')!;
      expect(chat()).toMatchObject({ state: 'waiting-for-human', reminders: 1, escalated: false });
      expect(p.status).toBe('waiting-for-human');
      // The read model (the memo itself, not a fallback to the query) saw the reminder: it equals the workflow's own answer.
      expect(await published()).toEqual(await onboardings.progress(tenant.tenantId, { consistent: true }));

      await env.sleep('1 day'); // 1d5h: a second reminder (1d4h), no escalation yet
      p = await onboardings.progress(tenant.tenantId);
      expect(chat()).toMatchObject({ reminders: 2, escalated: false });

      await env.sleep('1 day'); // 2d5h: escalation at 2d, a third reminder at 2d4h
      p = await onboardings.progress(tenant.tenantId);
      expect(chat()).toMatchObject({ reminders: 3, escalated: true });
      expect(p.status).toBe('escalated');
      expect(await published()).toEqual(await onboardings.progress(tenant.tenantId, { consistent: true }));
      // Observation only (the app does not offer describe()): the search attribute lists filter on.
      expect((await env.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).describe()).searchAttributes.OnboardingStatus).toEqual(['escalated']);

      await env.sleep('1 day'); // 3d5h: a fourth reminder (3d4h); escalation happens once
      p = await onboardings.progress(tenant.tenantId);
      expect(chat().reminders).toBe(4);
      expect(p.steps.find((s) => s.id === 'associate-experience-flow')!.reminders).toBe(0);

      const forChat = hook.posts.filter((x) => x.stepId === 'enable-chat-history-scope');
      expect(forChat.map((x) => x.kind)).toEqual(['reminder', 'reminder', 'escalation', 'reminder', 'reminder']);
      expect(forChat[0]!.text).toMatch(
        new RegExp(
          `^Reminder: Acme Corp \\(${tenant.tenantId}\\) has waited 4h on "Map the Chat History and Bot Sessions API scopes to the JWT app" \\[enable-chat-history-scope\\]\\. Owner: owner@acme\\.example\\. Next: In AI for Service go to Settings`,
        ),
      );
      expect(forChat[2]!.text).toMatch(/^ESCALATION: .* has waited 2d /);
      expect(hook.posts.some((x) => x.stepId === 'associate-experience-flow')).toBe(false);
      // Four steps were left waiting: each got 4 reminders and 1 escalation.
      expect(hook.posts).toHaveLength(4 * 5);
    });
  } finally {
    await hook.close();
  }
});
