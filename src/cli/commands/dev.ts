import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { logger } from '../../log';
import type { Simulators } from '../../sim';
import net from 'node:net';
import type { DevServer } from '../../local-temporal/server';
import { connectClient } from '../../temporal/client';
import { startTracing } from '../../temporal/tracing';
import { ensureDevKeyring } from '../../temporal/codec';
import { devTokens, TokenBook } from '../../api/auth';
import fs from 'node:fs';
import { ownerOnly } from '../../paths';
import { untilStopped } from '../lifecycle';
import { writeDevStack } from '../dev-stack';
import { output } from '../output';
import { DEFAULT_SEED, simLines, simSummary, startConfiguredSimulators } from './sim';
import { startLocalTemporal, temporalLines, withServerOptions } from './temporal';

const VENDOR_VARS = ['ONBOARD_KORE_BASE_URL', 'ONBOARD_ZOOM_API_URL', 'ONBOARD_ZOOM_OAUTH_URL'] as const;

/**
 * Everything a newcomer needs on one machine: the local Temporal server (unless TEMPORAL_ADDRESS
 * names one), the simulators with a demo tenant, and a worker. With no vendor endpoints configured
 * the worker talks to the simulators. Ctrl-C stops all of it.
 */
export function registerDev(program: Command): void {
  withServerOptions(program.command('dev').description('run the local Temporal server, the Kore.ai/Zoom simulators and a worker together until Ctrl-C'))
    .option('--no-seed', 'start the simulators with no demo tenant')
    .option('--json', 'print the addresses as JSON')
    .action(async (flags: { port?: number; uiPort?: number; memory?: boolean; seed: boolean; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const config = loadConfig();
      // `onboard dev > dev.log 2>&1`: such a file collects everything we and the servers print
      // (and older versions printed the token there), so it is made its owner's alone.
      ownerOnly(1);
      ownerOnly(2);
      fs.mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
      // Payloads are encrypted from the first run: a local key, made once, 0600, git-ignored.
      const devKey = ensureDevKeyring(config);
      // Known before the Web UI starts, since the UI is told where the API's codec is. A port we
      // picked is held until the API listens: the dev server opens ports of its own meanwhile.
      const held = config.api.port ? undefined : await holdFreePort(config.api.host);
      const apiPort = held?.port ?? config.api.port;
      const seed = flags.seed === false ? false : DEFAULT_SEED;
      const stops: Array<() => Promise<unknown>> = [];
      if (held) stops.push(held.release);
      try {
        // Loaded when the command runs: the commands that only call the API or Temporal start without them.
        const [{ createOnboardingWorker }, { stopWorker }, { buildApi }, { listenApi }] = await Promise.all([
          import('../../temporal/worker'),
          import('../../temporal/stop-worker'),
          import('../../api/server'),
          import('../../api/listen'),
        ]);
        let server: DevServer | undefined;
        if (!config.temporal.address) {
          server = await startLocalTemporal(config, flags, out.progress, apiPort);
          stops.unshift(() => server!.stop());
        }
        const sims: Simulators = await startConfiguredSimulators({ seed });
        stops.unshift(() => sims.stop());
        const useSims = VENDOR_VARS.every((v) => !process.env[v]);
        const workerConfig = loadConfig({
          ...process.env,
          ...(useSims ? sims.env : {}),
          ...(server ? { TEMPORAL_ADDRESS: server.address } : {}),
          // The dashboard links each run to the local Web UI (unless another UI is named).
          ...(server?.uiUrl ? { ONBOARD_TEMPORAL_UI_URL: process.env.ONBOARD_TEMPORAL_UI_URL || server.uiUrl } : {}),
          // Dev tenants may point reminders at a local receiver.
          ONBOARD_ALLOW_LOCAL_WEBHOOKS: process.env.ONBOARD_ALLOW_LOCAL_WEBHOOKS || 'true',
          // Off until a dev server's older runs are closed: they may hold plain input (docs/operations.md).
          ONBOARD_REFUSE_PLAIN_INPUT: process.env.ONBOARD_REFUSE_PLAIN_INPUT || 'false',
        });
        // The local Web UI may call the API's codec endpoint.
        if (server?.uiUrl && !workerConfig.codec.corsOrigins.includes(server.uiUrl)) workerConfig.codec.corsOrigins.push(server.uiUrl);
        // One tracer for the worker and the API of this process (off unless OTEL_* asks).
        const tracing = await startTracing({ service: 'kore-zcc-onboarding' });
        if (tracing) stops.push(() => tracing.shutdown());
        const { worker, connection } = await createOnboardingWorker({ config: workerConfig, logger: logger(), taskQueue: workerConfig.temporal.taskQueue });
        const running = worker.run();
        stops.unshift(() => stopWorker(worker, running, connection));
        // The API, with a local engineer token (created once, 0600, under the state dir).
        const dev = devTokens(config.stateDir);
        const tokens =
          config.api.tokens || config.api.tokensFile ? TokenBook.fromConfig(config.api) : TokenBook.parse(fs.readFileSync(dev.file, 'utf8'), dev.file);
        const { client, close } = await connectClient(workerConfig);
        stops.unshift(close);
        const api = await buildApi({ config: workerConfig, client, logger: logger(), tokens });
        stops.unshift(() => api.close());
        await held?.release();
        const apiUrl = await listenApi(api, config.api.host, apiPort);
        // `onboard rehearse` finds this stack and rehearses on it (only when the worker talks to our simulators).
        if (useSims)
          stops.unshift(
            writeDevStack(config.stateDir, {
              pid: process.pid,
              temporalAddress: workerConfig.temporal.address!,
              taskQueue: worker.options.taskQueue,
              koreUrl: sims.admin.koreUrl,
              zoomUrl: sims.admin.zoomUrl,
              apiUrl,
              codecKeysFile: workerConfig.codec.keysFile ?? devKey.file,
              codecKeysInline: workerConfig.codec.keys ? true : undefined,
            }),
          );
        const temporalInfo = server
          ? { address: server.address, uiUrl: server.uiUrl, route: server.route, logFile: server.logFile, startMs: server.startMs }
          : { address: config.temporal.address, external: true };
        out.result(
          {
            temporal: temporalInfo,
            ...simSummary(sims, seed),
            worker: {
              taskQueue: worker.options.taskQueue,
              vendors: useSims ? 'simulators' : 'configured endpoints',
              refusePlainInput: workerConfig.worker.refusePlainInput,
            },
            api: { url: apiUrl, docs: `${apiUrl}/docs`, tokenFile: dev.file, codec: `${apiUrl}/codec` },
            payloadKeys: devKey.file ? { file: devKey.file, created: devKey.created } : { from: 'ONBOARD_CODEC_KEYS(_FILE)' },
          },
          [
            ...(server ? temporalLines(server) : [`Temporal server      ${config.temporal.address} (TEMPORAL_ADDRESS)`]),
            ...simLines(sims, seed),
            `Worker               task queue ${worker.options.taskQueue}, talking to the ${useSims ? 'simulators' : 'configured Kore.ai/Zoom endpoints'}${workerConfig.worker.refusePlainInput ? '' : '; takes input sent without the codec (ONBOARD_REFUSE_PLAIN_INPUT=false)'}`,
            `API                  ${apiUrl}   (docs: ${apiUrl}/docs)`,
            // The token is shown on a terminal only: output kept in a file or piped on must not carry it.
            process.stdout.isTTY
              ? `Engineer token       ${dev.token}   (from ${dev.file}; send as Authorization: Bearer <token>)`
              : `Engineer token       in ${dev.file} (0600; not printed, as this output is not a terminal)`,
            `Payload key          ${devKey.file ? `${devKey.file} (${devKey.created ? 'created now' : 'existing'}, 0600)` : 'from ONBOARD_CODEC_KEYS(_FILE)'}; the Web UI decodes through ${apiUrl}/codec (see SECURITY.md)`,
            '',
            'Try it:  onboard start examples/tenant.example.json && onboard status acme-demo',
            '         onboard rehearse examples/tenant.example.json   (a whole onboarding, people played by a script)',
            'Ctrl-C stops everything.',
          ],
        );
        await Promise.race([untilStopped(), running]);
      } finally {
        for (const stop of stops) await stop().catch(() => undefined);
      }
    });
}

/** A free port, kept bound (so nothing else takes it) until `release()`. */
async function holdFreePort(host: string): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return { port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
