import v8 from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import type { WorkflowCodeRoute } from '../src/temporal/bundle';
import { connectionOptions } from '../src/temporal/connection';
import { workerDataConverter } from '../src/temporal/codec';
import { installSdkLogging } from '../src/temporal/runtime';
import { createOnboardingWorker } from '../src/temporal/worker';
import type { FromWorker, ToWorker } from './worker-process';

/**
 * A benchmark worker in its own process, so its memory is its own and it competes for CPU like a
 * deployed worker would. `ours` is the real createOnboardingWorker; `baseline` runs the plain
 * workflow with the same activities. Usage: worker-main <ours|baseline> <taskQueue> [codeRoute]
 */
async function main(): Promise<void> {
  const [kind, taskQueue, route = 'auto'] = process.argv.slice(2);
  if ((kind !== 'ours' && kind !== 'baseline') || !taskQueue) throw new Error('usage: worker-main <ours|baseline> <taskQueue> [auto|prebuilt|bundle-at-start]');
  const config = loadConfig();
  const logger = createLogger({ name: `bench-worker-${kind}` });
  const created = Date.now();
  let worker: Worker;
  let connection: NativeConnection;
  if (kind === 'ours') {
    ({ worker, connection } = await createOnboardingWorker({ config, logger, taskQueue, workflowCode: route as WorkflowCodeRoute }));
  } else {
    installSdkLogging(logger);
    connection = await NativeConnection.connect(connectionOptions(config));
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('./baseline/workflows'),
      // The same payload encryption as ours, so the ratio measures the engine, not the codec.
      dataConverter: workerDataConverter(config),
      activities: createActivities({ config, logger }),
    });
  }
  const running = worker.run();
  const send = (m: FromWorker) => process.send?.(m);
  send({ type: 'ready', createMs: Date.now() - created, uptimeMs: Math.round(process.uptime() * 1000) });

  process.on('message', (m: ToWorker) => {
    if (m.type === 'status') {
      if (process.env.BENCH_HEAP_SNAPSHOT_DIR) v8.writeHeapSnapshot(`${process.env.BENCH_HEAP_SNAPSHOT_DIR}/worker-${Date.now()}.heapsnapshot`);
      const s = worker.getStatus();
      send({ type: 'status', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, cachedWorkflows: s.numCachedWorkflows });
    } else if (m.type === 'stop') {
      worker.shutdown();
    }
  });
  process.on('disconnect', () => worker.getState() === 'RUNNING' && worker.shutdown());
  await running;
  await connection.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(`bench worker: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
