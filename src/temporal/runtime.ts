import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/**
 * Routes the Temporal SDK's own log lines (bundling, worker state) into our pino logger at WARN
 * and above, so the CLI's output stays readable. The SDK allows one install per process.
 */
export function installSdkLogging(logger: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({
      // Our commands handle Ctrl-C themselves (stopping servers and simulators in order); the
      // SDK's own handler would shut workers down behind their back.
      shutdownSignals: [],
      // The Rust core's own lines (gRPC hiccups, late activity completions) stay on stderr at the
      // same level: forwarding them into JS keeps a native callback alive that stops the process exiting.
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: level }) } },
      logger: new DefaultLogger(level, (entry) => {
        const fields = { sdk: true, ...(entry.meta ?? {}) };
        const msg = entry.message;
        if (entry.level === 'ERROR') logger.error(fields, msg);
        else if (entry.level === 'WARN') logger.warn(fields, msg);
        else logger.debug(fields, msg);
      }),
    });
  } catch {
    // Already installed by someone else in this process (tests): keep theirs.
  }
}
