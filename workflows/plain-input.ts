import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import { plainInputPolicy, plainInputRefusal } from './contract';
import { PATCHES } from './patches';

/**
 * Input sent without the payload codec (ONBOARD_REFUSE_PLAIN_INPUT; see ./payload-converter.ts):
 * a client with Temporal access but no payload key could otherwise start, complete or stop what it
 * likes. One guard per run, shared by its start, Updates and Signals.
 *
 * Update validators refuse such input when the worker says so; a refused Update leaves nothing in
 * history, and a replay never runs validators, so that needs no patch. A Signal and the start are
 * in history, so what the run did with them must come out the same on every replay, whatever the
 * replaying worker's setting: the decision is made once, live, and recorded as the
 * `refuse-plain-input` patch marker; a replay reads the marker instead of the setting. From the
 * first refusal on, the run refuses all plain input (a later "accept" could not be told apart
 * from a refusal on replay). A run from before this change, or one that never refused, replays
 * plain input as accepted, as it ran.
 */
export interface PlainInputGuard {
  /** Update validators: whether to refuse (nothing is recorded; validators run live only). */
  validatorRefuses(msg: unknown): boolean;
  /** The start and Signals: whether to refuse; the first refusal records the patch marker. */
  refuses(msg: unknown): boolean;
}

export function plainInputGuard(): PlainInputGuard {
  let refusing = false;
  return {
    validatorRefuses: (msg) => {
      const policy = plainInputPolicy(msg);
      return policy !== undefined && (policy === 'refuse' || refusing);
    },
    refuses: (msg) => {
      const policy = plainInputPolicy(msg);
      if (policy === undefined) return false;
      if (policy === 'refuse' || refusing || workflowInfo().unsafe.isReplaying) refusing = patched(PATCHES.refusePlainInput) || refusing;
      return refusing;
    },
  };
}

/** A run started with plain input fails at once, before it acts on anything in it (its tenant, its secret references). */
export function refusePlainStart(guard: PlainInputGuard, input: unknown): void {
  if (guard.refuses(input)) throw ApplicationFailure.create({ type: 'EncryptionRequired', message: plainInputRefusal('start'), nonRetryable: true });
}
