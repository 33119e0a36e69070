import type { temporal } from '@temporalio/proto';
import { Onboardings } from '../../src/app';
import { workflowIdFor } from '../../src/domain/tenant';
import { FAST } from '../support/onboarding';
import { reminderRun, reminderWorld, webhookReceiver } from '../support/reminder-world';

/**
 * Reminder timers across continue-as-new, on a time-skipping server of its own: in one file with
 * reminders.test.ts, whose run is left waiting with its worker gone, time stopped skipping here
 * (a due workflow task that no worker takes seems to hold the clock).
 */

const world = reminderWorld('onboard-reminders-can-');

it('a run that continues as new while steps wait keeps their reminder timers: each resumes with the time it had left (time skipping)', async () => {
  const { env } = world();
  const hook = await webhookReceiver();
  const { config, worker, file } = await reminderRun(world(), 'reminders-can', hook.url);
  // A low threshold: a round of reminders (a timer, an audit entry and a notice per step) takes the run past it.
  const onboardings = new Onboardings(env.client, config, { taskQueue: 'reminders-can', onboardingOptions: { ...FAST, continueAsNewAfterEvents: 60 } });
  // Observation only: which run is current.
  const runId = async (tenantId: string) => (await env.client.workflow.getHandle(workflowIdFor(tenantId)).describe()).runId;
  try {
    await worker.runUntil(async () => {
      const { tenant, runId: first } = await onboardings.start(file);
      for (let i = 0; i < 100; i++) {
        const p = await onboardings.progress(tenant.tenantId);
        if (p.steps.filter((s) => s.state === 'open').length === 4) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const chat = async () => (await onboardings.progress(tenant.tenantId)).steps.find((s) => s.id === 'enable-chat-history-scope')!;

      await env.sleep('5 hours'); // the first reminders (4h), then the run continues as new
      expect(await chat()).toMatchObject({ state: 'waiting-for-human', reminders: 1 });
      const second = await runId(tenant.tenantId);
      expect(second).not.toBe(first);

      // Restarted from scratch, the next reminder would come 4h after the boundary; carried, it comes at 1d4h.
      await env.sleep('22 hours'); // 1d3h
      expect((await chat()).reminders).toBe(1);
      await env.sleep('2 hours'); // 1d5h
      expect((await chat()).reminders).toBe(2);

      await env.sleep('1 day'); // 2d5h: escalated at 2d (counted from the opening, not from a boundary), a third reminder at 2d4h
      expect(await chat()).toMatchObject({ reminders: 3, escalated: true });
      expect((await onboardings.progress(tenant.tenantId)).status).toBe('escalated');
      expect(await runId(tenant.tenantId)).not.toBe(second);

      const forChat = hook.posts.filter((x) => x.stepId === 'enable-chat-history-scope');
      expect(forChat.map((x) => x.kind)).toEqual(['reminder', 'reminder', 'escalation', 'reminder']);
      // How long it waited, counted from when it opened in the first run.
      expect(forChat.map((x) => x.text.match(/has waited (\S+) /)![1])).toEqual(['4h', '1.2d', '2d', '2.2d']);
      expect(hook.posts).toHaveLength(4 * 4);
      // No run closed with a notice it had scheduled and not seen finish: walk the chain back from the current run.
      let runs = 0;
      for (let rid: string | undefined = await runId(tenant.tenantId); rid; runs++) {
        const events: temporal.api.history.v1.IHistoryEvent[] =
          (await env.client.workflow.getHandle(workflowIdFor(tenant.tenantId), rid).fetchHistory()).events ?? [];
        const scheduled: number[] = events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => Number(e.eventId));
        const closed: number[] = events.map((e) =>
          Number(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? e.activityTaskFailedEventAttributes?.scheduledEventId ?? 0),
        );
        expect({ run: rid, abandoned: scheduled.filter((id) => !closed.includes(id)) }).toEqual({ run: rid, abandoned: [] });
        const previous: string | null | undefined = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
        rid = previous || undefined;
      }
      expect(runs).toBeGreaterThanOrEqual(3);
      await env.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).terminate('test done');
    });
  } finally {
    await hook.close();
  }
});
