import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { healthWorkflowIdFor, stopHealthSignal } from '../../workflows/health/contract';

/**
 * Stops a tenant's health workflow, if one runs (a new onboarding of the tenant, or its offboarding):
 * a signal, accepted by Temporal with no worker up. Answers whether there was one to stop.
 */
export async function stopHealth(client: Client, tenantId: string, msg: { reason: string; by: string }): Promise<boolean> {
  try {
    await client.workflow.getHandle(healthWorkflowIdFor(tenantId)).signal(stopHealthSignal, { reason: msg.reason.slice(0, 500), by: msg.by });
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) return false;
    throw err;
  }
}
