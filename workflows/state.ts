import {
  catalogue as catalogueOf,
  decideMode,
  type Catalogue,
  type InstructionContext,
  type ModeDecision,
  type StepDefinition,
  type StepId,
} from '../src/domain/steps';
import type { PublicTenant } from '../src/domain/tenant';
import { digestOf } from '../src/domain/digest';
import {
  CARRIED_LIMITS,
  type Amendment,
  type AuditEntry,
  type CarriedState,
  type OnboardingStatus,
  type Progress,
  type Rejection,
  type RunSummary,
  type StepProgress,
  type StepState,
} from './contract';
import { progressOf, runSummaryOf, stepProgressOf } from './progress';
import type { Reopening, StepRuntime } from './contract';

export type { Reopening, StepRuntime } from './contract';

const FINISHED: ReadonlySet<StepState> = new Set(['done', 'skipped']);
// A publish held for approval waits on an administrator: a person, though not the step's.
const WAITING_ON_PEOPLE: ReadonlySet<StepState> = new Set(['open', 'waiting-for-human', 'needs-attention', 'awaiting-approval']);
/** An activity of ours is at work on the step: its outcome must not land on a step that went back. */
export const BUSY: ReadonlySet<StepState> = new Set(['running', 'verifying', 'awaiting-approval']);
/** Who completes an automatic step. */
export const AUTOMATION = 'kore-zcc-onboarding';

const nowIso = () => new Date(Date.now()).toISOString();
/** Drops undefined fields, so the entry in state equals the one read back from history. */
const withoutUndefined = (e: AuditEntry): AuditEntry => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as AuditEntry;

/**
 * The run's state: the named transitions a step goes through (shared/design.md's step states) and
 * everything derived from it (progress, status, search attribute values). Pure: no Temporal APIs,
 * so it is easy to test and safe to replay. Every transition calls changed(), which the walk
 * wakes on; nothing outside this class edits a step.
 */
export class OnboardingState {
  readonly #steps = new Map<StepId, StepRuntime>();
  readonly rejections: Rejection[] = [];
  readonly amendments: Amendment[] = [];
  /** Every accepted action and refusal of this run, in order (not capped: part of the record), after the tail carried from the run before. */
  readonly auditLog: AuditEntry[] = [];
  /** How many entries the audit trail holds, over every run of the chain (the last seq). */
  auditCount = 0;
  /** Told of each new audit entry (the workflow puts it into history); unset for runs from before the audit trail. */
  onAudit?: (e: AuditEntry) => void;
  /** What each Update answered, by Temporal's Update id: a repeated id gets the first answer (kept in state so it can be carried on). */
  readonly answers = new Map<string, unknown>();
  readonly #refusedUpdates = new Set<string>();
  cancelled?: { reason: string; by: string; at: string };
  /** Which run of a continue-as-new chain this is (the first is 1). */
  run = 1;
  /** Bumped on every change; the main loop wakes on it. */
  version = 0;
  /** When the run last changed (workflow time, so replay gives the same). */
  updatedAt: string;

  constructor(
    /** Changed only by amendTenant (below). */
    public tenant: PublicTenant,
    /** Set once (a continued run takes the first run's through restore()). */
    public startedAt: string,
    /** The catalogue this run started with; it keeps it to its end. */
    readonly catalogue: Catalogue = catalogueOf(),
  ) {
    for (const s of catalogue.steps)
      this.#steps.set(s.id as StepId, { state: 'blocked', opening: 0, attempts: 0, reminders: 0, escalated: false, versions: [] });
    this.updatedAt = startedAt;
  }

  get steps(): readonly StepDefinition[] {
    return this.catalogue.steps;
  }

  /** A step's runtime, read-only: change it through the transitions below. */
  step(id: StepId): Readonly<StepRuntime> {
    return this.#mut(id);
  }

