import { CancellationScope, isCancellation, log, sleep } from '@temporalio/workflow';
import type { NotifyInput, StepActivityInput } from '../src/domain/activity-contract';
import { digestOf } from '../src/domain/digest';
import { parseDuration } from '../src/domain/duration';
import { wouldAutomate, type AutoStep, type HumanStep, type StepDefinition, type StepId } from '../src/domain/steps';
import { publicTenant, type TenantInput } from '../src/domain/tenant';
import type { CarriedState, OnboardingOptions, ReminderPlan } from './contract';
import { failureType, messenger, reason, vendor } from './activities';
import { remindUntilDone } from './reminders';
import { AUTOMATION, type OnboardingState, type Reopening } from './state';

/**
 * How each kind of step is carried out: an automatic step runs its activity (asking again while the
 * outside world is not ready), a human step opens for its person (with reminders), and a person's
 * claim is verified by the step's verifier where it has one. State changes go through the state's
 * transitions only.
 */
export class StepRunner {
  /** Automatic steps in flight, so a skip or a cancel can stop them. */
  readonly #running = new Map<StepId, CancellationScope>();
  /** The open reminder loops' timers (./reminders.ts), carried when the run continues as new. */
  readonly reminderPlans = new Map<StepId, ReminderPlan>();
  /** Notices being posted: an activity in flight, like a running step. */
  #notifying = 0;
  readonly #summaryPoll: number;
  readonly #summaryLimit: number;
  readonly #approvalPoll: number;
  readonly #approvalLimit: number;

  constructor(
    readonly state: OnboardingState,
    /** The tenant with its secret references; replaced by amend(), so later activities see the amendment. */
    public tenant: TenantInput,
    readonly options: OnboardingOptions,
  ) {
    this.#summaryPoll = parseDuration(options.summaryPollInterval);
    this.#summaryLimit = parseDuration(options.summaryWaitLimit);
    this.#approvalPoll = parseDuration(options.approvalPollInterval ?? '1m');
    this.#approvalLimit = parseDuration(options.approvalWaitLimit ?? '3d');
  }

  /**
   * A step whose dependencies are finished (or that is retried) starts: an automatic step runs, a
   * console step an API can do runs by API when this run decides so (a retry decides again), and
   * any other opens for its person.
   */
  start(def: StepDefinition): void {
    if (def.kind === 'auto') return void this.runAuto(def);
    if (def.automation && this.state.decideMode(def, { again: this.state.step(def.id as StepId).state === 'needs-attention' }).mode === 'auto')
      return void this.runAuto(def);
    this.openHuman(def);
  }

