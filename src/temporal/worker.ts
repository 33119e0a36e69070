import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../../activities';
import type { Config } from '../config';
import { TASK_QUEUE } from '../../workflows/contract';
import { workflowCode, type WorkflowCodeRoute } from './bundle';
import { temporalAddress } from './client';
import { dataConverterFor } from './codec';
import { installSdkLogging } from './runtime';

/**
 * The onboarding worker: the workflow code (the bundle `npm run build` made, else bundled from
 * `workflows/` at start; see bundle.ts) and the activities bound to configuration. The caller runs
 * it and shuts it down.
 */
export async function createOnboardingWorker(opts: {
  config: Config;
  logger: Logger;
  taskQueue?: string;
  workflowCode?: WorkflowCodeRoute;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  installSdkLogging(opts.logger);
  const address = temporalAddress(opts.config);
  const dataConverter = dataConverterFor(opts.config);
  const connection = await NativeConnection.connect({ address }).catch(() => {
    throw new Error(`cannot reach Temporal at ${address}; start it with \`onboard dev\` (or set TEMPORAL_ADDRESS)`);
  });
  const worker = await Worker.create({
    connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    ...workflowCode(opts.workflowCode),
    maxCachedWorkflows: opts.config.worker.maxCachedWorkflows,
    dataConverter,
    activities: createActivities({ config: opts.config, logger: opts.logger }),
    // On Ctrl-C, give running activities this long to finish; then they are cancelled and retried elsewhere.
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection };
}
