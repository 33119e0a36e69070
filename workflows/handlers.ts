import { ApplicationFailure, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { StepDefinition } from '../src/domain/steps';
import {
  amendTenantUpdate,
  cancelUpdate,
  completeStepSignal,
  completeStepUpdate,
  progressQuery,
  Refusal,
  reopenStepUpdate,
  retryStepUpdate,
  skipStepUpdate,
  type UpdateAnswer,
} from './contract';
import { ZoomAccountId } from './contract/search-attributes';
import type { StepRunner } from './steps';
import { stepIdOf, validateAmend, validateCancel, validateComplete, validateReopen, validateRetry, validateSkip } from './validators';

/**
 * The workflow's messages wired to the step runner. Each Update has a synchronous validator (a
 * refused message leaves no trace in history) and answers { step, run }; the handler runs the same
 * rules again, since the state may have moved since its validator ran.
 */
export function installHandlers(run: StepRunner): void {
  const { state } = run;
  const answer = (def: StepDefinition): UpdateAnswer => ({ step: state.stepProgress(def), run: state.summary() });
  const nowIso = () => new Date(Date.now()).toISOString();

  setHandler(progressQuery, () => state.progress());

  setHandler(
    completeStepUpdate,
    (msg) =>
      refusing(async () => {
        const { def, evidence, input } = validateComplete(state, msg);
        await run.complete(def, evidence, input.by);
        return answer(def);
      }),
    { validator: (msg) => validating(() => validateComplete(state, msg)) },
  );

  // Signals cannot answer their sender, so a refused one is recorded in the run for them to see.
  setHandler(completeStepSignal, async (msg) => {
    try {
      const { def, evidence, input } = validateComplete(state, msg);
      await run.complete(def, evidence, input.by);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      const by = typeof (msg as { by?: unknown })?.by === 'string' ? String((msg as { by: string }).by).slice(0, 120) : '?';
      state.recordRejection({ at: nowIso(), stepId: stepIdOf(msg).slice(0, 80), by, via: 'signal', message: err.message });
    }
  });

  setHandler(
    retryStepUpdate,
    (msg) =>
      refusing(async () => {
        const { def } = validateRetry(state, msg);
        run.start(def);
        return answer(def);
      }),
    { validator: (msg) => validating(() => validateRetry(state, msg)) },
  );

  setHandler(
    skipStepUpdate,
    (msg) =>
      refusing(async () => {
        const { def, input } = validateSkip(state, msg);
        run.skip(def, input.reason, input.by);
        return answer(def);
      }),
    { validator: (msg) => validating(() => validateSkip(state, msg)) },
  );

  setHandler(
    reopenStepUpdate,
    (msg) =>
      refusing(async () => {
        const { def, input, ids } = validateReopen(state, msg);
        run.reopen(ids, { by: input.by, reason: input.reason, origin: def.id });
        return { ...answer(def), reopened: ids };
      }),
    { validator: (msg) => validating(() => validateReopen(state, msg)) },
  );

  setHandler(
    amendTenantUpdate,
    (msg) =>
      refusing(async () => {
        const a = validateAmend(state, run.tenant, msg);
        run.amend(a.tenant, { fields: a.fields, reopened: a.ids, reason: a.input.reason, by: a.input.by });
        // Found by the Zoom webhook by this (and the memo); only changes before verify-zoom-access is done.
        if (a.fields.includes('zoom.accountId')) {
          upsertSearchAttributes([{ key: ZoomAccountId, value: a.tenant.zoom.accountId }]);
          upsertMemo({ zoomAccountId: a.tenant.zoom.accountId });
        }
        return { step: null, run: state.summary(), reopened: a.ids };
      }),
    { validator: (msg) => validating(() => validateAmend(state, run.tenant, msg)) },
  );

  setHandler(
    cancelUpdate,
    (msg) =>
      refusing(async () => {
        const input = validateCancel(state, msg);
        run.cancel(input.reason, input.by);
        return { step: null, run: state.summary() };
      }),
    { validator: (msg) => validating(() => validateCancel(state, msg)) },
  );
}

/** Refusals travel as ApplicationFailures, so clients get the code and the per-field errors. */
const asFailure = (err: unknown): never => {
  if (err instanceof Refusal) throw ApplicationFailure.create({ type: err.code, message: err.message, details: [err.fields], nonRetryable: true });
  throw err;
};

function validating(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    asFailure(err);
  }
}

function refusing<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch(asFailure);
}
