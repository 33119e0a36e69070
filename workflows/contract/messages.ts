import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancelInput, CompleteStepInput, RetryStepInput, SkipStepInput } from './payloads';
import type { Progress, UpdateAnswer } from './progress';

/** The onboarding workflow's messages, defined once and shared by the workflow and every client. */
export const completeStepUpdate = defineUpdate<UpdateAnswer, [CompleteStepInput]>('completeStep');
/** Fire-and-forget completion (e.g. from a webhook); an invalid one is recorded as a rejection. */
export const completeStepSignal = defineSignal<[CompleteStepInput]>('completeStep');
export const retryStepUpdate = defineUpdate<UpdateAnswer, [RetryStepInput]>('retryStep');
export const skipStepUpdate = defineUpdate<UpdateAnswer, [SkipStepInput]>('skipStep');
export const cancelUpdate = defineUpdate<UpdateAnswer<null>, [CancelInput]>('cancel');
export const progressQuery = defineQuery<Progress>('progress');
