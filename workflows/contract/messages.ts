import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RefusalReport } from './audit';
import type { AmendTenantInput, CancelInput, CompleteStepInput, ReopenStepInput, RetryStepInput, SkipStepInput } from './payloads';
import type { Progress, ReopenAnswer, UpdateAnswer } from './progress';

/** The onboarding workflow's messages, defined once and shared by the workflow and every client. */
export const completeStepUpdate = defineUpdate<UpdateAnswer, [CompleteStepInput]>('completeStep');
/** Fire-and-forget completion (e.g. from a webhook); an invalid one is recorded as a rejection. */
export const completeStepSignal = defineSignal<[CompleteStepInput]>('completeStep');
export const retryStepUpdate = defineUpdate<UpdateAnswer, [RetryStepInput]>('retryStep');
export const skipStepUpdate = defineUpdate<UpdateAnswer, [SkipStepInput]>('skipStep');
/** A done or skipped step goes back (open, or run again), with its finished dependents. */
export const reopenStepUpdate = defineUpdate<ReopenAnswer, [ReopenStepInput]>('reopenStep');
/** The tenant changes; the finished steps that read a changed field go back, with their finished dependents. */
export const amendTenantUpdate = defineUpdate<ReopenAnswer<null>, [AmendTenantInput]>('amendTenant');
export const cancelUpdate = defineUpdate<UpdateAnswer<null>, [CancelInput]>('cancel');
/** An Update the validator refused leaves no history, so the app reports it here for the audit trail (recorded once per Update id). */
export const recordRefusalSignal = defineSignal<[RefusalReport]>('recordRefusal');
export const progressQuery = defineQuery<Progress>('progress');

/**
 * Whether a message (or start input) came without the payload codec, and what the worker says to
 * do with it: the one check every handler of both workflows asks (see ../payload-converter.ts).
 */
export { plainInputPolicy, type PlainInputPolicy } from '../payload-converter';
