import { z } from 'zod';
import { lazySchema } from '../../src/domain/lazy-schema';
import { Progress, ShownTenant, StepProgress, StepState } from './progress';

/**
 * What a run's memo holds, set by the starter: the Zoom account, so the Zoom webhook can find an
 * account's run without reading (decrypting) its input.
 */
export const OnboardingMemo = lazySchema(() => z.object({ zoomAccountId: z.string() }));
export type OnboardingMemo = z.infer<typeof OnboardingMemo>;

/**
 * The read model: the run's progress document and its summary, upserted into the memo (encrypted
 * by the payload codec like every payload) on each change of the run, at most once per workflow
 * task and only when something changed. Readers get them from describe() (progress) and from
 * visibility (the summary, with each row of a list) without the worker replaying the run.
 */
export const PROGRESS_MEMO_KEY = 'progress';
export const SUMMARY_MEMO_KEY = 'summary';

/**
 * The memo key of the steps waiting on people (patch `waiting-memo`), upserted when they change:
 * each step's state, since when it waits in it, and whether it was escalated. The API's /metrics
 * counts them by age from one visibility list, without asking each run. Step ids, states and
 * times only: nothing a person handed in.
 */
export const WAITING_MEMO_KEY = 'waiting';
export const WaitingStep = lazySchema(() => z.object({ state: StepState, since: z.string(), escalated: z.boolean() }));
export type WaitingStep = z.infer<typeof WaitingStep>;
export const WaitingMemo = lazySchema(() => z.record(z.string(), WaitingStep));
export type WaitingMemo = z.infer<typeof WaitingMemo>;

/**
 * The compact read model (patch `compact-read-model`): the progress document split over memo keys,
 * the run's own fields under RUN_MEMO_KEY (its `steps` the step ids in order), the tenant under
 * TENANT_MEMO_KEY and each step under STEP_MEMO_PREFIX + id. Each upsert carries only the keys
 * whose value changed, so a change to one step costs that step, not the whole document in history
 * (measured: 24 upserts of 28 KB each in one onboarding before). Readers put it back together
 * with progressFromMemo().
 */
export const RUN_MEMO_KEY = 'run';
export const TENANT_MEMO_KEY = 'tenant';
export const STEP_MEMO_PREFIX = 'step.';
/** The audit entries of one workflow task, upserted with the read model (the audit reader reads them from history). */
export const AUDIT_ENTRIES_MEMO_KEY = 'auditEntries';

export const RunDocument = lazySchema(() => Progress.omit({ steps: true, tenant: true }).extend({ steps: z.array(z.string()) }));
export type RunDocument = z.infer<typeof RunDocument>;

/** A run's progress from its memo: the compact layout when the run has it, else the whole document (runs from before). */
export function progressFromMemo(memo: Record<string, unknown>): Progress | undefined {
  const run = RunDocument.safeParse(memo[RUN_MEMO_KEY]);
  if (!run.success) {
    const whole = Progress.safeParse(memo[PROGRESS_MEMO_KEY]);
    return whole.success ? whole.data : undefined;
  }
  const steps: StepProgress[] = [];
  for (const id of run.data.steps) {
    const step = StepProgress.safeParse(memo[`${STEP_MEMO_PREFIX}${id}`]);
    if (!step.success) return undefined;
    steps.push(step.data);
  }
  const tenant = ShownTenant.safeParse(memo[TENANT_MEMO_KEY]);
  return { ...run.data, ...(tenant.success ? { tenant: tenant.data } : {}), steps };
}
