import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { log, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { healthFeaturesOf } from '../../src/domain/health';
import type { TenantInput } from '../../src/domain/tenant';
import type { Progress } from '../contract';
import { HEALTH_WORKFLOW_TYPE, healthWorkflowIdFor, type HealthOptions } from './contract';
import type { tenantHealth } from './health';

/**
 * A completed onboarding hands its tenant to the health workflow: a child that outlives it
 * (ParentClosePolicy ABANDON), started from the workflow itself so the start is in the
 * onboarding's history and needs no client in the worker. One already running for the tenant
 * (enabled by hand) is left as it is.
 */
export async function startHealth(tenant: TenantInput, progress: Progress, options: HealthOptions = {}): Promise<void> {
  try {
    await startChild<typeof tenantHealth>(HEALTH_WORKFLOW_TYPE, {
      workflowId: healthWorkflowIdFor(tenant.tenantId),
      args: [{ tenant, features: healthFeaturesOf(progress.steps), options }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    log.info('health checks already running for the tenant', { tenantId: tenant.tenantId });
  }
}