  #mut(id: StepId): StepRuntime {
    const st = this.#steps.get(id);
    if (!st) throw new Error(`step ${id} is not in catalogue version ${this.catalogue.version}`);
    return st;
  }

  changed(): void {
    this.version += 1;
    this.updatedAt = nowIso();
  }

  // ---- transitions

  /** A human step opens for its person (again, after a retry); returns which opening this is. */
  open(id: StepId): number {
    const st = this.#mut(id);
    st.state = 'open';
    st.openedAt = nowIso();
    st.opening += 1;
    this.changed();
    return st.opening;
  }

  /** An automatic step's activity starts (again, after a retry). */
  markRunning(id: StepId): void {
    const st = this.#mut(id);
    st.state = 'running';
    st.startedAt = nowIso();
    st.lastError = undefined;
    st.attempts += 1;
    this.changed();
  }

  /** An automatic step waits on the outside world (the summary takes minutes): say what for. */
  stillWaiting(id: StepId, message: string): void {
    const st = this.#mut(id);
    st.state = 'running';
    st.lastError = message;
    this.changed();
  }

  /** The vendor holds the step's work for an administrator's approval (the activity keeps asking). */
  awaitingApproval(id: StepId, message: string): void {
    const st = this.#mut(id);
    st.state = 'awaiting-approval';
    st.lastError = message;
    this.changed();
  }

  /**
   * How a console step an API can do is done this round: decided once as it starts (from the
   * tenant file, src/domain/steps/modes.ts) and kept, so progress and a continued run agree.
   */
  decideMode(def: StepDefinition, o: { again?: boolean } = {}): ModeDecision {
    const st = this.#mut(def.id as StepId);
    if (!st.mode || o.again) this.#noteMode(st, decideMode(def, this.tenant));
    return { mode: st.mode!, ...(st.modeNote ? { note: st.modeNote } : {}) };
  }

  #noteMode(st: StepRuntime, d: ModeDecision): void {
    st.mode = d.mode;
    st.modeNote = d.note;
  }

  /**
   * The API refused the step for a permission the tenant file could not show (ScopeMissing): its
   * person does it this time, told what would automate it next time. The caller opens it.
   */
  handToPerson(id: StepId, note: string): void {
    const st = this.#mut(id);
    this.#noteMode(st, { mode: 'human', note });
    st.lastError = undefined;
    this.changed();
  }

  /** How the step is done, for progress: decided if it has started, else as it would be decided now. */
  modeOf(def: StepDefinition): ModeDecision {
    const st = this.step(def.id as StepId);
    return st.mode ? { mode: st.mode, ...(st.modeNote ? { note: st.modeNote } : {}) } : decideMode(def, this.tenant);
  }

  /** A person hands in evidence for a step: recorded, then done or verified. */
  claim(id: StepId, evidence: Record<string, unknown>, by: string): void {
    const st = this.#mut(id);
    st.evidence = evidence;
    st.versions.push({ at: nowIso(), by, digest: digestOf(evidence), evidence });
    st.completedBy = by;
    st.claimedAt = nowIso();
    st.attempts += 1;
  }

  /** The claim is being checked by API. */
  markVerifying(id: StepId): void {
    this.#mut(id).state = 'verifying';
    this.changed();
  }

  /** The claim did not hold: the step reopens for its person with what we found. */
  rejectClaim(id: StepId, finding: string): void {
    const st = this.#mut(id);
    st.state = 'open';
    st.lastError = finding;
    st.completedBy = undefined;
    this.changed();
  }

  /** Done: by the automation, on a person's word, or with what a verifier found. */
  markDone(id: StepId, done: { result?: Record<string, unknown>; by?: string } = {}): void {
    const st = this.#mut(id);
    st.state = 'done';
    st.completedAt = nowIso();
    st.lastError = undefined;
    if (done.result) st.result = done.result;
    if (done.by) st.completedBy = done.by;
    this.changed();
  }

  /** Something retrying will not fix (or retries ran out): a person must look, then retry. */
  needsAttention(id: StepId, error: string): void {
    const st = this.#mut(id);
    st.state = 'needs-attention';
    st.lastError = error;
    st.completedBy = undefined;
    this.changed();
  }

  skip(id: StepId, reason: string, by: string): void {
    const st = this.#mut(id);
    st.state = 'skipped';
    st.skipReason = reason;
    st.completedBy = by;
    st.completedAt = nowIso();
    this.changed();
  }

  /** A reminder went out: the step now waits on a person who was told. */
  remind(id: StepId): void {
    const st = this.#mut(id);
    st.reminders += 1;
    st.state = 'waiting-for-human';
    this.changed();
  }

  escalate(id: StepId): void {
    this.#mut(id).escalated = true;
    this.changed();
  }

  /**
   * Finished steps go back to blocked, each keeping what it had as `previous`; the runner then
   * starts those whose dependencies are finished (open for a person, or run again) and the walk
   * starts the rest as their dependencies finish again.
   */
  reopen(ids: readonly StepId[], why: Reopening): void {
    const at = nowIso();
    for (const id of ids) {
      const st = this.#mut(id);
      const { evidence, result, completedBy, completedAt, skipReason, openedAt, startedAt, claimedAt } = st;
      // The round's timestamps go with it, so a record can still say how long that round took.
      Object.assign(st, {
        state: 'blocked',
        previous: { evidence, result, completedBy, completedAt, skipReason, openedAt, startedAt, claimedAt },
        reopened: { at, ...why },
      });
      // Cleared, so instructions, activities and verifiers read what is handed in next, not this.
      Object.assign(st, {
        evidence: undefined,
        result: undefined,
        completedBy: undefined,
        completedAt: undefined,
        claimedAt: undefined,
        skipReason: undefined,
        lastError: undefined,
        // Decided again when it starts: the tenant (or the app's scopes) may have changed.
        mode: undefined,
        modeNote: undefined,
      });
    }
    this.changed();
  }

  /** The tenant as amended (its public part; the runner keeps the references), then its steps that read a changed field go back. */
  amendTenant(tenant: PublicTenant, a: Omit<Amendment, 'at'>): void {
    this.tenant = tenant;
    this.amendments.push({ at: nowIso(), ...a });
    this.reopen(a.reopened as StepId[], { by: a.by, reason: a.reason, origin: `amendTenant (${a.fields.join(', ')})` });
  }

  cancel(reason: string, by: string): void {
    this.cancelled = { reason, by, at: nowIso() };
    this.changed();
  }

  /** A completion that could not answer its sender (a Signal) was refused: kept for them to see. */
  recordRejection(r: Rejection): void {
    this.rejections.push(r);
    this.changed();
  }

  /** One entry of the audit trail; a refusal with an Update id already recorded is not recorded again. */
  audit(e: Omit<AuditEntry, 'seq' | 'at'>): void {
    if (e.outcome === 'refused' && e.updateId) {
      if (this.#refusedUpdates.has(e.updateId)) return;
      this.#refusedUpdates.add(e.updateId);
    }
    const entry = withoutUndefined({ seq: ++this.auditCount, at: nowIso(), ...e });
    this.auditLog.push(entry);
    this.onAudit?.(entry);
    // Progress shows the tail, so its cache must see this; updatedAt stays: a refusal changes nothing in the run.
    this.version += 1;
  }

  // ---- continue-as-new

  /** What the next run needs to go on exactly where this one stands (CarriedState: bounded, validated by the next run). */
  snapshot(reminders: CarriedState['reminders']): CarriedState {
    return {
      startedAt: this.startedAt,
      updatedAt: this.updatedAt,
      run: this.run + 1,
      steps: Object.fromEntries(this.#steps),
      rejections: this.rejections.slice(-CARRIED_LIMITS.rejections),
      amendments: [...this.amendments],
      ...(this.cancelled ? { cancelled: this.cancelled } : {}),
      audit: { count: this.auditCount, tail: this.auditLog.slice(-CARRIED_LIMITS.auditTail) },
      answers: [...this.answers].slice(-CARRIED_LIMITS.answers),
      refusedUpdates: [...this.#refusedUpdates].slice(-CARRIED_LIMITS.refusedUpdates),
      reminders,
    };
  }

  /**
   * A continued run takes up where the last one stood. No changed(): nothing happened, so
   * updatedAt and progress stay as they were. The carried audit entries are not told to onAudit
   * again: they are in the earlier runs' histories already.
   */
  restore(c: CarriedState): void {
    for (const [id, st] of Object.entries(c.steps)) {
      if (!this.#steps.has(id as StepId)) throw new Error(`carried step ${id} is not in catalogue version ${this.catalogue.version}`);
      this.#steps.set(id as StepId, { ...st });
    }
    Object.assign(this, { startedAt: c.startedAt, updatedAt: c.updatedAt, run: c.run, auditCount: c.audit.count, cancelled: c.cancelled });
    this.rejections.push(...c.rejections);
    this.amendments.push(...c.amendments);
    this.auditLog.push(...c.audit.tail);
    for (const [id, a] of c.answers) this.answers.set(id, a);
    for (const id of c.refusedUpdates) this.#refusedUpdates.add(id);
  }

  // ---- views

  isFinished(id: StepId): boolean {
    return FINISHED.has(this.step(id).state);
  }

  isWaitingOnPerson(id: StepId): boolean {
    const s = this.step(id).state;
    return s === 'open' || s === 'waiting-for-human';
  }

  waitingFor(def: StepDefinition): StepId[] {
    return (def.dependsOn as readonly StepId[]).filter((d) => !this.isFinished(d));
  }

  /** Blocked steps whose dependencies are all done or skipped. */
  ready(): StepDefinition[] {
    return this.steps.filter((s) => this.step(s.id as StepId).state === 'blocked' && this.waitingFor(s).length === 0);
  }

  allFinished(): boolean {
    return this.steps.every((s) => this.isFinished(s.id as StepId));
  }

  evidenceByStep(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [id, st] of this.#steps) if (st.evidence && st.state === 'done') out[id] = st.evidence;
    return out;
  }

  resultsByStep(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [id, st] of this.#steps) if (st.result) out[id] = st.result;
    return out;
  }

  skipped(): StepId[] {
    return this.catalogue.ids.filter((id) => this.step(id).state === 'skipped');
  }

  instructionContext(): InstructionContext {
    return { tenant: this.tenant, evidence: this.evidenceByStep() };
  }

  status(): OnboardingStatus {
    if (this.cancelled) return 'cancelled';
    if (this.allFinished()) return 'completed';
    const states = [...this.#steps.values()];
    if (states.some((s) => s.state === 'needs-attention')) return 'needs-attention';
    if (states.some((s) => s.escalated && WAITING_ON_PEOPLE.has(s.state))) return 'escalated';
    const busy = states.some((s) => s.state === 'running' || s.state === 'verifying');
    return !busy && states.some((s) => WAITING_ON_PEOPLE.has(s.state)) ? 'waiting-for-human' : 'running';
  }

  /** Steps someone or something is working on now (the `OpenSteps` search attribute). */
  openSteps(): StepId[] {
    return this.catalogue.ids.filter((id) => !['blocked', 'done', 'skipped'].includes(this.step(id).state));
  }

  waitingOnHuman(): boolean {
    return [...this.#steps.values()].some((s) => WAITING_ON_PEOPLE.has(s.state));
  }

  /** One step as progress shows it (workflows/progress.ts). */
  stepProgress(def: StepDefinition, ctx = this.instructionContext()): StepProgress {
    return stepProgressOf(this, def, ctx);
  }

  /** The run at a glance (what every Update answers beside its step). */
  summary(): RunSummary {
    return runSummaryOf(this);
  }

  percent(): number {
    const finished = this.catalogue.ids.filter((id) => this.isFinished(id)).length;
    return Math.round((100 * finished) / this.catalogue.ids.length);
  }

  #progress?: { version: number; value: Progress };

  /**
   * The progress document, built once per change: people and dashboards poll it far more often
   * than the run changes, and building it renders every step's instructions. Every change goes
   * through changed(), which bumps the version this is keyed on.
   */
  progress(): Progress {
    if (this.#progress?.version === this.version) return this.#progress.value;
    const value = progressOf(this);
    this.#progress = { version: this.version, value };
    return value;
  }
}
