import { decideMode, type ModeDecision, type StepDefinition, type StepId } from '../src/domain/steps';
import type { PublicTenant } from '../src/domain/tenant';
import { digestOf } from '../src/domain/digest';
import {
  CARRIED_LIMITS,
  type Amendment,
  type AuditEntry,
  type CarriedState,
  type Progress,
  type Rejection,
  type RunSummary,
  type StepProgress,
} from './contract';
import type { Reopening } from './contract';
import { progressOf, runSummaryOf, StepDocuments } from './progress';
import { nowIso, StepTable } from './step-table';

export { BUSY } from './step-table';
export type { Reopening, StepRuntime } from './contract';

/** Who completes an automatic step. */
export const AUTOMATION = 'kore-zcc-onboarding';
/** Drops undefined fields, so the entry in state equals the one read back from history. */
const withoutUndefined = (e: AuditEntry): AuditEntry => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as AuditEntry;

/**
 * The run's state: the named transitions a step goes through (shared/design.md's step states) and
 * everything derived from it (progress, status, search attribute values). Pure: no Temporal APIs,
 * so it is easy to test and safe to replay. Every transition calls changed(), which the walk
 * wakes on; nothing outside this class edits a step. The table of steps and its views (what is
 * ready, finished, waiting) are in ./step-table.ts.
 */
export class OnboardingState extends StepTable {
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
  /** Which run of a continue-as-new chain this is (the first is 1). */
  run = 1;

  // ---- transitions

  /** A human step opens for its person (again, after a retry); returns which opening this is. */
  open(id: StepId): number {
    const st = this.row(id);
    st.state = 'open';
    st.openedAt = nowIso();
    st.opening += 1;
    this.changed();
    return st.opening;
  }

  /** An automatic step's activity starts (again, after a retry). */
  markRunning(id: StepId): void {
    const st = this.row(id);
    st.state = 'running';
    st.startedAt = nowIso();
    st.lastError = undefined;
    st.attempts += 1;
    this.changed();
  }

  /** An automatic step waits on the outside world (the summary takes minutes), or for an administrator's approval of its vendor's work: say what for. */
  stillWaiting(id: StepId, message: string, state: 'running' | 'awaiting-approval' = 'running'): void {
    Object.assign(this.row(id), { state, lastError: message });
    this.changed();
  }

  /**
   * How a console step an API can do is done this round: decided once as it starts (from the
   * tenant file, src/domain/steps/modes.ts) and kept, so progress and a continued run agree.
   */
  decideMode(def: StepDefinition, o: { again?: boolean } = {}): ModeDecision {
    const st = this.row(def.id as StepId);
    if (!st.mode || o.again) {
      const d = decideMode(def, this.tenant);
      Object.assign(st, { mode: d.mode, modeNote: d.note });
    }
    return { mode: st.mode!, ...(st.modeNote ? { note: st.modeNote } : {}) };
  }

  /**
   * The API refused the step for a permission the tenant file could not show (ScopeMissing): its
   * person does it this time, told what would automate it next time. The caller opens it.
   */
  handToPerson(id: StepId, note: string): void {
    Object.assign(this.row(id), { mode: 'human', modeNote: note, lastError: undefined });
    this.changed();
  }

  /** A person hands in evidence for a step: recorded, then done or verified. */
  claim(id: StepId, evidence: Record<string, unknown>, by: string): void {
    const st = this.row(id);
    st.evidence = evidence;
    st.versions.push({ at: nowIso(), by, digest: digestOf(evidence), evidence });
    st.completedBy = by;
    st.claimedAt = nowIso();
    st.attempts += 1;
  }

  /** The claim is being checked by API. */
  markVerifying(id: StepId): void {
    this.row(id).state = 'verifying';
    this.changed();
  }

  /** The claim did not hold: the step reopens for its person with what we found. */
  rejectClaim(id: StepId, finding: string): void {
    const st = this.row(id);
    st.state = 'open';
    st.lastError = finding;
    st.completedBy = undefined;
    this.changed();
  }

  /** Done: by the automation, on a person's word, or with what a verifier found. */
  markDone(id: StepId, done: { result?: Record<string, unknown>; by?: string } = {}): void {
    const st = this.row(id);
    st.state = 'done';
    st.completedAt = nowIso();
    st.lastError = undefined;
    if (done.result) st.result = done.result;
    if (done.by) st.completedBy = done.by;
    this.changed();
  }

  /** Something retrying will not fix (or retries ran out): a person must look, then retry. */
  needsAttention(id: StepId, error: string): void {
    const st = this.row(id);
    st.state = 'needs-attention';
    st.lastError = error;
    st.completedBy = undefined;
    this.changed();
  }

  skip(id: StepId, reason: string, by: string): void {
    const st = this.row(id);
    st.state = 'skipped';
    st.skipReason = reason;
    st.completedBy = by;
    st.completedAt = nowIso();
    this.changed();
  }

  /** A reminder went out: the step now waits on a person who was told. */
  remind(id: StepId): void {
    const st = this.row(id);
    st.reminders += 1;
    st.state = 'waiting-for-human';
    this.changed();
  }

  escalate(id: StepId): void {
    this.row(id).escalated = true;
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
      const st = this.row(id);
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
      steps: Object.fromEntries(this.rows),
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
      if (!this.rows.has(id as StepId)) throw new Error(`carried step ${id} is not in catalogue version ${this.catalogue.version}`);
      this.rows.set(id as StepId, { ...st });
    }
    Object.assign(this, { startedAt: c.startedAt, updatedAt: c.updatedAt, run: c.run, auditCount: c.audit.count, cancelled: c.cancelled });
    this.rejections.push(...c.rejections);
    this.amendments.push(...c.amendments);
    this.auditLog.push(...c.audit.tail);
    for (const [id, a] of c.answers) this.answers.set(id, a);
    for (const id of c.refusedUpdates) this.#refusedUpdates.add(id);
  }

  readonly #docs = new StepDocuments();

  /** One step as progress shows it (workflows/progress.ts), built again only when it changed. */
  stepProgress(def: StepDefinition): StepProgress {
    return this.#docs.of(this, def, this.#docs.context(this));
  }

  /** The run at a glance (what every Update answers beside its step). */
  summary(): RunSummary {
    return runSummaryOf(this);
  }

  #progress?: { version: number; value: Progress };

  /**
   * The progress document, built once per change: people and dashboards poll it far more often
   * than the run changes, and building it renders every step's instructions. Every change goes
   * through changed(), which bumps the version this is keyed on.
   */
  progress(): Progress {
    if (this.#progress?.version === this.version) return this.#progress.value;
    const value = progressOf(this, this.#docs);
    this.#progress = { version: this.version, value };
    return value;
  }
}
