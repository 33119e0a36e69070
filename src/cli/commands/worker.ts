import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { logger } from '../../log';
import { stopWorker } from '../../temporal/stop-worker';
import { createOnboardingWorker } from '../../temporal/worker';
import { untilStopped } from '../lifecycle';
import { output } from '../output';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the onboarding worker (workflow + activities) on task queue kore-zcc-onboarding until Ctrl-C')
    .option('--json', 'print the worker\'s settings as JSON when it is ready')
    .action(async (flags: { json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const config = loadConfig();
      const { worker, connection } = await createOnboardingWorker({ config, logger: logger() });
      const running = worker.run();
      out.result({ taskQueue: worker.options.taskQueue, namespace: config.temporal.namespace, kore: config.kore.baseUrl ?? 'by region', zoom: config.zoom.apiUrl }, [
        `Worker ready on task queue ${worker.options.taskQueue} (namespace ${config.temporal.namespace}); Ctrl-C stops it.`,
      ]);
      await Promise.race([untilStopped(), running]);
      await stopWorker(worker, running, connection);
    });
}
