import type { Client } from '@temporalio/client';
import { ONBOARDING_STATUSES, OnboardingMemo, SearchAttributes, WORKFLOW_TYPE, type OnboardingStatus } from '../../workflows/contract';

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
export async function runsAwaitingTestCall(client: Client, accountId: string): Promise<string[]> {
  const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND OpenSteps = 'place-test-call'`;
  const tenantIds: string[] = [];
  for await (const w of client.workflow.list({ query })) {
    const account = w.typedSearchAttributes.get(SearchAttributes.ZoomAccountId) ?? OnboardingMemo.partial().safeParse(w.memo ?? {}).data?.zoomAccountId;
    if (account === accountId) tenantIds.push(w.workflowId.replace(/^onboarding-/, ''));
  }
  return tenantIds;
}
