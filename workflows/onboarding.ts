import { allHandlersFinished, condition, continueAsNew, log, patched, sleep, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { digestOf } from '../src/domain/digest';
import { catalogue, UNVERSIONED_CATALOGUE } from '../src/domain/steps';
import { publicTenant } from '../src/domain/tenant';
import {
  AUDIT_MEMO_KEY,
  CarriedState,
  PROGRESS_MEMO_KEY,
  SUMMARY_MEMO_KEY,
  DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS,
  DEFAULT_ONBOARDING_OPTIONS,
  type OnboardingInput,
  type OnboardingStatus,
  type Progress,
  WAITING_MEMO_KEY,
  type WaitingMemo,
} from './contract';
import { OnboardingStatus as StatusAttr, OpenSteps, TenantId, WaitingOnHuman } from './contract/search-attributes';
import { installHandlers } from './handlers';
import { startHealth } from './health/start';
import { PATCHES } from './patches';
import { MemoPublisher } from './read-model';
import { plainInputGuard, refusePlainStart } from './plain-input';
import { OnboardingState } from './state';
import { nowIso } from './step-table';
import { StepRunner } from './steps';

export interface OnboardingResult {
  status: Extract<OnboardingStatus, 'completed' | 'cancelled'>;
  progress: Progress;
}

/**
 * One tenant's onboarding: walks the step catalogue it started with, starting each step once its
 * dependencies are finished (automatic steps as activities, human steps waiting for people with
 * reminders, claims verified by API), and never fails over a fixable problem: such a step needs
 * attention until someone retries it. A run that waits long continues as new before its history
 * grows large, carrying where it stands (`input.carried`).
 */
export async function tenantOnboarding(input: OnboardingInput): Promise<OnboardingResult> {
  // Sent without the payload codec: nothing in it is trusted (ONBOARD_REFUSE_PLAIN_INPUT).
  const plain = plainInputGuard();
  refusePlainStart(plain, input);
  const { tenant } = input;
  // Validated: it is what the run before handed on, and a wrong one must stop here, not mid-walk.
  const carried = input.carried && CarriedState.parse(input.carried);
  const state = new OnboardingState(publicTenant(tenant), new Date(Date.now()).toISOString(), catalogue(input.catalogueVersion ?? UNVERSIONED_CATALOGUE));
  if (carried) state.restore(carried);
  const options = { ...DEFAULT_ONBOARDING_OPTIONS, ...input.options };
  const run = new StepRunner(state, tenant, options);
  // The read model in one memo upsert per workflow task, of the keys that changed (./read-model.ts);
  // runs from before publish as they did (below). Asked first: the audit trail goes through it.
  const compact = patched(PATCHES.compactReadModel) ? new MemoPublisher(!carried) : undefined;
  // Each audit entry also goes into history as a memo upsert (of that entry alone, before the
  // compact read model), where readers page through it without a query. New commands, so only for
  // runs started on this code.
  if (compact) state.onAudit = (entry) => compact.audit(entry);
  else if (patched(PATCHES.auditTrail)) state.onAudit = (entry) => upsertMemo({ [AUDIT_MEMO_KEY]: entry });
  installHandlers(run, plain);
  if (carried) run.resumeReminders(carried.reminders);
  else {
    const starter = input.startedBy;
    state.audit({
      action: 'start',
      outcome: 'accepted',
      channel: 'start',
      by: starter?.by ?? 'unknown',
      via: starter?.via,
      byVerified: starter?.byVerified ?? false,
      digest: digestOf(state.tenant),
    });
  }

  // Continue as new once the history is long (or Temporal suggests it), at a point where nothing
  // is in flight: no handler running (a verification, a cancel), no activity of ours. Runs from
  // before this change never do (the patch), so their histories replay as they ran.
  const limit = options.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS;
  let mayContinue = true;
  const longEnough = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;
  const shouldContinue = () => mayContinue && longEnough() && allHandlersFinished() && run.idle();

  // Resolves at the SDK's next pass over blocked conditions, which comes after every microtask
  // queued so far has run (a condition true at once would resolve within them).
  const settled = () => {
    let passed = false;
    const next = condition(() => passed);
    passed = true;
    return next;
  };

  // The read model (progress and summary in the memo), upserted when the run changed since the last
  // one; new commands, so only for runs started on this code.
  let readModelAt = -1;
  const readModel = compact !== undefined || patched(PATCHES.readModel);
  // The steps waiting on people for /metrics, upserted only when they change. New commands, so
  // behind a patch: a run from before takes it at its first change on this code, never in replay.
  // A run continued as new may hold the memo its predecessor left: publish its first view whatever it is.
  let waitingUpserted = carried ? '' : '{}';
  let waiting: WaitingMemo = {};
  const publishWaiting = () => {
    const next: WaitingMemo = {};
    for (const id of state.waitingOnPeople()) {
      const row = state.step(id);
      const before = waiting[id];
      // A person's step waits since it opened (kept across continue-as-new); other waits since this run saw them start.
      const since =
        (row.state === 'open' || row.state === 'waiting-for-human') && row.openedAt ? row.openedAt : before?.state === row.state ? before.since : nowIso();
      next[id] = { state: row.state, since, escalated: row.escalated };
    }
    waiting = next;
    if (compact) return compact.waiting(next);
    const key = JSON.stringify(next);
    if (key === waitingUpserted || !patched(PATCHES.waitingMemo)) return;
    waitingUpserted = key;
    upsertMemo({ [WAITING_MEMO_KEY]: next });
  };

  // What lists filter on, upserted only when it changes.
  let upserted = '';
  const publish = () => {
    if (readModel && state.version !== readModelAt) {
      readModelAt = state.version;
      if (compact) compact.progress(state.progress(), state.summary());
      else upsertMemo({ [PROGRESS_MEMO_KEY]: state.progress(), [SUMMARY_MEMO_KEY]: state.summary() });
    }
    publishWaiting();
    compact?.flush();
    const values = { status: state.status(), open: state.openSteps(), waiting: state.waitingOnHuman() };
    const key = JSON.stringify(values);
    if (key === upserted) return;
    upserted = key;
    upsertSearchAttributes([
      { key: TenantId, value: tenant.tenantId },
      { key: StatusAttr, value: values.status },
      { key: OpenSteps, value: values.open },
      { key: WaitingOnHuman, value: values.waiting },
    ]);
  };

  // The walk: start what is ready, publish, wait for the next change.
  for (;;) {
    for (const def of state.ready()) run.start(def);
    publish();
    if (state.cancelled || state.allFinished()) break;
    if (shouldContinue()) {
      // The SDK checks conditions between an activation's jobs, before the code a fired timer
      // resumes has run: a reminder in this same task may be about to post its notice. Let that
      // code run, then look again, so no activity is scheduled and abandoned by the new run.
      await settled();
      if (!shouldContinue()) continue;
      if (patched(PATCHES.continueAsNew)) {
        // What handlers or timers audited while we settled goes into this run's history, not lost.
        compact?.flush();
        log.info('onboarding continues as new', { tenantId: tenant.tenantId, run: state.run, historyLength: workflowInfo().historyLength });
        // The amended tenant (with its secret references), so later activities see the amendment.
        await continueAsNew<typeof tenantOnboarding>({
          tenant: run.tenant,
          options: input.options,
          ...(input.catalogueVersion !== undefined ? { catalogueVersion: input.catalogueVersion } : {}),
          ...(input.startedBy ? { startedBy: input.startedBy } : {}),
          carried: state.snapshot(run.reminderSnapshot()),
        });
      }
      mayContinue = false;
    }
    const seen = state.version;
    await condition(() => state.version !== seen || shouldContinue());
  }
  // Let in-flight handlers (a verification, a cancel) finish before the run closes.
  await condition(allHandlersFinished);
  // After a cancel, close in a later workflow task: activities cancelled a moment ago may still
  // report back, and completing in the same task as the cancel Update would race those events.
  if (state.cancelled) await sleep('1 second');
  publish();
  // Added after runs were already in flight: those replay without this notice (see ./patches.ts).
  if (!state.cancelled && patched(PATCHES.completionNotice)) {
    await run.tellOwner({
      kind: 'completed',
      stepId: 'place-test-call',
      stepTitle: 'the whole onboarding',
      // Since the onboarding began: a continued run started later than that.
      waitedMs: Date.now() - (carried ? Date.parse(state.startedAt) : workflowInfo().runStartTime.getTime()),
      firstInstruction: 'nothing left to do',
    });
  }
  // The tenant's health checks from here on. Added after runs were already in flight: those finish without them.
  if (!state.cancelled && patched(PATCHES.healthChecks)) await startHealth(run.tenant, state.progress(), input.options?.health);
  // The notice and the health start may have audited since the last publish.
  compact?.flush();
  log.info('onboarding finished', { tenantId: tenant.tenantId, status: state.status(), workflowId: workflowInfo().workflowId });
  return { status: state.cancelled ? 'cancelled' : 'completed', progress: state.progress() };
}
