import { redactEvidence, redactTenant } from '../src/domain/evidence';
import type { InstructionContext, StepDefinition, StepId } from '../src/domain/steps';
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

export function progressOf(state: OnboardingState): Progress {
  const ctx = state.instructionContext();
  const steps = state.steps.map((s) => stepProgressOf(state, s, ctx));
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
