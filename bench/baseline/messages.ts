import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** The baseline's messages, shared by its workflow and the benchmark's people. */
export const baselineCompleteStep = defineUpdate<{ ok: boolean }, [{ stepId: string; evidence: Record<string, unknown>; by: string }]>('completeStep');
export const baselineOpenSteps = defineQuery<{ open: string[] }>('openSteps');
