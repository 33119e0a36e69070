import type { NativeConnection, Worker } from '@temporalio/worker';

/** Shuts a running worker down (once, whoever asks first), waits for it, and closes its connection. */
export async function stopWorker(worker: Worker, running: Promise<void>, connection: NativeConnection): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running.catch(() => undefined);
  await connection.close();
}
