import type { WorkflowHandle } from '@temporalio/client';
import { type Progress, progressFromMemo } from '../../workflows/contract';

/**
 * The run's read model (workflows/contract/memo.ts): its progress as the run last published it in
 * its memo (whole, or split over keys by the compact read model), read with describe() (a lookup in Temporal's store, no replay on a worker). Undefined
 * for a run from before the read model (its memo has none): ask the workflow then.
 */
export async function publishedProgress(handle: WorkflowHandle): Promise<Progress | undefined> {
  return progressFromMemo((await handle.describe()).memo ?? {});
}
