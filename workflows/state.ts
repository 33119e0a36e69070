import { redactEvidence } from '../src/domain/evidence';
import type { InstructionContext } from '../src/domain/instructions';
import type { OnboardingStatus, Progress, Rejection, StepProgress, StepState } from '../src/domain/progress';
import { STEPS, type StepDefinition, type StepId } from '../src/domain/steps';
import type { PublicTenant } from '../src/domain/tenant';

/** One step's life in a run. */
export interface StepRuntime {
  state: StepState;
  /** Bumped each time the step (re)opens, so an old reminder loop knows it is stale. */
  opening: number;
  openedAt?: string;
  startedAt?: string;
  completedAt?: string;
  attempts: number;
  lastError?: string;
  completedBy?: string;
  evidence?: Record<string, unknown>;
  result?: Record<string, unknown>;
  skipReason?: string;
  reminders: number;
  escalated: boolean;
}

const FINISHED: ReadonlySet<StepState> = new Set(['done', 'skipped']);
const WAITING_ON_PEOPLE: ReadonlySet<StepState> = new Set(['open', 'waiting-for-human', 'needs-attention']);

/**
 * The run's state and everything derived from it (progress, status, search attribute values).
 * Pure: no Temporal APIs, so it is easy to test and safe to replay.
 */
export class OnboardingState {
  readonly steps = new Map<StepId, StepRuntime>();
  readonly rejections: Rejection[] = [];
  cancelled?: { reason: string; by: string };
  /** Bumped on every change; the main loop wakes on it. */
  version = 0;
  /** When the run last changed (workflow time, so replay gives the same). */
  updatedAt: string;

  constructor(
    readonly tenant: PublicTenant,
    readonly startedAt: string,
  ) {
    for (const s of STEPS) this.steps.set(s.id, { state: 'blocked', opening: 0, attempts: 0, reminders: 0, escalated: false });
    this.updatedAt = startedAt;
  }

  step(id: StepId): StepRuntime {
    return this.steps.get(id)!;
  }

  changed(): void {
    this.version += 1;
    this.updatedAt = new Date(Date.now()).toISOString();
  }

  isFinished(id: StepId): boolean {
    return FINISHED.has(this.step(id).state);
  }

  waitingFor(def: StepDefinition): StepId[] {
    return def.dependsOn.filter((d) => !this.isFinished(d));
  }

  /** Blocked steps whose dependencies are all done or skipped. */
  ready(): StepDefinition[] {
    return STEPS.filter((s) => this.step(s.id).state === 'blocked' && this.waitingFor(s).length === 0);
  }

  allFinished(): boolean {
    return STEPS.every((s) => this.isFinished(s.id));
  }

  evidenceByStep(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [id, st] of this.steps) if (st.evidence && st.state === 'done') out[id] = st.evidence;
    return out;
  }

  resultsByStep(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [id, st] of this.steps) if (st.result) out[id] = st.result;
    return out;
  }

  skipped(): StepId[] {
    return STEPS.filter((s) => this.step(s.id).state === 'skipped').map((s) => s.id);
  }

  instructionContext(): InstructionContext {
    return { tenant: this.tenant, evidence: this.evidenceByStep() as InstructionContext['evidence'] };
  }

  status(): OnboardingStatus {
    if (this.cancelled) return 'cancelled';
    if (this.allFinished()) return 'completed';
    const states = [...this.steps.values()];
    if (states.some((s) => s.state === 'needs-attention')) return 'needs-attention';
    if (states.some((s) => s.escalated && WAITING_ON_PEOPLE.has(s.state))) return 'escalated';
    const busy = states.some((s) => s.state === 'running' || s.state === 'verifying');
    return !busy && states.some((s) => WAITING_ON_PEOPLE.has(s.state)) ? 'waiting-for-human' : 'running';
  }

  /** Steps someone or something is working on now (the `OpenSteps` search attribute). */
  openSteps(): StepId[] {
    return STEPS.filter((s) => !['blocked', 'done', 'skipped'].includes(this.step(s.id).state)).map((s) => s.id);
  }

  waitingOnHuman(): boolean {
    return [...this.steps.values()].some((s) => WAITING_ON_PEOPLE.has(s.state));
  }

  stepProgress(def: StepDefinition, ctx = this.instructionContext()): StepProgress {
    const st = this.step(def.id);
    return {
      id: def.id,
      title: def.title,
      phase: def.phase,
      side: def.side,
      kind: def.kind,
      skippable: def.skippable ?? false,
      dependsOn: [...def.dependsOn],
      state: st.state,
      waitingFor: st.state === 'blocked' ? this.waitingFor(def) : [],
      instructions: def.instructions(ctx),
      evidenceFields: def.kind === 'human' ? Object.keys((def.evidence as { shape?: object }).shape ?? {}) : [],
      openedAt: st.openedAt,
      startedAt: st.startedAt,
      completedAt: st.completedAt,
      attempts: st.attempts,
      lastError: st.lastError,
      completedBy: st.completedBy,
      evidence: redactEvidence(st.evidence),
      result: st.result,
      skipReason: st.skipReason,
      reminders: st.reminders,
      escalated: st.escalated,
    };
  }

  #progress?: { version: number; value: Progress };

  /**
   * The progress document, built once per change: people and dashboards poll it far more often
   * than the run changes, and building it renders every step's instructions. Every change goes
   * through changed(), which bumps the version this is keyed on.
   */
  progress(): Progress {
    if (this.#progress?.version === this.version) return this.#progress.value;
    const value = this.buildProgress();
    this.#progress = { version: this.version, value };
    return value;
  }

  private buildProgress(): Progress {
    const ctx = this.instructionContext();
    const finished = STEPS.filter((s) => this.isFinished(s.id)).length;
    return {
      tenantId: this.tenant.tenantId,
      displayName: this.tenant.displayName,
      status: this.status(),
      percent: Math.round((100 * finished) / STEPS.length),
      startedAt: this.startedAt,
      updatedAt: this.updatedAt,
      cancelReason: this.cancelled?.reason,
      steps: STEPS.map((s) => this.stepProgress(s, ctx)),
      rejections: this.rejections.slice(-20),
    };
  }
}
