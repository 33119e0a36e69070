import { healthWorkflowIdFor } from '../../workflows/health/contract';
import { HealthConflict, type HealthView } from '../../src/app';
import { healthRun, healthTenant } from '../support/health-world';
import { reminderWorld, webhookReceiver } from '../support/reminder-world';

/**
 * A live tenant's health checks on the time-skipping server: started by its completed onboarding,
 * daily on the workflow's own timer, the owner told once when a check gets worse, state carried
 * across continue-as-new; a disabled tenant not checked; stopped by offboarding (by a new
 * onboarding, and never started by a cancelled one: health-stop.test.ts). Each drift scenario,
 * enable and run-now: test/integration/health.test.ts, on the dev server.
 */
const world = reminderWorld('onboard-health-');

const notOk = (v: HealthView) => v.results.filter((r) => r.outcome !== 'ok').map((r) => `${r.check}=${r.outcome}`);

it('a week of daily runs: one drift mid-week fails the right check, tells the owner once, recovers after the fix, and continues as new on the way; a disabled tenant is not checked; offboarding stops the checks', async () => {
  const { env } = world();
  const hook = await webhookReceiver();
  const h = await healthRun(world(), 'health');
  const file = healthTenant(hook.url);
  const id = file.tenantId;
  const paused = healthTenant(hook.url);
  const healthNotices = () => hook.posts.filter((p) => p.kind === 'health');
  const handle = () => env.client.workflow.getHandle(healthWorkflowIdFor(id));
  try {
    await h.worker.runUntil(async () => {
      // Everything that sends an Update comes before the first skip: the time-skipping server stops
      // answering Updates once its clock is ahead of the real one (the dev-server test covers them after).
      expect((await h.onboard(paused)).status).toBe('completed');
      await h.until(paused.tenantId, (x) => x.status === 'pending');
      expect(await h.health.disable(paused.tenantId, { by: 'ops@acme.example' })).toMatchObject({ enabled: false, status: 'disabled' });

      expect((await h.onboard(file)).status).toBe('completed');
      // The completed onboarding started the tenant's health checks (a child it abandoned), first run a day later.
      let v = await h.until(id, (x) => x.status === 'pending');
      expect(v).toMatchObject({ enabled: true, every: '1d', runs: 0, notChecked: [] });
      const firstRunId = (await handle().describe()).runId;

      // Seven days, a call a day; Conversation Summary switched off on day 3, on again on day 5.
      for (let day = 1; day <= 7; day++) {
        if (day === 3) await h.consoles.setConversationSummary(file.kore.botId, false);
        if (day === 5) await h.consoles.setConversationSummary(file.kore.botId, true);
        expect((await h.call(file)).reached).toBe('bot');
        await env.sleep('1 day');
        v = await h.until(id, (x) => x.runs === day);
        if (day === 3) {
          expect(notOk(v)).toEqual(['summaries=failing']);
          expect(v.results.find((r) => r.check === 'summaries')!.answer).toMatch(/no XO GPT summary .*Conversation Summary may be off/);
          // Observation only (the app has no describe()): what `HealthStatus='failing'` lists.
          expect((await handle().describe()).searchAttributes.HealthStatus).toEqual(['failing']);
        } else if (day === 4) expect(notOk(v)).toEqual(['summaries=failing']);
        else expect(notOk(v)).toEqual([]);
      }
      expect(v.trend.map((t) => t.status)).toEqual(['ok', 'ok', 'failing', 'failing', 'ok', 'ok', 'ok']);
      expect(v.trend[2]).toMatchObject({ failing: ['summaries'], warning: [] });
      expect(v.status).toBe('ok');
      expect((await handle().describe()).searchAttributes.HealthStatus).toEqual(['ok']);
      // Once, on the day it got worse; not on day 4, not on the recovery.
      expect(healthNotices()).toHaveLength(1);
      expect(healthNotices()[0]!.text).toMatch(new RegExp(`^Health: Acme Corp \\(${id}\\) got worse: summaries is failing .*no XO GPT summary`));
      expect(v.notices).toEqual([expect.objectContaining({ checks: ['summaries'], delivered: true })]);
      // A year of days would not fit one history: it continued as new on the way, carrying trend and notices.
      expect((await handle().describe()).runId).not.toBe(firstRunId);

      // The disabled tenant was never checked, and lists show it as disabled.
      expect(await h.health.status(paused.tenantId)).toMatchObject({ runs: 0, status: 'disabled', enabled: false });

      // Offboarding stops the checks (before the secrets go), and they cannot be enabled again.
      await h.onboardings.offboard(id, { reason: 'contract ended', by: 'ops@acme.example' });
      expect((await h.until(id, (x) => x.status === 'stopped')).stopped).toMatchObject({ by: 'ops@acme.example', reason: 'offboarded: contract ended' });
      expect((await handle().describe()).status.name).toBe('COMPLETED');
      expect((await handle().describe()).searchAttributes.HealthStatus).toEqual(['stopped']);
      await expect(h.health.enable(id, { by: 'ops@acme.example' })).rejects.toThrow(HealthConflict);
      await expect(h.health.status(id)).resolves.toMatchObject({ status: 'stopped', runs: 7 });
    });
  } finally {
    await hook.close();
  }
});
