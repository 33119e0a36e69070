import { allHandlersFinished, condition, log, patched, sleep, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { digestOf } from '../src/domain/digest';
import { catalogue, UNVERSIONED_CATALOGUE } from '../src/domain/steps';
import { publicTenant } from '../src/domain/tenant';
import { AUDIT_MEMO_KEY, DEFAULT_ONBOARDING_OPTIONS, type OnboardingInput, type OnboardingStatus, type Progress } from './contract';
import { OnboardingStatus as StatusAttr, OpenSteps, TenantId, WaitingOnHuman } from './contract/search-attributes';
import { installHandlers } from './handlers';
import { PATCHES } from './patches';
import { OnboardingState } from './state';
import { StepRunner } from './steps';

export interface OnboardingResult {
  status: Extract<OnboardingStatus, 'completed' | 'cancelled'>;
  progress: Progress;
}

/**
 * One tenant's onboarding: walks the step catalogue it started with, starting each step once its
 * dependencies are finished (automatic steps as activities, human steps waiting for people with
 * reminders, claims verified by API), and never fails over a fixable problem: such a step needs
 * attention until someone retries it.
 */
export async function tenantOnboarding(input: OnboardingInput): Promise<OnboardingResult> {
  const { tenant } = input;
  const state = new OnboardingState(publicTenant(tenant), new Date(Date.now()).toISOString(), catalogue(input.catalogueVersion ?? UNVERSIONED_CATALOGUE));
  const run = new StepRunner(state, tenant, { ...DEFAULT_ONBOARDING_OPTIONS, ...input.options });
  // Each audit entry also goes into history as a memo upsert of that entry alone, where readers
  // page through it without a query. New commands, so only for runs started on this code.
  if (patched(PATCHES.auditTrail)) state.onAudit = (entry) => upsertMemo({ [AUDIT_MEMO_KEY]: entry });
  installHandlers(run);
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

  // What lists filter on, upserted only when it changes.
  let upserted = '';
  const publish = () => {
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
    const seen = state.version;
    await condition(() => state.version !== seen);
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
      waitedMs: Date.now() - workflowInfo().runStartTime.getTime(),
      firstInstruction: 'nothing left to do',
    });
  }
  log.info('onboarding finished', { tenantId: tenant.tenantId, status: state.status(), workflowId: workflowInfo().workflowId });
  return { status: state.cancelled ? 'cancelled' : 'completed', progress: state.progress() };
}
