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
import type { OnboardingStatus, StepRuntime, StepState } from './contract';

const FINISHED: ReadonlySet<StepState> = new Set(['done', 'skipped']);
// A publish held for approval waits on an administrator: a person, though not the step's.
const WAITING_ON_PEOPLE: ReadonlySet<StepState> = new Set(['open', 'waiting-for-human', 'needs-attention', 'awaiting-approval']);
/** An activity of ours is at work on the step: its outcome must not land on a step that went back. */
export const BUSY: ReadonlySet<StepState> = new Set(['running', 'verifying', 'awaiting-approval']);

export const nowIso = () => new Date(Date.now()).toISOString();

/**
 * The run's steps as a table (one runtime row per step of its catalogue), the clock of its changes,
 * and what is read off it: what is ready, finished or waiting, the run's status. The named
 * transitions that change a row are OnboardingState's (./state.ts), which extends this.
 */
export class StepTable {
  protected readonly rows = new Map<StepId, StepRuntime>();
  cancelled?: { reason: string; by: string; at: string };
  /** Bumped on every change; the main loop wakes on it. */
  version = 0;
  /** When the run last changed (workflow time, so replay gives the same). */
  updatedAt: string;

  constructor(
    /** Changed only by amendTenant (./state.ts). */
    public tenant: PublicTenant,
    /** Set once (a continued run takes the first run's through restore()). */
    public startedAt: string,
    /** The catalogue this run started with; it keeps it to its end. */
    readonly catalogue: Catalogue = catalogueOf(),
  ) {
    for (const s of catalogue.steps) this.rows.set(s.id as StepId, { state: 'blocked', opening: 0, attempts: 0, reminders: 0, escalated: false, versions: [] });
    this.updatedAt = startedAt;
  }

  get steps(): readonly StepDefinition[] {
    return this.catalogue.steps;
  }

  /** Which hand-out for a change each row had last (./progress.ts rebuilds only the steps whose row changed). */
  readonly #touched = new Map<StepId, number>();
  #touches = 0;

  /** A step's runtime, read-only: change it through OnboardingState's transitions. */
  step(id: StepId): Readonly<StepRuntime> {
    const st = this.rows.get(id);
    if (!st) throw new Error(`step ${id} is not in catalogue version ${this.catalogue.version}`);
    return st;
  }

  /** A step's runtime to change: every transition takes its row through here, which marks it touched. */
  protected row(id: StepId): StepRuntime {
    const st = this.step(id) as StepRuntime;
    this.#touched.set(id, ++this.#touches);
    return st;
  }

  /** When the step's row was last handed out for a change (0: never); with the row's identity, what says its document is stale. */
  touchedAt(id: StepId): number {
    return this.#touched.get(id) ?? 0;
  }

  changed(): void {
    this.version += 1;
    this.updatedAt = nowIso();
  }

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
    for (const [id, st] of this.rows) if (st.evidence && st.state === 'done') out[id] = st.evidence;
    return out;
  }

  resultsByStep(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [id, st] of this.rows) if (st.result) out[id] = st.result;
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
    const states = [...this.rows.values()];
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
    return [...this.rows.values()].some((s) => WAITING_ON_PEOPLE.has(s.state));
  }

  /** The steps waiting on a person (their own, or an administrator's approval, or someone's attention). */
  waitingOnPeople(): StepId[] {
    return this.catalogue.ids.filter((id) => WAITING_ON_PEOPLE.has(this.step(id).state));
  }

  /** How the step is done, for progress: decided if it has started, else as it would be decided now. */
  modeOf(def: StepDefinition): ModeDecision {
    const st = this.step(def.id as StepId);
    return st.mode ? { mode: st.mode, ...(st.modeNote ? { note: st.modeNote } : {}) } : decideMode(def, this.tenant);
  }

  percent(): number {
    const finished = this.catalogue.ids.filter((id) => this.isFinished(id)).length;
    return Math.round((100 * finished) / this.catalogue.ids.length);
  }
}
