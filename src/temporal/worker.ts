import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../../activities';
import type { Config } from '../config';
import { TASK_QUEUE } from '../../workflows/contract';
import { workflowCode, type WorkflowCodeRoute } from './bundle';
import { workerDataConverter } from './codec';
import { connectionOptions, unreachable } from './connection';
import { installSdkLogging, workerMeter } from './runtime';
import { startTracing, tracingWorkerOptions } from './tracing';

/**
 * The onboarding worker: the workflow code (the bundle `npm run build` made, else bundled from
 * `workflows/` at start; see bundle.ts) and the activities bound to configuration. The caller runs
 * it and shuts it down. Its telemetry: the SDK's and our metrics on ONBOARD_WORKER_METRICS_PORT,
 * traces when OTEL_* asks for them (src/temporal/tracing.ts).
 */
export async function createOnboardingWorker(opts: {
  config: Config;
  logger: Logger;
  taskQueue?: string;
  workflowCode?: WorkflowCodeRoute;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  installSdkLogging(opts.logger, 'WARN', opts.config.worker.metrics);
  await startTracing({ service: 'kore-zcc-onboarding-worker' });
  const dataConverter = workerDataConverter(opts.config);
  // The same address, TLS and API key as the client's (TEMPORAL_* as Temporal's CLI reads them).
  const options = connectionOptions(opts.config);
  const connection = await NativeConnection.connect(options).catch((err: unknown) => {
    throw unreachable(options, err, opts.config.temporal.address === undefined);
  });
  const { workflowModules, ...code } = workflowCode(opts.workflowCode);
  const { sinks, activityInterceptors } = tracingWorkerOptions();
  const worker = await Worker.create({
    connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    ...code,
    maxCachedWorkflows: opts.config.worker.maxCachedWorkflows,
    dataConverter,
    activities: createActivities({ config: opts.config, logger: opts.logger, meter: workerMeter() }),
    interceptors: { activity: activityInterceptors, ...(workflowModules ? { workflowModules } : {}) },
    sinks,
    // On Ctrl-C, give running activities this long to finish; then they are cancelled and retried elsewhere.
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection };
}
