import { workflowIdFor } from '../../src/domain/tenant';
import { healthWorkflowIdFor } from '../../workflows/health/contract';
import { healthRun, healthTenant } from '../support/health-world';
import { reminderWorld, webhookReceiver } from '../support/reminder-world';

/**
 * When a tenant's health checks stop, on the time-skipping server (its own, so no other test's
 * timers or activities are in the way): a new onboarding of the tenant stops them, a cancelled
 * one never starts them. Offboarding: test/workflow/health.test.ts.
 */
const world = reminderWorld('onboard-health-stop-');

it('a new onboarding of the tenant stops its health checks, and a cancelled onboarding never starts them', async () => {
  const { env } = world();
  const hook = await webhookReceiver();
  const h = await healthRun(world(), 'health-restart');
  const file = healthTenant(hook.url);
  const id = file.tenantId;
  const handle = () => env.client.workflow.getHandle(healthWorkflowIdFor(id));
  try {
    await h.worker.runUntil(async () => {
      await h.onboard(file);
      await h.until(id, (x) => x.status === 'pending');
      const { runId } = await handle().describe();

      // Started again: the old checks stop (they would read the secrets this start replaces).
      await h.onboardings.start(file, { startedBy: { by: 'ops@acme.example', via: 'cli' } });
      // Polled, not awaited with result(): awaiting a result lets the server skip to the new run's reminder timers.
      const stopped = await h.until(id, (x) => x.status === 'stopped');
      expect(stopped.stopped).toMatchObject({ reason: 'a new onboarding started', by: 'ops@acme.example' });
      for (let i = 0; i < 50 && (await handle().describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await handle().describe()).status.name).toBe('COMPLETED');
      await expect(h.health.enable(id, { by: 'ops@acme.example' })).rejects.toThrow(
        /onboarding of .* is (running|waiting-for-human); its health checks start when it completes/,
      );

      // Cancelled: it never completes, so no health workflow starts; the stopped one stays the last.
      // (Once its automatic checks are done: the time-skipping server never skips time again while an
      // activity of a closed run is still scheduled.)
      for (let i = 0; i < 100 && (await h.onboardings.progress(id)).status !== 'waiting-for-human'; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await h.onboardings.cancel(id, { reason: 'wrong bot', by: 'ops@acme.example' })).run.status).toBe('cancelled');
      // Its run closes a moment after the cancel (src: workflows/onboarding.ts); only then is "never started" final.
      const onboarding = env.client.workflow.getHandle(workflowIdFor(id));
      for (let i = 0; i < 50 && (await onboarding.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await onboarding.describe()).status.name).toBe('COMPLETED');
      const last = await handle().describe();
      expect({ runId: last.runId, status: last.status.name }).toEqual({ runId, status: 'COMPLETED' });
      expect((await h.health.status(id)).status).toBe('stopped');
    });
  } finally {
    await hook.close();
  }
});
