import type { Command } from 'commander';
import { loadConfig } from '../../config';
import type { Simulators } from '../../sim';
import type { DevServer } from '../../temporal/server';
import { portOption, untilStopped } from '../lifecycle';
import { output } from '../output';
import { DEFAULT_SEED, simLines, simSummary, startConfiguredSimulators } from './sim';
import { startLocalTemporal, temporalLines } from './temporal';

/**
 * Everything a newcomer needs on one machine: the local Temporal server (unless TEMPORAL_ADDRESS
 * names one) and the simulators with a demo tenant. Ctrl-C stops all of it.
 */
export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('run the local Temporal dev server and the Kore.ai/Zoom simulators together until Ctrl-C')
    .option('--port <port>', 'Temporal gRPC port (default ONBOARD_TEMPORAL_PORT or 7233)', portOption('--port'))
    .option('--ui-port <port>', 'Temporal Web UI port (default ONBOARD_TEMPORAL_UI_PORT or 8233)', portOption('--ui-port'))
    .option('--memory', 'keep no Temporal state on disk')
    .option('--no-seed', 'start the simulators with no demo tenant')
    .option('--json', 'print the addresses as JSON')
    .action(async (flags: { port?: number; uiPort?: number; memory?: boolean; seed: boolean; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const config = loadConfig();
      const seed = flags.seed === false ? false : DEFAULT_SEED;
      let server: DevServer | undefined;
      let sims: Simulators | undefined;
      try {
        if (!config.temporal.address) server = await startLocalTemporal(config, flags, out.progress);
        sims = await startConfiguredSimulators({ seed });
        const temporalInfo = server
          ? { address: server.address, uiUrl: server.uiUrl, route: server.route, logFile: server.logFile, startMs: server.startMs }
          : { address: config.temporal.address, external: true };
        out.result({ temporal: temporalInfo, ...simSummary(sims, seed) }, [
          ...(server ? temporalLines(server) : [`Temporal server      ${config.temporal.address} (TEMPORAL_ADDRESS)`]),
          ...simLines(sims, seed),
          'Ctrl-C stops everything.',
        ]);
        await untilStopped();
      } finally {
        await sims?.stop();
        await server?.stop();
      }
    });
}
