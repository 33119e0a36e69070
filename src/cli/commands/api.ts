import type { Command } from 'commander';
import { TokenBook } from '../../api/auth';
import { loadConfig } from '../../config';
import { logger } from '../../log';
import { connectClient } from '../../temporal/client';
import { startTracing } from '../../temporal/tracing';
import { portOption, untilStopped } from '../lifecycle';
import { CliError, output } from '../output';

export function registerApi(program: Command): void {
  program
    .command('api')
    .description('serve the HTTP API and its OpenAPI docs (/docs) until Ctrl-C')
    .option('--host <ip>', 'address to bind (default ONBOARD_API_HOST or 127.0.0.1)')
    .option('--port <port>', 'port (default ONBOARD_API_PORT or 3000)', portOption('--port'))
    .option('--json', 'print the address as JSON')
    .action(async (flags: { host?: string; port?: number; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const config = loadConfig();
      let tokens: TokenBook;
      try {
        tokens = TokenBook.fromConfig(config.api);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      if (tokens.size === 0) out.progress('no API tokens configured (ONBOARD_API_TOKENS or ONBOARD_API_TOKENS_FILE): every API call will be refused with 401');
      // Before the client: its interceptors carry each request's trace into the workflow (off unless OTEL_* asks).
      const tracing = await startTracing({ service: 'kore-zcc-onboarding-api' });
      const { client, close } = await connectClient(config);
      // Loaded when the command runs: the commands that only call the API or Temporal start without them.
      const [{ buildApi }, { listenApi }] = await Promise.all([import('../../api/server'), import('../../api/listen')]);
      const app = await buildApi({ config, client, logger: logger(), tokens });
      const url = await listenApi(app, flags.host ?? config.api.host, flags.port ?? config.api.port);
      out.result({ url, docs: `${url}/docs`, tokens: tokens.size }, [`API on ${url} (docs: ${url}/docs); Ctrl-C stops it.`]);
      await untilStopped();
      await app.close();
      await close();
      await tracing?.shutdown();
    });
}