  /** What an activity is handed; `since` is when the step opened for its person or, done by API, started. */
  #activityInput(id: StepId, by: 'person' | 'api'): StepActivityInput {
    const s = this.state;
    const st = s.step(id);
    return {
      tenant: this.tenant,
      since: (by === 'api' ? st.startedAt : st.openedAt) ?? new Date(Date.now()).toISOString(),
      evidence: s.evidenceByStep(),
      results: s.resultsByStep(),
      skipped: s.skipped(),
    };
  }

  /**
   * Runs a step's activity: an automatic step's, or the API that does a console step (then the
   * step's verifier checks the work as it checks a person's claim). While the outside world is not
   * ready (a summary takes minutes, a publish awaits approval) it asks again, less often each time;
   * the round's `checkpoint` goes back to the activity so it does not act twice. A permission the
   * API refuses (ScopeMissing) hands a console step to its person.
   */
  async runAuto(def: AutoStep | HumanStep): Promise<void> {
    const id = def.id as StepId;
    const { state } = this;
    const activity = def.kind === 'auto' ? def.activity : def.automation!.activity;
    state.markRunning(id);
    const scope = new CancellationScope();
    this.#running.set(id, scope);
    try {
      let deadline = Date.now() + this.#summaryLimit;
      let [wait, cap, limit] = [this.#summaryPoll, this.#summaryPoll * 5, this.options.summaryWaitLimit];
      let checkpoint: Record<string, unknown> | undefined;
      for (;;) {
        const r = await scope.run(() => vendor[activity]({ ...this.#activityInput(id, 'api'), ...(checkpoint ? { checkpoint } : {}) }));
        if (r.status === 'done') {
          if (def.kind === 'human') return await scope.run(() => this.#verifyApiWork(def, r.result));
          state.markDone(id, { result: r.result, by: AUTOMATION });
          return this.#verdict('run-step', id, 'passed', { digest: digestOf(r.result ?? {}) });
        }
        checkpoint = r.checkpoint;
        if (r.awaiting === 'approval' && state.step(id).state !== 'awaiting-approval') {
          // An administrator's approval takes hours or days: its own, longer wait.
          deadline = Date.now() + this.#approvalLimit;
          [wait, cap, limit] = [this.#approvalPoll, this.#approvalPoll * 15, this.options.approvalWaitLimit ?? '3d'];
        }
        if (Date.now() + wait > deadline) {
          state.needsAttention(id, `${r.message} (still not there after ${limit}; retry when it should be)`);
          return this.#verdict('run-step', id, 'needs-attention', { message: state.step(id).lastError });
        }
        state.stillWaiting(id, r.message, r.awaiting === 'approval' ? 'awaiting-approval' : 'running');
        await scope.run(() => sleep(wait));
        wait = Math.min(wait * 1.5, cap);
      }
    } catch (err) {
      // Skipped or cancelled while it ran: that transition already said so.
      if (isCancellation(err) && (state.step(id).state === 'skipped' || state.cancelled)) return;
      if (def.kind === 'human' && failureType(err) === 'ScopeMissing') return this.#handToPerson(def, reason(err));
      state.needsAttention(id, reason(err));
      this.#verdict('run-step', id, 'needs-attention', { message: state.step(id).lastError });
      log.warn('step needs attention', { stepId: id, error: state.step(id).lastError });
    } finally {
      this.#running.delete(id);
    }
  }

  /** The API did a console step: the step's verifier checks it as it would a person's claim. */
  async #verifyApiWork(def: HumanStep, result: Record<string, unknown>): Promise<void> {
    const id = def.id as StepId;
    const { state } = this;
    const verifier = def.verifier && (!def.verifier.when || def.verifier.when(state.tenant)) ? def.verifier : undefined;
    this.#verdict('run-step', id, 'passed', { digest: digestOf(result) });
    if (!verifier) return state.markDone(id, { result, by: AUTOMATION });
    state.markVerifying(id);
    const verdict = await vendor[verifier.activity]({ ...this.#activityInput(id, 'api'), stepId: id, claim: {} });
    if (verdict.ok) {
      state.markDone(id, { result: { ...result, verified: verdict.result }, by: AUTOMATION });
      this.#verdict('verify', id, 'passed', { digest: digestOf(verdict.result ?? {}) });
    } else {
      state.needsAttention(id, `done by API, but the check found: ${verdict.message}`);
      this.#verdict('verify', id, 'failed', { message: verdict.message });
    }
  }

  /** The API refused for a permission: the step's person does it this time, told what would automate it next time. */
  #handToPerson(def: HumanStep, refusal: string): void {
    const id = def.id as StepId;
    this.state.handToPerson(id, `the API refused (${refusal}), so a person does it this time; ${wouldAutomate(def)} next time`);
    this.#verdict('run-step', id, 'needs-attention', { message: `handed to a person: ${refusal}` });
    log.info('step handed to a person', { stepId: id, error: refusal });
    this.openHuman(def);
  }

  openHuman(def: HumanStep): void {
    const opening = this.state.open(def.id as StepId);
    void remindUntilDone(this, def, opening);
  }

  /**
   * No activity of ours in flight (no automatic step running or polling, no notice being posted):
   * with no handler running either (the walk checks), the run may continue as new here and lose
   * nothing. Human steps waiting on people have only timers, which are carried.
   */
  idle(): boolean {
    return this.#running.size === 0 && this.#notifying === 0;
  }

  /** The reminder loops of the steps still waiting on a person, for the next run. */
  reminderSnapshot(): CarriedState['reminders'] {
    const out: CarriedState['reminders'] = {};
    for (const [id, plan] of this.reminderPlans) if (this.state.isWaitingOnPerson(id) && this.state.step(id).opening === plan.opening) out[id] = { ...plan };
    return out;
  }

  /** In a continued run: the steps waiting on a person get their reminder loops back, with the time they had left. */
  resumeReminders(plans: CarriedState['reminders']): void {
    for (const def of this.state.steps) {
      const id = def.id as StepId;
      if (def.kind !== 'human' || !this.state.isWaitingOnPerson(id)) continue;
      const plan = plans[id];
      void remindUntilDone(this, def, this.state.step(id).opening, plan?.opening === this.state.step(id).opening ? plan : undefined);
    }
  }

  /** A person's claim: done on their word, or checked by the step's verifier first. */
  async complete(def: HumanStep, evidence: Record<string, unknown>, by: string): Promise<void> {
    const id = def.id as StepId;
    const { state } = this;
    state.claim(id, evidence, by);
    const verifier = def.verifier && (!def.verifier.when || def.verifier.when(state.tenant)) ? def.verifier : undefined;
    if (!verifier) return state.markDone(id);
    state.markVerifying(id);
    try {
      const verdict = await vendor[verifier.activity]({ ...this.#activityInput(id, 'person'), stepId: id, claim: evidence });
      if (verdict.ok) {
        state.markDone(id, { result: verdict.result });
        this.#verdict('verify', id, 'passed', { digest: digestOf(verdict.result ?? {}) });
      } else {
        state.rejectClaim(id, verdict.message);
        this.#verdict('verify', id, 'failed', { message: verdict.message });
      }
    } catch (err) {
      state.needsAttention(id, reason(err));
      this.#verdict('verify', id, 'needs-attention', { message: state.step(id).lastError });
    }
  }

  /** What the automation did or found, in the audit trail (a verifier's result by digest: the record shows it in full). */
  #verdict(action: 'verify' | 'run-step', stepId: StepId, outcome: 'passed' | 'failed' | 'needs-attention', more: { digest?: string; message?: string }): void {
    this.state.audit({ action, outcome, stepId, by: AUTOMATION, byVerified: true, channel: 'workflow', ...more });
  }

  /** Finished steps go back; those whose dependencies are finished start again now (the walk starts the rest later). */
  reopen(ids: readonly StepId[], why: Reopening): void {
    this.state.reopen(ids, why);
    this.#restart(ids);
  }

  /** The tenant changes for every later activity and instruction; the steps that read a changed field go back. */
  amend(tenant: TenantInput, a: { fields: string[]; reopened: StepId[]; reason: string; by: string }): void {
    this.tenant = tenant;
    this.state.amendTenant(publicTenant(tenant), a);
    this.#restart(a.reopened);
  }

  #restart(ids: readonly StepId[]): void {
    const ready = new Set(this.state.ready().map((d) => d.id));
    for (const id of ids) if (ready.has(id)) this.start(this.state.catalogue.get(id)!);
  }

  skip(def: StepDefinition, why: string, by: string): void {
    this.state.skip(def.id as StepId, why, by);
    this.#running.get(def.id as StepId)?.cancel();
  }

  cancel(why: string, by: string): void {
    this.state.cancel(why, by);
    for (const scope of this.#running.values()) scope.cancel();
  }

  /** A reminder, escalation or completion notice: logged, and posted when the tenant has a webhook; a missed one never blocks the run. */
  tellOwner(n: Pick<NotifyInput, 'kind' | 'stepId' | 'stepTitle' | 'waitedMs' | 'firstInstruction'>): Promise<unknown> {
    const { tenantId, displayName, contacts } = this.tenant;
    this.#notifying += 1;
    return messenger
      .notify({ tenantId, displayName, owner: contacts.owner, webhookUrl: contacts.notifyWebhookUrl, ...n })
      .catch((err) => log.warn(`${n.kind} notice not delivered`, { stepId: n.stepId, error: reason(err) }))
      .finally(() => (this.#notifying -= 1));
  }
}
