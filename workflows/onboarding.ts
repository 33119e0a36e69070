import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { NotifyInput, OnboardingActivities, StepActivityInput } from '../src/domain/activity-contract';
import { NON_RETRYABLE_TYPES } from '../src/domain/activity-contract';
import { parseDuration } from '../src/domain/duration';
import { DEFAULT_ONBOARDING_OPTIONS, type OnboardingInput } from '../src/domain/messages';
import type { OnboardingStatus, Progress } from '../src/domain/progress';
import type { AutoStep, HumanStep, StepId } from '../src/domain/steps';
import { publicTenant } from '../src/domain/tenant';
import { OnboardingStatus as StatusAttr, OpenSteps, TenantId, WaitingOnHuman } from '../src/temporal/search-attributes';
import { cancelUpdate, completeStepSignal, completeStepUpdate, progressQuery, retryStepUpdate, skipStepUpdate } from './messages';
import { PATCHES } from './patches';
import { OnboardingState } from './state';
import { Refusal, stepIdOf, validateCancel, validateComplete, validateRetry, validateSkip } from './validators';

/** Calls to Kore.ai and Zoom: transient failures retry with backoff (RateLimited waits as told). */
const vendor = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE_TYPES },
});
/** Reminders: a few tries, then give up quietly (a missed reminder never blocks onboarding). */
const messenger = proxyActivities<Pick<OnboardingActivities, 'notify'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

export interface OnboardingResult {
  status: Extract<OnboardingStatus, 'completed' | 'cancelled'>;
  progress: Progress;
}

const nowIso = () => new Date(Date.now()).toISOString();

/** The failure's own message, not Temporal's wrapping ("Activity task failed"). */
function reason(err: unknown): string {
  let e: unknown = err;
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  const message = e instanceof Error ? e.message : String(e);
  return err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED' ? `${message} (gave up after retries)` : message;
}

const asFailure = (err: unknown): never => {
  if (err instanceof Refusal) throw ApplicationFailure.create({ type: err.code, message: err.message, details: [err.fields], nonRetryable: true });
  throw err;
};

/**
 * One tenant's onboarding: walks the step catalogue, runs automatic steps as activities, waits for
 * people on human steps (with reminders), verifies their claims, and never fails over a fixable
 * problem: such a step needs attention until someone retries it.
 */
