import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../config';
import type { OnboardingInput } from '../domain/messages';
import { workflowIdFor } from '../domain/tenant';
import { TASK_QUEUE, WORKFLOW_TYPE } from '../../workflows/messages';
import { dataConverterFor } from './codec';
import { TenantId } from './search-attributes';

/** The Temporal frontend to talk to: TEMPORAL_ADDRESS, or the local dev server `onboard dev` runs. */
export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `${config.temporal.ip}:${config.temporal.port}`;
}

export async function connectClient(config: Config): Promise<{ client: Client; close: () => Promise<void> }> {
  const address = temporalAddress(config);
  const dataConverter = dataConverterFor(config);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 5_000 });
  } catch {
    throw new Error(`cannot reach Temporal at ${address}; start it with \`onboard dev\` (or set TEMPORAL_ADDRESS)`);
  }
  return { client: new Client({ connection, namespace: config.temporal.namespace, dataConverter }), close: () => connection.close() };
}

export class OnboardingConflict extends Error {
  override readonly name = 'OnboardingConflict';
}
export class OnboardingNotFound extends Error {
  override readonly name = 'OnboardingNotFound';
}

/** Starts a tenant's onboarding; a finished one may be started again, a running one may not. */
export async function startOnboarding(client: Client, input: OnboardingInput, taskQueue = TASK_QUEUE): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const workflowId = workflowIdFor(input.tenant.tenantId);
  try {
    return await client.workflow.start(WORKFLOW_TYPE, {
      taskQueue,
      workflowId,
      args: [input],
      typedSearchAttributes: [{ key: TenantId, value: input.tenant.tenantId }],
      // Lets the Zoom webhook find the run for an account's events without reading its input.
      memo: { zoomAccountId: input.tenant.zoom.accountId },
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new OnboardingConflict(`an onboarding for tenant ${input.tenant.tenantId} is already running (${workflowId}); see \`onboard status ${input.tenant.tenantId}\`, or cancel it first`);
    }
    throw err;
  }
}

export function onboardingHandle(client: Client, tenantId: string): WorkflowHandle {
  return client.workflow.getHandle(workflowIdFor(tenantId));
}

export interface Rejected {
  code: string;
  message: string;
  fields: Array<{ field: string; message: string }>;
}

/** What a refused Update said: its code (failure type), message and per-field errors. */
export function rejectionOf(err: unknown): Rejected | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const fields = Array.isArray(err.cause.details?.[0]) ? (err.cause.details[0] as Rejected['fields']) : [];
    return { code: err.cause.type ?? 'Rejected', message: err.cause.message, fields };
  }
  return undefined;
}

/** Maps "no such workflow" to a message that names the tenant. */
export async function orNotFound<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) {
      throw new OnboardingNotFound(`no onboarding for tenant ${tenantId}; start one with \`onboard start <tenant.json>\``);
    }
    throw err;
  }
}
