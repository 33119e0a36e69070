import { stepsOfEveryCatalogue, type HumanStep, type InstructionContext } from '../domain/steps';
import type { PublicTenant } from '../domain/tenant';
import type { CompleteStepInput, Progress } from '../../workflows/contract';
import { Refused } from './errors';

/** A console step by id, from any catalogue (the current definition first, as GET /api/v1/steps gives it). */
function humanStep(stepId: string): HumanStep | undefined {
  const def = stepsOfEveryCatalogue().get(stepId);
  return def?.kind === 'human' ? def : undefined;
}

/**
 * Every error of a submission at once. The workflow's Update validator runs a step's cross-check
 * (evidence against earlier evidence or the tenant) only once the whole schema passes, so a person
 * would hear of a wrong flow name one submission after fixing the SIP URI. When the workflow refused
 * the schema, the same cross-check runs here on the fields that passed it, over the run's read
 * model, and its finding joins the refusal, worded as the workflow would word it. A field the
 * schema refused keeps that error only; a cross-check that cannot run on part of the evidence adds nothing.
 */
export async function withCrossChecks(err: unknown, msg: CompleteStepInput, read: () => Promise<Progress>): Promise<unknown> {
  if (!(err instanceof Refused) || err.code !== 'InvalidEvidence') return err;
  const def = humanStep(msg.stepId);
  if (!def?.crossCheck || !msg.evidence || typeof msg.evidence !== 'object') return err;
  const refusedFields = new Set(err.fields.map((f) => f.field));
  const passed: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(def.evidence.shape)) {
    if (refusedFields.has(`evidence.${k}`)) continue;
    const r = schema.safeParse((msg.evidence as Record<string, unknown>)[k]);
    if (r.success && r.data !== undefined) passed[k] = r.data;
  }
  try {
    const progress = await read();
    if (!progress.tenant) return err;
    // As the workflow's context: the tenant (its readers' view holds every value a cross-check compares) and the done steps' evidence.
    const ctx: InstructionContext = {
      tenant: progress.tenant as unknown as PublicTenant,
      evidence: Object.fromEntries(progress.steps.filter((s) => s.state === 'done' && s.evidence).map((s) => [s.id, s.evidence!])),
    };
    const mismatch = def.crossCheck(passed as never, ctx);
    if (!mismatch || !(mismatch.field in passed)) return err;
    const field = `evidence.${mismatch.field}`;
    return new Refused(err.code, `${err.message}; ${field} ${mismatch.message}`, [...err.fields, { field, message: mismatch.message }]);
  } catch {
    return err;
  }
}

/** The Update's answer, or its refusal with the cross-check's finding added (above). */
export const crossChecked = <T>(msg: CompleteStepInput, update: Promise<T>, read: () => Promise<Progress>): Promise<T> =>
  update.catch(async (err: unknown) => Promise.reject(await withCrossChecks(err, msg, read)));
