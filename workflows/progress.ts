import { redactEvidence, redactTenant } from '../src/domain/evidence';
import type { InstructionContext, StepDefinition, StepId } from '../src/domain/steps';
import type { PublicTenant } from '../src/domain/tenant';
import type { Progress, RunSummary, StepProgress } from './contract';
import type { OnboardingState } from './state';

/** How many of the latest audit entries progress carries (the rest are paged from history). */
export const AUDIT_TAIL = 10;

/**
 * What readers see of a run, built from its state: one step, the run's summary, the whole progress
 * document. Pure functions of the state (the state caches the document per change).
 */
export function stepProgressOf(state: OnboardingState, def: StepDefinition, ctx: InstructionContext): StepProgress {
  const st = state.step(def.id as StepId);
  const automation = def.kind === 'human' ? def.automation : undefined;
  const how = automation && state.modeOf(def);
  const byApi = how?.mode === 'auto';
  return {
    id: def.id,
    title: def.title,
    phase: def.phase,
    side: def.side,
    kind: byApi ? 'auto' : def.kind,
    ...(automation && how ? { automation: { mode: how.mode, needs: automation.needs, ...(how.note ? { note: how.note } : {}) } } : {}),
    skippable: def.skippable,
    dependsOn: [...def.dependsOn],
    state: st.state,
    waitingFor: st.state === 'blocked' ? state.waitingFor(def) : [],
    // Done by API: what the API does; by a person: the console steps, then why a person does it.
    instructions: byApi ? automation!.instructions(ctx) : [...def.instructions(ctx), ...(how?.note ? [`Note: ${how.note}.`] : [])],
    evidenceFields: def.kind === 'human' && !byApi ? Object.keys(def.evidence.shape) : [],
    openedAt: st.openedAt,
    startedAt: st.startedAt,
    completedAt: st.completedAt,
    claimedAt: st.claimedAt,
    attempts: st.attempts,
    lastError: st.lastError,
    completedBy: st.completedBy,
    evidence: redactEvidence(st.evidence),
    result: st.result,
    skipReason: st.skipReason,
    reopened: st.reopened,
    previous: st.previous && { ...st.previous, evidence: redactEvidence(st.previous.evidence) },
    versions: st.versions.map((v) => ({ ...v, evidence: redactEvidence(v.evidence) ?? {} })),
    reminders: st.reminders,
    escalated: st.escalated,
  };
}

/**
 * Each step's document, kept until something it is built from changes: its row (a transition
 * touched or replaced it), the instruction context (the tenant, or the evidence of a step that is
 * done), or, while blocked, what it waits for. The run publishes after every change, and building
 * all the documents to send the one that changed (every step's instructions rendered, its evidence
 * redacted) was a third of what publishing cost (BENCHMARKS.md, the engine profile).
 */
export class StepDocuments {
  readonly #docs = new Map<string, { doc: StepProgress; ctx: InstructionContext; row: object; touched: number; blockedBy: string }>();
  #ctx?: { tenant: PublicTenant; evidence: readonly unknown[]; value: InstructionContext };

  /** The instruction context: the same object while the tenant and the done steps' evidence are the same. */
  context(state: OnboardingState): InstructionContext {
    const evidence = state.catalogue.ids.map((id) => {
      const st = state.step(id);
      return st.state === 'done' ? st.evidence : undefined;
    });
    const kept = this.#ctx;
    if (kept && kept.tenant === state.tenant && kept.evidence.every((e, i) => e === evidence[i])) return kept.value;
    const value = state.instructionContext();
    this.#ctx = { tenant: state.tenant, evidence, value };
    return value;
  }

  /** One step's document, built again only when its inputs changed. */
  of(state: OnboardingState, def: StepDefinition, ctx: InstructionContext): StepProgress {
    const id = def.id as StepId;
    const row = state.step(id);
    const touched = state.touchedAt(id);
    const blockedBy = row.state === 'blocked' ? state.waitingFor(def).join(' ') : '';
    const kept = this.#docs.get(id);
    if (kept && kept.ctx === ctx && kept.row === row && kept.touched === touched && kept.blockedBy === blockedBy) return kept.doc;
    const doc = stepProgressOf(state, def, ctx);
    this.#docs.set(id, { doc, ctx, row, touched, blockedBy });
    return doc;
  }
}

/** The earliest opening among the steps waiting on their person. */
function oldestWait(state: OnboardingState): { oldestWaitSince?: string } {
  const opened = state.catalogue.ids
    .filter((id) => state.isWaitingOnPerson(id))
    .map((id) => state.step(id).openedAt)
    .filter((t): t is string => t !== undefined)
    .sort();
  return opened.length ? { oldestWaitSince: opened[0] } : {};
}

export function runSummaryOf(state: OnboardingState): RunSummary {
  return {
    tenantId: state.tenant.tenantId,
    displayName: state.tenant.displayName,
    status: state.status(),
    percent: state.percent(),
    openSteps: state.openSteps(),
    waitingOnHuman: state.waitingOnHuman(),
    ...oldestWait(state),
    updatedAt: state.updatedAt,
    cancelReason: state.cancelled?.reason,
  };
}

/** The whole document; with `docs`, unchanged steps' documents are the ones built before. */
export function progressOf(state: OnboardingState, docs?: StepDocuments): Progress {
  const ctx = docs ? docs.context(state) : state.instructionContext();
  const steps = state.steps.map((s) => (docs ? docs.of(state, s, ctx) : stepProgressOf(state, s, ctx)));
  const status = state.status();
  const lastDone = steps.reduce<string | undefined>((last, s) => (s.completedAt && (!last || s.completedAt > last) ? s.completedAt : last), undefined);
  return {
    tenantId: state.tenant.tenantId,
    displayName: state.tenant.displayName,
    status,
    percent: state.percent(),
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    endedAt: status === 'cancelled' ? state.cancelled?.at : status === 'completed' ? lastDone : undefined,
    cancelReason: state.cancelled?.reason,
    cancelledBy: state.cancelled?.by,
    tenant: redactTenant(state.tenant),
    steps,
    rejections: state.rejections.slice(-20),
    amendments: [...state.amendments],
    audit: { count: state.auditCount, tail: state.auditLog.slice(-AUDIT_TAIL) },
  };
}
