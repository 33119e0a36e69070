import { AUTOMATABLE_STEPS, automationMissing, type AutomatableStep, type PublicTenant, type StepMode } from '../tenant';
import type { StepDefinition } from './define';

/** How a step is done in a run: by its activity or by a person, and for a console step an API could do, why it is not. */
export interface ModeDecision {
  mode: StepMode;
  /** Set when a person does a step an API could do: what would automate it next time. */
  note?: string;
}

const automatable = (id: string): id is AutomatableStep => (AUTOMATABLE_STEPS as readonly string[]).includes(id);

/**
 * Decided when the step starts, from the tenant file alone (deterministic: the workflow calls it):
 * the file's `stepModes` if it says, else automatic exactly when the file gives what the step's
 * automation needs. A permission the file cannot show (a scope) is found when the activity runs,
 * and turns the step into its person's (see fellBack in workflows/state.ts).
 */
export function decideMode(def: StepDefinition, tenant: PublicTenant): ModeDecision {
  if (def.kind === 'auto') return { mode: 'auto' };
  if (!def.automation || !automatable(def.id)) return { mode: 'human' };
  const asked = tenant.stepModes?.[def.id];
  if (asked === 'human') return { mode: 'human', note: `done by a person because the tenant file says stepModes.${def.id}: human; ${wouldAutomate(def)}` };
  const missing = automationMissing(def.id, tenant);
  if (missing.length) return { mode: 'human', note: `done by a person: the tenant file gives no ${missing.join(' or ')}; ${wouldAutomate(def)}` };
  return { mode: 'auto' };
}

/** The words a person's copy of an automatable step carries: what would let the API do it. */
export const wouldAutomate = (def: StepDefinition): string =>
  def.kind === 'human' && def.automation ? `it would be done automatically with ${def.automation.needs}` : '';
