import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel, type RuntimeOptions } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/** Where the worker serves Prometheus metrics (GET /metrics), e.g. `{ host: '0.0.0.0', port: 9464 }`. */
export interface MetricsEndpoint {
  host: string;
  port: number;
}

/**
 * Latency buckets (seconds) of our histograms on the worker's endpoint; the SDK's own keep theirs.
 * Vendor calls take tens of milliseconds to the HTTP timeout; rate-limit waits a second to an hour.
 */
export const WORKER_HISTOGRAM_BUCKETS: Record<string, number[]> = {
  onboard_vendor_request_duration: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  onboard_rate_limit_wait: [1, 5, 15, 60, 300, 900, 3600],
};

/**
 * The Temporal SDK's metrics, for Prometheus: served by the SDK's Rust core at `endpoint`, with
 * the options that make its names follow Prometheus conventions (promtool-clean): counters end in
 * `_total`, histograms carry their unit, durations are in seconds. Our worker-side metrics
 * (activities/metrics.ts) go through the same meter, so one endpoint serves both.
 */
export function metricsTelemetry(endpoint: MetricsEndpoint): NonNullable<RuntimeOptions['telemetryOptions']>['metrics'] {
  return {
    metricPrefix: 'temporal_',
    prometheus: {
      bindAddress: `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`,
      countersTotalSuffix: true,
      unitSuffix: true,
      useSecondsForDurations: true,
      histogramBucketOverrides: WORKER_HISTOGRAM_BUCKETS,
    },
  };
}

/**
 * Installs the SDK's Runtime once per process: its log lines go into our pino logger at WARN and
 * above (so the CLI's output stays readable), and with `metrics` its Prometheus endpoint starts.
 * The SDK allows one install per process; a second call keeps the first (tests).
 */
export function installSdkLogging(logger: Logger, level: LogLevel = 'WARN', metrics?: MetricsEndpoint): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({
      // Our commands handle Ctrl-C themselves (stopping servers and simulators in order); the
      // SDK's own handler would shut workers down behind their back.
      shutdownSignals: [],
      telemetryOptions: {
        // The Rust core's own lines (gRPC hiccups, late activity completions) stay on stderr at the
        // same level: forwarding them into JS keeps a native callback alive that stops the process exiting.
        logging: { filter: makeTelemetryFilterString({ core: level }) },
        ...(metrics ? { metrics: metricsTelemetry(metrics) } : {}),
      },
      logger: new DefaultLogger(level, (entry) => {
        const fields = { sdk: true, ...(entry.meta ?? {}) };
        const msg = entry.message;
        if (entry.level === 'ERROR') logger.error(fields, msg);
        else if (entry.level === 'WARN') logger.warn(fields, msg);
        else logger.debug(fields, msg);
      }),
    });
  } catch (err) {
    // A port that cannot be bound is the operator's to fix: say which setting.
    if (metrics && /bind|address/i.test(String((err as Error).message)))
      throw new Error(
        `cannot serve worker metrics on ${metrics.host}:${metrics.port} (ONBOARD_WORKER_METRICS_HOST/PORT): ${String((err as Error).message).split('\n')[0]}`,
      );
    // Already installed by someone else in this process (tests): keep theirs.
  }
}

/** The meter our worker-side metrics use: the installed Runtime's (a no-op one without a metrics endpoint). */
export const workerMeter = () => Runtime.instance().metricMeter;
