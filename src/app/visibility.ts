import type { Client } from '@temporalio/client';
import { listRuns } from '../temporal/list-runs';
import {
  type Progress,
  ONBOARDING_STATUSES,
  OnboardingMemo,
  SearchAttributes,
  WAITING_MEMO_KEY,
  WaitingMemo,
  WORKFLOW_TYPE,
  type OnboardingStatus,
  type WaitingStep,
} from '../../workflows/contract';

/** Reads of Temporal's visibility store: counts by status, and the runs awaiting a test call. */
export async function countByStatus(client: Client): Promise<Record<OnboardingStatus, number>> {
  const counts = await Promise.all(
    ONBOARDING_STATUSES.map(
      async (status) => [status, (await client.workflow.count(`WorkflowType = '${WORKFLOW_TYPE}' AND OnboardingStatus = '${status}'`)).count] as const,
    ),
  );
  return Object.fromEntries(counts) as Record<OnboardingStatus, number>;
}

/**
 * The tenants of a Zoom account whose run awaits its test call. Found by the `ZoomAccountId`
 * search attribute; runs started before it existed are found by their memo. The account id comes
 * from an event, so it never goes into the query text: the query names only our constants.
 */
export async function runsAwaitingTestCall(
  client: Client,
  accountId: string,
  progress: (tenantId: string) => Promise<Progress>,
): Promise<Array<{ tenantId: string; flowId?: string }>> {
  const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND OpenSteps = 'place-test-call'`;
  const tenantIds: string[] = [];
  for await (const w of listRuns(client, query)) {
    const account =
      (w.searchAttributes[SearchAttributes.ZoomAccountId.name]?.[0] as string | undefined) ??
      OnboardingMemo.partial().safeParse(w.memo ?? {}).data?.zoomAccountId;
    if (account === accountId) tenantIds.push(w.workflowId.replace(/^onboarding-/, ''));
  }
  // With the ZCC flow each was verified to route, from its published progress.
  return Promise.all(
    tenantIds.map(async (tenantId) => {
      const flowId = (await progress(tenantId)).steps.find((s) => s.id === 'route-zcc-flow-to-connector')?.result?.flowId;
      return { tenantId, flowId: typeof flowId === 'string' ? flowId : undefined };
    }),
  );
}

/** A step waiting on people in an open run, as the run's memo shows it (WAITING_MEMO_KEY). */
export interface WaitingStepView extends WaitingStep {
  stepId: string;
}

/**
 * Every step waiting on people across the open runs, from one visibility list (the memo each run
 * keeps of them): what /metrics counts by age. `withoutDetail`: waiting runs whose memo has no
 * such record yet (started before it, and unchanged since).
 */
export async function waitingSteps(client: Client): Promise<{ steps: WaitingStepView[]; withoutDetail: number }> {
  const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND WaitingOnHuman = true`;
  const steps: WaitingStepView[] = [];
  let withoutDetail = 0;
  for await (const w of listRuns(client, query)) {
    const memo = WaitingMemo.safeParse((w.memo ?? {})[WAITING_MEMO_KEY]);
    if (!memo.success) withoutDetail += 1;
    else for (const [stepId, s] of Object.entries(memo.data)) steps.push({ stepId, ...s });
  }
  return { steps, withoutDetail };
}
