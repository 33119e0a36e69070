import { condition } from '@temporalio/workflow';
import { parseDuration } from '../src/domain/duration';
import type { HumanStep, StepId } from '../src/domain/steps';
import type { ReminderPlan } from './contract';
import { AUTOMATION } from './state';
import type { StepRunner } from './steps';

/**
 * While a human step waits for its person: remind the owner after `firstAfter`, then every
 * `every`, and escalate once after `escalateAfter`. Ends when the step is no longer waiting (done,
 * skipped, reopened: `opening` tells this loop it is stale) or the run is cancelled. `carried`:
 * the plan of the loop a run before continued-as-new left, so its timers go on with the time left.
 */
export async function remindUntilDone(run: StepRunner, def: HumanStep, opening: number, carried?: ReminderPlan): Promise<void> {
  const { state } = run;
  const id = def.id as StepId;
  const r = run.tenant.reminders;
  const firstAfter = parseDuration(r.firstAfter);
  const every = parseDuration(r.every);
  const escalateAfter = parseDuration(r.escalateAfter);
  const openedAt = carried?.since ?? Date.now();
  const stillWaiting = () => state.step(id).opening === opening && state.isWaitingOnPerson(id) && !state.cancelled;
  // Kept where the runner can see it: a run that continues as new carries it on.
  const plan: ReminderPlan = { opening, since: openedAt, nextReminder: carried?.nextReminder ?? firstAfter };
  run.reminderPlans.set(id, plan);
  try {
    await loop();
  } finally {
    if (run.reminderPlans.get(id) === plan) run.reminderPlans.delete(id);
  }

  async function loop(): Promise<void> {
    let nextReminder = plan.nextReminder;
    for (;;) {
      const wakeAfter = Math.min(nextReminder, state.step(id).escalated ? Infinity : escalateAfter) - (Date.now() - openedAt);
      const resolved = await condition(() => !stillWaiting(), Math.max(1, wakeAfter));
      if (resolved || !stillWaiting()) return;
      const waited = Date.now() - openedAt;
      const kinds: Array<'reminder' | 'escalation'> = [];
      if (!state.step(id).escalated && waited >= escalateAfter) {
        state.escalate(id);
        kinds.push('escalation');
      }
      if (waited >= nextReminder) {
        state.remind(id);
        nextReminder += every;
        plan.nextReminder = nextReminder;
        kinds.push('reminder');
      }
      for (const kind of kinds) {
        state.audit({
          action: kind === 'reminder' ? 'remind' : 'escalate',
          outcome: 'accepted',
          stepId: id,
          by: AUTOMATION,
          byVerified: true,
          channel: 'workflow',
        });
        await run.tellOwner({
          kind,
          stepId: id,
          stepTitle: def.title,
          waitedMs: waited,
          firstInstruction: def.instructions(state.instructionContext())[0] ?? '',
        });
      }
    }
  }
}
