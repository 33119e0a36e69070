import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancelInput, CompleteStepInput, RetryStepInput, SkipStepInput } from '../src/domain/messages';
import type { Progress, StepProgress } from '../src/domain/progress';

/** The onboarding workflow's messages, defined once and shared by the workflow, the CLI and the API. */
export const completeStepUpdate = defineUpdate<StepProgress, [CompleteStepInput]>('completeStep');
/** Fire-and-forget completion (e.g. from a webhook); an invalid one is recorded as a rejection. */
export const completeStepSignal = defineSignal<[CompleteStepInput]>('completeStep');
export const retryStepUpdate = defineUpdate<StepProgress, [RetryStepInput]>('retryStep');
export const skipStepUpdate = defineUpdate<StepProgress, [SkipStepInput]>('skipStep');
export const cancelUpdate = defineUpdate<Progress, [CancelInput]>('cancel');
export const progressQuery = defineQuery<Progress>('progress');

export const TASK_QUEUE = 'kore-zcc-onboarding';
export const WORKFLOW_TYPE = 'tenantOnboarding';
