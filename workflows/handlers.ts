import { ApplicationFailure, currentUpdateInfo, log, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { digestOf } from '../src/domain/digest';
import type { StepDefinition } from '../src/domain/steps';
import {
  amendTenantUpdate,
  cancelUpdate,
  completeStepSignal,
  completeStepUpdate,
  plainInputRefusal,
  progressQuery,
  recordRefusalSignal,
  Refusal,
  RefusalReport,
  reopenStepUpdate,
  retryStepUpdate,
  skipStepUpdate,
  Via,
  type Caller,
  type ReopenAnswer,
  type UpdateAnswer,
} from './contract';
import { ZoomAccountId } from './contract/search-attributes';
import type { PlainInputGuard } from './plain-input';
import type { StepRunner } from './steps';
import { stepIdOf, validateAmend, validateCancel, validateComplete, validateReopen, validateRetry, validateSkip } from './validators';

/**
 * The workflow's messages wired to the step runner. Each Update has a synchronous validator (a
 * refused message leaves no trace in history; the app reports it with recordRefusal) and answers
 * { step, run }; the handler runs the same rules again, since the state may have moved since its
 * validator ran. Every accepted message is recorded in the audit trail with its Update id, and
 * an id seen before is answered with its first answer without running again. Input sent without
 * the payload codec is refused first, when the worker says so (`plain`, ./plain-input.ts).
 */
export function installHandlers(run: StepRunner, plain: PlainInputGuard): void {
  const { state } = run;
  const answer = (def: StepDefinition): UpdateAnswer => ({ step: state.stepProgress(def), run: state.summary() });
  const nowIso = () => new Date(Date.now()).toISOString();
  const updateId = () => currentUpdateInfo()?.id;
  const who = (input: { by: string } & Caller) => ({ by: input.by, via: input.via, byVerified: input.byVerified ?? false });
  const accepted = (action: 'complete' | 'retry' | 'skip' | 'reopen' | 'amend' | 'cancel', input: { by: string } & Caller, more: { stepId?: string } = {}) =>
    ({ action, outcome: 'accepted', channel: 'update', updateId: updateId(), ...who(input), ...more }) as const;

  /**
   * An Update: validator and handler, both skipping the rules for an id already answered (that
   * answer is given again). `act` is the handler's body as it was, called with a function that
   * keeps its answer: no extra await around it, so an accepted Update completes in the same
   * order among the walk's commands as before (replay of older histories depends on it).
   */
  const update = <A>(validate: (msg: unknown) => unknown, act: (msg: unknown, keep: (answer: A) => A) => Promise<A>) => ({
    handler: (msg: unknown): Promise<A> => {
      const id = updateId();
      if (id && state.answers.has(id)) return Promise.resolve(state.answers.get(id) as A);
      const keep = (a: A) => {
        if (id) state.answers.set(id, a);
        return a;
      };
      return refusing(() => act(msg, keep));
    },
    validator: (msg: unknown) => {
      // Before the answered-id check: a sender without the key gets no earlier answer either.
      if (plain.validatorRefuses(msg)) asFailure(new Refusal('EncryptionRequired', plainInputRefusal('Update')));
      const id = updateId();
      if (id && state.answers.has(id)) return;
      validating(() => validate(msg));
    },
  });

  setHandler(progressQuery, () => state.progress());

  const complete = update<UpdateAnswer>(
    (msg) => validateComplete(state, msg),
    async (msg, keep) => {
      const { def, evidence, input } = validateComplete(state, msg);
      state.audit({ ...accepted('complete', input, { stepId: def.id }), digest: digestOf(evidence) });
      await run.complete(def, evidence, input.by);
      return keep(answer(def));
    },
  );
  setHandler(completeStepUpdate, complete.handler, { validator: complete.validator });

  // Signals cannot answer their sender, so a refused one is recorded in the run for them to see.
  setHandler(completeStepSignal, async (msg) => {
    const raw = (msg ?? {}) as { by?: unknown; via?: unknown; byVerified?: unknown };
    const by = typeof raw.by === 'string' ? raw.by.slice(0, 120) : '?';
    const caller = { via: Via.safeParse(raw.via).data, byVerified: raw.byVerified === true };
    try {
      if (plain.refuses(msg)) throw new Refusal('EncryptionRequired', plainInputRefusal('Signal'));
      const { def, evidence, input } = validateComplete(state, msg);
      state.audit({ action: 'complete', outcome: 'accepted', channel: 'signal', stepId: def.id, ...who(input), digest: digestOf(evidence) });
      await run.complete(def, evidence, input.by);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      const stepId = stepIdOf(msg).slice(0, 80);
      state.recordRejection({ at: nowIso(), stepId, by, via: 'signal', message: err.message });
      // A sender without the payload key vouches for no one.
      const byVerified = caller.byVerified && err.code !== 'EncryptionRequired';
      state.audit({ action: 'complete', outcome: 'refused', channel: 'signal', stepId, by, ...caller, byVerified, code: err.code, message: err.message });
    }
  });

  // A refused Update, reported by the app: recorded once per Update id; a malformed report is dropped (it would say nothing true).
  setHandler(recordRefusalSignal, (raw) => {
    const r = RefusalReport.safeParse(raw);
    if (plain.refuses(raw)) {
      if (!r.success) return log.warn('recordRefusal report refused: not encrypted, and malformed');
      // Recorded as a refused Signal, its claims unverified; without its Update id, which would keep the real report out.
      const { action, stepId, by, via } = r.data;
      const message = plainInputRefusal('Signal');
      return state.audit({ action, stepId, by, via, byVerified: false, outcome: 'refused', channel: 'signal', code: 'EncryptionRequired', message });
    }
    if (!r.success) return log.warn('recordRefusal report dropped: malformed');
    const { byVerified, ...report } = r.data;
    state.audit({ ...report, outcome: 'refused', channel: 'update', byVerified: byVerified ?? false });
  });

  const retry = update<UpdateAnswer>(
    (msg) => validateRetry(state, msg),
    async (msg, keep) => {
      const { def, input } = validateRetry(state, msg);
      state.audit(accepted('retry', input, { stepId: def.id }));
      run.start(def);
      return keep(answer(def));
    },
  );
  setHandler(retryStepUpdate, retry.handler, { validator: retry.validator });

  const skip = update<UpdateAnswer>(
    (msg) => validateSkip(state, msg),
    async (msg, keep) => {
      const { def, input } = validateSkip(state, msg);
      state.audit({ ...accepted('skip', input, { stepId: def.id }), reason: input.reason });
      run.skip(def, input.reason, input.by);
      return keep(answer(def));
    },
  );
  setHandler(skipStepUpdate, skip.handler, { validator: skip.validator });

  const reopen = update<ReopenAnswer>(
    (msg) => validateReopen(state, msg),
    async (msg, keep) => {
      const { def, input, ids } = validateReopen(state, msg);
      state.audit({ ...accepted('reopen', input, { stepId: def.id }), reason: input.reason, reopened: ids });
      run.reopen(ids, { by: input.by, reason: input.reason, origin: def.id });
      return keep({ ...answer(def), reopened: ids });
    },
  );
  setHandler(reopenStepUpdate, reopen.handler, { validator: reopen.validator });

  const amend = update<ReopenAnswer<null>>(
    (msg) => validateAmend(state, run.tenant, msg),
    async (msg, keep) => {
      const a = validateAmend(state, run.tenant, msg);
      // The changes hold secret references only (the app stores inline secrets first); the digest names them without showing them.
      state.audit({ ...accepted('amend', a.input), reason: a.input.reason, fields: a.fields, reopened: a.ids, digest: digestOf(a.input.changes) });
      run.amend(a.tenant, { fields: a.fields, reopened: a.ids, reason: a.input.reason, by: a.input.by });
      // Found by the Zoom webhook by this (and the memo); only changes before verify-zoom-access is done.
      if (a.fields.includes('zoom.accountId')) {
        upsertSearchAttributes([{ key: ZoomAccountId, value: a.tenant.zoom.accountId }]);
        upsertMemo({ zoomAccountId: a.tenant.zoom.accountId });
      }
      return keep({ step: null, run: state.summary(), reopened: a.ids });
    },
  );
  setHandler(amendTenantUpdate, amend.handler, { validator: amend.validator });

  const cancel = update<UpdateAnswer<null>>(
    (msg) => validateCancel(state, msg),
    async (msg, keep) => {
      const input = validateCancel(state, msg);
      state.audit({ ...accepted('cancel', input), reason: input.reason });
      run.cancel(input.reason, input.by);
      return keep({ step: null, run: state.summary() });
    },
  );
  setHandler(cancelUpdate, cancel.handler, { validator: cancel.validator });
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
