import { CancellationScope, isCancellation, log, sleep } from '@temporalio/workflow';
import type { NotifyInput, StepActivityInput } from '../src/domain/activity-contract';
import { digestOf } from '../src/domain/digest';
import { parseDuration } from '../src/domain/duration';
import type { AutoStep, HumanStep, StepDefinition, StepId } from '../src/domain/steps';
import { publicTenant, type TenantInput } from '../src/domain/tenant';
import type { CarriedState, OnboardingOptions, ReminderPlan } from './contract';
import { messenger, reason, vendor } from './activities';
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

  constructor(
    readonly state: OnboardingState,
    /** The tenant with its secret references; replaced by amend(), so later activities see the amendment. */
    public tenant: TenantInput,
    readonly options: OnboardingOptions,
  ) {
    this.#summaryPoll = parseDuration(options.summaryPollInterval);
    this.#summaryLimit = parseDuration(options.summaryWaitLimit);
  }

  /** A step whose dependencies are finished (or that is retried) starts. */
  start(def: StepDefinition): void {
    if (def.kind === 'auto') void this.runAuto(def);
    else this.openHuman(def);
  }

  #activityInput(id: StepId): StepActivityInput {
    const s = this.state;
    return {
      tenant: this.tenant,
      since: s.step(id).openedAt ?? new Date(Date.now()).toISOString(),
      evidence: s.evidenceByStep(),
      results: s.resultsByStep(),
      skipped: s.skipped(),
    };
  }

  async runAuto(def: AutoStep): Promise<void> {
    const id = def.id as StepId;
    const { state } = this;
    state.markRunning(id);
    const scope = new CancellationScope();
    this.#running.set(id, scope);
    try {
      const deadline = Date.now() + this.#summaryLimit;
      let wait = this.#summaryPoll;
      for (;;) {
        const r = await scope.run(() => vendor[def.activity](this.#activityInput(id)));
        if (r.status === 'done') {
          state.markDone(id, { result: r.result, by: AUTOMATION });
          return this.#verdict('run-step', id, 'passed', { digest: digestOf(r.result ?? {}) });
        }
        // Waiting on the outside world (the summary takes minutes): ask again, less often each time.
        if (Date.now() + wait > deadline) {
          state.needsAttention(id, `${r.message} (still not there after ${this.options.summaryWaitLimit}; retry when it should be)`);
          return this.#verdict('run-step', id, 'needs-attention', { message: state.step(id).lastError });
        }
        state.stillWaiting(id, r.message);
        await scope.run(() => sleep(wait));
        wait = Math.min(wait * 1.5, this.#summaryPoll * 5);
      }
    } catch (err) {
      // Skipped or cancelled while it ran: that transition already said so.
      if (isCancellation(err) && (state.step(id).state === 'skipped' || state.cancelled)) return;
      state.needsAttention(id, reason(err));
      this.#verdict('run-step', id, 'needs-attention', { message: state.step(id).lastError });
      log.warn('step needs attention', { stepId: id, error: state.step(id).lastError });
    } finally {
      this.#running.delete(id);
    }
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
      const verdict = await vendor[verifier.activity]({ ...this.#activityInput(id), stepId: id, claim: evidence });
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
