import type { z } from 'zod';
import type { HumanStep, StepDefinition, StepId } from '../src/domain/steps';
import { escapeInvisible, fieldPath, firstIssuePerField, quoted } from '../src/domain/validation';
import { CancelInput, CompleteStepInput, Refusal, RetryStepInput, SkipStepInput, type FieldError } from './contract';
import type { OnboardingState } from './state';

/**
 * The synchronous rules behind every message: each refusal says what is wrong and what to do, with
 * a machine-readable code (./contract/refusals.ts; the API maps it to a status) and, for evidence,
 * one entry per field. Update validators run these; handlers run them again (state may have
 * moved between validator and handler).
 */

function parsed<S extends z.ZodTypeAny>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const fields = firstIssuePerField(r.error).map((i) => ({ field: fieldPath(i.path) || what, message: i.message }));
  throw new Refusal('InvalidInput', `${what}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
}

function knownStep(state: OnboardingState, stepId: string): StepDefinition {
  const def = state.catalogue.get(stepId);
  // Quoted as JSON, and cut short: the id is whatever was sent, and the refusal is one line.
  if (!def) throw new Refusal('UnknownStep', `unknown step ${quoted(stepId)}; the steps are ${state.catalogue.ids.join(', ')}`);
  return def;
}

function runOpen(state: OnboardingState): void {
  if (state.cancelled) throw new Refusal('RunFinished', `this onboarding was cancelled (${state.cancelled.reason})`);
  if (state.allFinished()) throw new Refusal('RunFinished', 'this onboarding is already complete');
}

/** Where a step stands, as a refusal for anything but an open human step. */
function mustBeOpenHumanStep(state: OnboardingState, def: StepDefinition): HumanStep {
  const st = state.step(def.id as StepId);
  if (def.kind !== 'human') throw new Refusal('StepNotOpen', `${def.id} is automatic; it cannot be completed by hand (retry it if it needs attention)`);
  switch (st.state) {
    case 'open':
    case 'waiting-for-human':
      return def;
    case 'blocked':
      throw new Refusal('StepNotOpen', `${def.id} is not open yet: it waits for ${state.waitingFor(def).join(', ')}`);
    case 'done':
      throw new Refusal('StepAlreadyDone', `${def.id} is already done (by ${st.completedBy ?? 'someone'} at ${st.completedAt ?? '?'})`);
    case 'skipped':
      throw new Refusal('StepAlreadyDone', `${def.id} was skipped (${st.skipReason ?? 'no reason'})`);
    case 'verifying':
      throw new Refusal('StepBusy', `${def.id} is being verified right now; wait for the result`);
    case 'needs-attention':
      throw new Refusal('StepNotOpen', `${def.id} needs attention (${st.lastError ?? 'see progress'}); retry it first`);
    default:
      throw new Refusal('StepNotOpen', `${def.id} is ${st.state}`);
  }
}

/** The value at `path` in the raw evidence, quoted for a message. */
function shown(raw: Record<string, unknown>, path: PropertyKey[]): string {
  let v: unknown = raw;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  if (v === undefined) return '';
  const text = typeof v === 'string' ? quoted(v) : escapeInvisible(JSON.stringify(v)?.slice(0, 60) ?? String(v));
  return ` ${text}`;
}

export function checkEvidence(def: HumanStep, raw: Record<string, unknown>, state: OnboardingState): Record<string, unknown> {
  const r = def.evidence.safeParse(raw);
  const expected = Object.keys(def.evidence.shape).join(', ') || 'none';
  if (!r.success) {
    const fields: FieldError[] = [];
    for (const i of firstIssuePerField(r.error)) {
      if (i.code === 'unrecognized_keys') {
        for (const k of i.keys) fields.push({ field: fieldPath(['evidence', k]), message: `is not a field of ${def.id} (expected: ${expected})` });
        continue;
      }
      const missing = shown(raw, i.path) === '';
      const field = fieldPath(['evidence', ...i.path]);
      fields.push({ field, message: missing && i.code === 'invalid_type' ? 'is required' : `${shown(raw, i.path).trim()} ${i.message}`.trim() });
    }
    throw new Refusal('InvalidEvidence', `${def.id}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
  }
  const mismatch = def.crossCheck?.(r.data, state.instructionContext());
  if (mismatch) {
    const field = fieldPath(['evidence', mismatch.field]);
    throw new Refusal('EvidenceMismatch', `${def.id}: ${field} ${mismatch.message}`, [{ field, message: mismatch.message }]);
  }
  return r.data;
}

export function validateComplete(state: OnboardingState, input: unknown): { def: HumanStep; input: CompleteStepInput; evidence: Record<string, unknown> } {
  const msg = parsed(CompleteStepInput, input, 'completeStep');
  runOpen(state);
  const def = mustBeOpenHumanStep(state, knownStep(state, msg.stepId));
  return { def, input: msg, evidence: checkEvidence(def, msg.evidence, state) };
}

export function validateRetry(state: OnboardingState, input: unknown): { def: StepDefinition; input: RetryStepInput } {
  const msg = parsed(RetryStepInput, input, 'retryStep');
  runOpen(state);
  const def = knownStep(state, msg.stepId);
  const st = state.step(def.id as StepId);
  if (st.state !== 'needs-attention') throw new Refusal('NotRetryable', `${def.id} is ${st.state}; only a step that needs attention can be retried`);
  return { def, input: msg };
}

export function validateSkip(state: OnboardingState, input: unknown): { def: StepDefinition; input: SkipStepInput } {
  const msg = parsed(SkipStepInput, input, 'skipStep');
  runOpen(state);
  const def = knownStep(state, msg.stepId);
  if (!def.skippable) {
    const skippable = state.steps.filter((s) => s.skippable).map((s) => s.id);
    throw new Refusal('NotSkippable', `${def.id} cannot be skipped; skippable steps are ${skippable.join(', ')}`);
  }
  const st = state.step(def.id as StepId);
  if (st.state === 'done' || st.state === 'skipped') throw new Refusal('StepAlreadyDone', `${def.id} is already ${st.state}`);
  if (st.state === 'verifying') throw new Refusal('StepBusy', `${def.id} is being verified right now; wait for the result`);
  return { def, input: msg };
}

export function validateCancel(state: OnboardingState, input: unknown): CancelInput {
  const msg = parsed(CancelInput, input, 'cancel');
  runOpen(state);
  return msg;
}

export const stepIdOf = (input: unknown): string =>
  input && typeof input === 'object' && typeof (input as { stepId?: unknown }).stepId === 'string' ? (input as { stepId: string }).stepId : '?';
