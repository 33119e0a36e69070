import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../../activities';
import type { Config } from '../config';
import { TASK_QUEUE } from '../../workflows/contract';
import { workflowCode, type WorkflowCodeRoute } from './bundle';
import { dataConverterFor } from './codec';
import { connectionOptions, unreachable } from './connection';
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
  const dataConverter = dataConverterFor(opts.config);
  // The same address, TLS and API key as the client's (TEMPORAL_* as Temporal's CLI reads them).
  const options = connectionOptions(opts.config);
  const connection = await NativeConnection.connect(options).catch((err: unknown) => {
    throw unreachable(options, err, opts.config.temporal.address === undefined);
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
