import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';

/** A client and a worker factory on the suite's dev server (started in global-setup). */
export async function suiteTemporal() {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: global-setup did not start the dev server');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  const taskQueue = `test-${randomUUID()}`;
  return {
    address,
    namespace,
    client,
    taskQueue,
    worker: (opts: Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue'>) =>
      Worker.create({ connection: nativeConnection, namespace, taskQueue, ...opts }),
    close: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
