import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { logger } from '../../log';
import { currentTracing } from '../../temporal/tracing';
import { untilStopped } from '../lifecycle';
import { output } from '../output';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the onboarding worker (workflow + activities) until Ctrl-C')
    .option(
      '--task-queue <name>',
      'task queue to poll (default: $ONBOARD_TASK_QUEUE, else kore-zcc-onboarding); `onboard start` and the API start onboardings on $ONBOARD_TASK_QUEUE',
    )
    .option('--json', "print the worker's settings as JSON when it is ready")
    .action(async (flags: { json?: boolean; taskQueue?: string }) => {
      const out = output(Boolean(flags.json));
      // The flag goes through the same check as the variable, so a bad name is one line naming it.
      const config = loadConfig(flags.taskQueue === undefined ? process.env : { ...process.env, ONBOARD_TASK_QUEUE: flags.taskQueue });
      // Loaded when the command runs: the commands that only call the API or Temporal start without them.
      const [{ createOnboardingWorker }, { stopWorker }] = await Promise.all([import('../../temporal/worker'), import('../../temporal/stop-worker')]);
      const { worker, connection } = await createOnboardingWorker({ config, logger: logger(), taskQueue: config.temporal.taskQueue });
      const running = worker.run();
      out.result(
        {
          taskQueue: worker.options.taskQueue,
          namespace: config.temporal.namespace,
          kore: config.kore.baseUrl ?? 'by region',
          zoom: config.zoom.apiUrl,
          metrics: config.worker.metrics ? `http://${config.worker.metrics.host}:${config.worker.metrics.port}/metrics` : null,
          refusePlainInput: config.worker.refusePlainInput,
        },
        [
          `Worker ready on task queue ${worker.options.taskQueue} (namespace ${config.temporal.namespace})${metricsNote(config.worker.metrics)}${plainNote(config.worker.refusePlainInput)}; Ctrl-C stops it.`,
        ],
      );
      await Promise.race([untilStopped(), running]);
      await stopWorker(worker, running, connection);
      await currentTracing()?.shutdown();
    });
}

const metricsNote = (m: { host: string; port: number } | undefined) => (m ? `, metrics on http://${m.host}:${m.port}/metrics` : '');
// Said only when off: a production worker that accepts codec-less input should be noticed.
const plainNote = (refuse: boolean) => (refuse ? '' : ', accepting input sent without the codec (ONBOARD_REFUSE_PLAIN_INPUT=false)');
