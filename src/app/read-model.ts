import type { WorkflowHandle } from '@temporalio/client';
import { Progress, PROGRESS_MEMO_KEY } from '../../workflows/contract';

/**
 * The run's read model (workflows/contract/memo.ts): its progress as the run last published it in
 * its memo, read with describe() (a lookup in Temporal's store, no replay on a worker). Undefined
 * for a run from before the read model (its memo has none): ask the workflow then.
 */
export async function publishedProgress(handle: WorkflowHandle): Promise<Progress | undefined> {
  const memo = (await handle.describe()).memo ?? {};
  const r = Progress.safeParse(memo[PROGRESS_MEMO_KEY]);
  return r.success ? r.data : undefined;
}
