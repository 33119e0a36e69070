import type { z } from 'zod';
import type { HumanStep, StepDefinition, StepId } from '../src/domain/steps';
import { escapeInvisible, fieldPath, firstIssuePerField, quoted } from '../src/domain/validation';
import { TenantInput } from '../src/domain/tenant';
import { changedPaths, mergePatch, unknownPatchPaths } from '../src/domain/tenant-patch';
import { AmendTenantInput, CancelInput, CompleteStepInput, ReopenStepInput, Refusal, RetryStepInput, SkipStepInput, type FieldError } from './contract';
import { BUSY, type OnboardingState } from './state';

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
  if (st.mode === 'auto' && st.state !== 'blocked')
    throw new Refusal(
      'StepNotOpen',
      `${def.id} is done by API in this run (${st.state}${st.lastError ? `: ${st.lastError}` : ''}); ${st.state === 'needs-attention' ? 'retry it' : 'wait for it'}, or set stepModes.${def.id} to human with amendTenant to do it by hand`,
    );
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
  waitForReopened(state, def);
  return { def, input: msg, evidence: checkEvidence(def, msg.evidence, state) };
}

/** A step left open (or needing attention) while a step it depends on went back (reopened) waits for that one again. */
function waitForReopened(state: OnboardingState, def: StepDefinition): void {
  const waiting = state.waitingFor(def).filter((d) => state.step(d).reopened !== undefined);
  if (waiting.length)
    throw new Refusal(
      'StepNotOpen',
      `${def.id} waits for ${waiting.join(', ')}, which went back to be done again; finish ${waiting.length > 1 ? 'those' : 'that'} first`,
    );
}

export function validateRetry(state: OnboardingState, input: unknown): { def: StepDefinition; input: RetryStepInput } {
  const msg = parsed(RetryStepInput, input, 'retryStep');
  runOpen(state);
  const def = knownStep(state, msg.stepId);
  const st = state.step(def.id as StepId);
  if (st.state !== 'needs-attention') throw new Refusal('NotRetryable', `${def.id} is ${st.state}; only a step that needs attention can be retried`);
  // Retried now, it would run without what the reopened step will hand it.
  waitForReopened(state, def);
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

/**
 * What going back sends back: the given finished steps and every finished step that depends on one
 * of them; refused while any of those, or the given steps themselves, is running or being verified
 * (its outcome would land on a step that has gone back).
 */
function goingBack(state: OnboardingState, roots: readonly StepDefinition[], cause: string): StepId[] {
  const ids = new Set<StepId>();
  for (const root of roots) {
    const st = state.step(root.id as StepId);
    if (BUSY.has(st.state)) throw new Refusal('StepBusy', `${root.id} is ${st.state} right now; wait for it to finish, then ${cause}`);
    if (state.isFinished(root.id as StepId)) ids.add(root.id as StepId);
    else continue; // not finished: it reads the new value when it is done
    for (const dep of state.catalogue.dependentsOf(root.id)) {
      const ds = state.step(dep.id as StepId);
      if (BUSY.has(ds.state))
        throw new Refusal('DependentBusy', `${dep.id}, which depends on ${root.id}, is ${ds.state} right now; wait for it to finish, then ${cause}`);
      if (state.isFinished(dep.id as StepId)) ids.add(dep.id as StepId);
    }
  }
  return state.catalogue.ids.filter((id) => ids.has(id));
}

export function validateReopen(state: OnboardingState, input: unknown): { def: StepDefinition; input: ReopenStepInput; ids: StepId[] } {
  const msg = parsed(ReopenStepInput, input, 'reopenStep');
  runOpen(state);
  const def = knownStep(state, msg.stepId);
  const st = state.step(def.id as StepId);
  if (BUSY.has(st.state)) throw new Refusal('StepBusy', `${def.id} is ${st.state} right now; wait for it to finish, then reopen it`);
  if (!state.isFinished(def.id as StepId)) throw new Refusal('NotReopenable', `${def.id} is ${st.state}; only a done or skipped step can be reopened`);
  const ids = goingBack(state, [def], `reopen ${def.id}`);
  // The reopened step first, then its dependents in catalogue order.
  return { def, input: msg, ids: [def.id as StepId, ...ids.filter((id) => id !== def.id)] };
}

/** Locked once the run depends on them: the workflow id is the tenant's, and the Zoom account is the one access was verified for. */
function lockedChange(state: OnboardingState, changed: readonly string[]): Refusal | undefined {
  const field = (f: string, message: string) => new Refusal('TenantFieldLocked', `amendTenant: changes.${f} ${message}`, [{ field: `changes.${f}`, message }]);
  if (changed.includes('tenantId')) return field('tenantId', "cannot change (the onboarding is this tenant's; start one for the other tenant id)");
  const zoom = state.catalogue.has('verify-zoom-access') && state.step('verify-zoom-access').state === 'done';
  if (zoom && changed.includes('zoom.accountId'))
    return field(
      'zoom.accountId',
      'cannot change once verify-zoom-access is done (the connector and flows live in that account); cancel and start again for another account',
    );
  return undefined;
}

export interface Amendment {
  input: AmendTenantInput;
  tenant: TenantInput;
  fields: string[];
  ids: StepId[];
}

export function validateAmend(state: OnboardingState, tenant: TenantInput, input: unknown): Amendment {
  const msg = parsed(AmendTenantInput, input, 'amendTenant');
  runOpen(state);
  const merged = mergePatch(tenant, msg.changes);
  const r = TenantInput.safeParse(merged);
  const fields: FieldError[] = r.success
    ? []
    : // No value quoted: a secret field's wrong value may be the secret itself.
      firstIssuePerField(r.error).map((i) => ({ field: fieldPath(['changes', ...i.path]), message: i.message }));
  for (const path of r.success ? unknownPatchPaths(msg.changes, r.data) : [])
    fields.push({ field: fieldPath(['changes', ...path]), message: 'is not a tenant field' });
  // The locks first: a tenant id that cannot change is also malformed, and the lock is the answer that helps.
  const locked = lockedChange(state, changedPaths(tenant, merged));
  if (locked) throw locked;
  if (fields.length || !r.success) throw new Refusal('InvalidTenant', `amendTenant: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
  const changed = changedPaths(tenant, r.data);
  if (!changed.length)
    throw new Refusal('TenantUnchanged', 'amendTenant: changes leave the tenant as it is', [{ field: 'changes', message: 'leave the tenant as it is' }]);
  const ids = goingBack(state, state.catalogue.readersOf(changed), 'amend the tenant');
  return { input: msg, tenant: r.data, fields: changed, ids };
}

export function validateCancel(state: OnboardingState, input: unknown): CancelInput {
  const msg = parsed(CancelInput, input, 'cancel');
  runOpen(state);
  return msg;
}

export const stepIdOf = (input: unknown): string =>
  input && typeof input === 'object' && typeof (input as { stepId?: unknown }).stepId === 'string' ? (input as { stepId: string }).stepId : '?';