export async function tenantOnboarding(input: OnboardingInput): Promise<OnboardingResult> {
  const tenant = input.tenant;
  const state = new OnboardingState(publicTenant(tenant), nowIso());
  const reminders = {
    firstAfter: parseDuration(tenant.reminders.firstAfter),
    every: parseDuration(tenant.reminders.every),
    escalateAfter: parseDuration(tenant.reminders.escalateAfter),
  };
  const options = { ...DEFAULT_ONBOARDING_OPTIONS, ...input.options };
  const summaryPoll = parseDuration(options.summaryPollInterval);
  const summaryLimit = parseDuration(options.summaryWaitLimit);
  const running = new Map<StepId, CancellationScope>();

  const activityInput = (id: StepId): StepActivityInput => ({
    tenant,
    since: state.step(id).openedAt ?? nowIso(),
    evidence: state.evidenceByStep(),
    results: state.resultsByStep(),
    skipped: state.skipped(),
  });

  // ---- automatic steps
  async function runAuto(def: AutoStep): Promise<void> {
    const st = state.step(def.id);
    st.state = 'running';
    st.startedAt = nowIso();
    st.lastError = undefined;
    st.attempts += 1;
    state.changed();
    const scope = new CancellationScope();
    running.set(def.id, scope);
    try {
      const deadline = Date.now() + summaryLimit;
      let wait = summaryPoll;
      for (;;) {
        const r = await scope.run(() => vendor[def.activity](activityInput(def.id)));
        if (r.status === 'done') {
          st.result = r.result;
          st.state = 'done';
          st.completedAt = nowIso();
          st.completedBy = 'kore-zcc-onboarding';
          break;
        }
        // Waiting on the outside world (the summary takes minutes): ask again, less often each time.
        if (Date.now() + wait > deadline) {
          st.state = 'needs-attention';
          st.lastError = `${r.message} (still not there after ${options.summaryWaitLimit}; retry when it should be)`;
          break;
        }
        st.lastError = r.message;
        state.changed();
        await scope.run(() => sleep(wait));
        wait = Math.min(wait * 1.5, summaryPoll * 5);
      }
    } catch (err) {
      if (isCancellation(err) && (st.state as string) === 'skipped') return; // skipped while it ran
      if (isCancellation(err) && state.cancelled) return;
      st.state = 'needs-attention';
      st.lastError = reason(err);
      log.warn('step needs attention', { stepId: def.id, error: st.lastError });
    } finally {
      running.delete(def.id);
      state.changed();
    }
  }

  // ---- telling the owner
  /** A reminder, escalation or completion notice: logged, and posted when the tenant has a webhook; a missed one never blocks the run. */
  function tellOwner(n: Pick<NotifyInput, 'kind' | 'stepId' | 'stepTitle' | 'waitedMs' | 'firstInstruction'>): Promise<unknown> {
    const { tenantId, displayName, contacts } = tenant;
    return messenger
      .notify({ tenantId, displayName, owner: contacts.owner, webhookUrl: contacts.notifyWebhookUrl, ...n })
      .catch((err) => log.warn(`${n.kind} notice not delivered`, { stepId: n.stepId, error: reason(err) }));
  }

  // ---- human steps
  function openHuman(def: HumanStep): void {
    const st = state.step(def.id);
    st.state = 'open';
    st.openedAt = nowIso();
    st.opening += 1;
    state.changed();
    void remind(def, st.opening);
  }

  /** Reminds after `firstAfter`, then every `every`; escalates once after `escalateAfter`. */
  async function remind(def: HumanStep, opening: number): Promise<void> {
    const st = state.step(def.id);
    const openedAt = Date.now();
    const stillWaiting = () => st.opening === opening && (st.state === 'open' || st.state === 'waiting-for-human') && !state.cancelled;
    let nextReminder = reminders.firstAfter;
    for (;;) {
      const wakeAfter = Math.min(nextReminder, st.escalated ? Infinity : reminders.escalateAfter) - (Date.now() - openedAt);
      const resolved = await condition(() => !stillWaiting(), Math.max(1, wakeAfter));
      if (resolved || !stillWaiting()) return;
      const waited = Date.now() - openedAt;
      const kinds: Array<'reminder' | 'escalation'> = [];
      if (!st.escalated && waited >= reminders.escalateAfter) {
        st.escalated = true;
        kinds.push('escalation');
      }
      if (waited >= nextReminder) {
        st.reminders += 1;
        st.state = 'waiting-for-human';
        nextReminder += reminders.every;
        kinds.push('reminder');
      }
      state.changed();
      for (const kind of kinds) {
        await tellOwner({ kind, stepId: def.id, stepTitle: def.title, waitedMs: waited, firstInstruction: def.instructions(state.instructionContext())[0] ?? '' });
      }
    }
  }

  async function complete(def: HumanStep, evidence: Record<string, unknown>, by: string): Promise<void> {
    const st = state.step(def.id);
    st.evidence = evidence;
    st.completedBy = by;
    st.attempts += 1;
    const verifier = def.verifier && (!def.verifier.when || def.verifier.when(state.tenant)) ? def.verifier : undefined;
    if (!verifier) {
      st.state = 'done';
      st.completedAt = nowIso();
      st.lastError = undefined;
      state.changed();
      return;
    }
    st.state = 'verifying';
    state.changed();
    try {
      const verdict = await vendor[verifier.activity]({ ...activityInput(def.id), stepId: def.id, claim: evidence });
      if (verdict.ok) {
        st.state = 'done';
        st.completedAt = nowIso();
        st.result = verdict.result;
        st.lastError = undefined;
      } else {
        // The claim did not hold: the step reopens with what we found.
        st.state = 'open';
        st.lastError = verdict.message;
        st.completedBy = undefined;
      }
    } catch (err) {
      st.state = 'needs-attention';
      st.lastError = reason(err);
      st.completedBy = undefined;
    }
    state.changed();
  }

  // ---- messages
  setHandler(progressQuery, () => state.progress());

  setHandler(
    completeStepUpdate,
    (msg) =>
      refusing(async () => {
        const { def, evidence, input: m } = validateComplete(state, msg);
        await complete(def, evidence, m.by);
        return state.stepProgress(def);
      }),
    { validator: (msg) => void attempt(() => validateComplete(state, msg)) },
  );

  setHandler(completeStepSignal, async (msg) => {
    try {
      const { def, evidence, input: m } = validateComplete(state, msg);
      await complete(def, evidence, m.by);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      const by = typeof (msg as { by?: unknown })?.by === 'string' ? String((msg as { by: string }).by).slice(0, 120) : '?';
      state.rejections.push({ at: nowIso(), stepId: String(stepIdOf(msg)).slice(0, 80), by, via: 'signal', message: err.message });
      state.changed();
    }
  });

  setHandler(
    retryStepUpdate,
    (msg) =>
      refusing(async () => {
        const { def } = validateRetry(state, msg);
        if (def.kind === 'auto') void runAuto(def);
        else openHuman(def);
        return state.stepProgress(def);
      }),
    { validator: (msg) => void attempt(() => validateRetry(state, msg)) },
  );

  setHandler(
    skipStepUpdate,
    (msg) =>
      refusing(async () => {
        const { def, input: m } = validateSkip(state, msg);
        const st = state.step(def.id);
        st.state = 'skipped';
        st.skipReason = m.reason;
        st.completedBy = m.by;
        st.completedAt = nowIso();
        running.get(def.id)?.cancel();
        state.changed();
        return state.stepProgress(def);
      }),
    { validator: (msg) => void attempt(() => validateSkip(state, msg)) },
  );

  setHandler(
    cancelUpdate,
    (msg) =>
      refusing(async () => {
        const m = validateCancel(state, msg);
        state.cancelled = { reason: m.reason, by: m.by };
        for (const scope of running.values()) scope.cancel();
        state.changed();
        return state.progress();
      }),
    { validator: (msg) => void attempt(() => validateCancel(state, msg)) },
  );

  // ---- the walk
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

  for (;;) {
    for (const def of state.ready()) {
      if (def.kind === 'auto') void runAuto(def);
      else openHuman(def);
    }
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
    await tellOwner({ kind: 'completed', stepId: 'place-test-call', stepTitle: 'the whole onboarding', waitedMs: Date.now() - workflowInfo().runStartTime.getTime(), firstInstruction: 'nothing left to do' });
  }
  log.info('onboarding finished', { tenantId: tenant.tenantId, status: state.status(), workflowId: workflowInfo().workflowId });
  return { status: state.cancelled ? 'cancelled' : 'completed', progress: state.progress() };
}

/** Validators throw ApplicationFailures so clients get the code and the per-field errors. */
function attempt(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    asFailure(err);
  }
}

/** A handler re-checks its rules (state may have moved since its validator ran) with the same refusals. */
function refusing<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch(asFailure);
}
