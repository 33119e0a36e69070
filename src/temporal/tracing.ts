import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';
import { ConfigError } from '../config';

/**
 * OpenTelemetry traces along a hand-off: API request -> Temporal client -> workflow (Update,
 * activity scheduling) -> activity -> vendor HTTP call. Off unless the standard OTEL_* variables
 * ask for it; one tracer per process (the API, the worker, or both in `onboard dev`).
 *
 * The workflow side lives in the bundle (workflows/tracing.ts) and traces only messages that carry
 * a trace context, so a process without tracing costs its workflows nothing.
 */

/** The OTEL_* variables that choose an exporter; the exporters read their own (endpoint, headers, timeout). */
const OtelEnv = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none'], { error: 'expected otlp, console or none (one exporter)' }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: 'expected a URL like http://collector:4318' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ error: 'expected a URL like http://collector:4318/v1/traces' }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
});

export interface TracingChoice {
  exporter: 'otlp' | 'console';
  protocol: 'http/protobuf' | 'http/json';
}

/** What the environment asks for: undefined (off) unless an OTLP endpoint or an exporter is named. */
export function tracingChoice(env: NodeJS.ProcessEnv = process.env): TracingChoice | undefined {
  const present = Object.fromEntries(Object.keys(OtelEnv.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const parsed = OtelEnv.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; '));
  const e = parsed.data;
  if (e.OTEL_SDK_DISABLED === 'true' || e.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!e.OTEL_TRACES_EXPORTER && !endpoint) return undefined;
  const [name, protocol] = e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL]
    : ['OTEL_EXPORTER_OTLP_PROTOCOL', e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf'];
  if (protocol !== 'http/protobuf' && protocol !== 'http/json')
    throw new ConfigError(`${name}=${JSON.stringify(protocol)}: expected http/protobuf or http/json (OTLP over HTTP, port 4318; grpc is not supported here)`);
  return { exporter: e.OTEL_TRACES_EXPORTER ?? 'otlp', protocol };
}

export interface Tracing {
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** The process's tracing, when it was started. */
export const currentTracing = (): Tracing | undefined => active;

/**
 * Starts the process's tracing with the OpenTelemetry Node SDK: the exporter the environment names
 * (or `exporter`, e.g. an in-memory one in tests, exported span by span), the service name from
 * OTEL_SERVICE_NAME else `service`. Idempotent: a second call keeps the first tracing.
 */
export async function startTracing(opts: { service: string; exporter?: SpanExporter; env?: NodeJS.ProcessEnv }): Promise<Tracing | undefined> {
  if (active) return active;
  const env = opts.env ?? process.env;
  const choice = opts.exporter ? undefined : tracingChoice(env);
  if (!opts.exporter && !choice) return undefined;
  // The SDK and its exporters load only when tracing is on: they are most of a CLI command's start otherwise.
  const [{ envDetectorSync, Resource }, { NodeSDK }, { BatchSpanProcessor, SimpleSpanProcessor }, { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION }] =
    await Promise.all([
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/semantic-conventions'),
    ]);
  if (active) return active;
  // The SDK's own complaints (an unreachable collector) go to stderr as warnings, never as errors thrown at us.
  diag.setLogger({ error: warn, warn, info: noop, debug: noop, verbose: noop }, DiagLogLevel.WARN);
  const exporter = opts.exporter ?? (await exporterFor(choice!));
  const spanProcessor = opts.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const resource = new Resource({ [ATTR_SERVICE_NAME]: opts.service, [ATTR_SERVICE_VERSION]: '0.1.0' }).merge(envDetectorSync.detect());
  const sdk = new NodeSDK({ resource, spanProcessors: [spanProcessor], instrumentations: [], autoDetectResources: false });
  sdk.start();
  active = { resource, spanProcessor, shutdown: () => sdk.shutdown().finally(() => (active = undefined)) };
  return active;
}

async function exporterFor(choice: TracingChoice): Promise<SpanExporter> {
  if (choice.exporter === 'console') return new (await import('@opentelemetry/sdk-trace-base')).ConsoleSpanExporter();
  return choice.protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter()
    : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
}

const noop = () => undefined;
const warn = (message: string) => process.stderr.write(`opentelemetry: ${message.split('\n')[0]}\n`);

/** The client's interceptors: a trace context on every start, Update, Signal and Query (none while tracing is off). */
export function tracingClientInterceptors(): WorkflowClientInterceptor[] {
  return active ? [new OpenTelemetryWorkflowClientInterceptor()] : [];
}

/**
 * Temporal's workflow exporter copies the whole WorkflowInfo into every span's attributes, its memo
 * (the run's read model: evidence people handed in) and search attributes included. Spans get
 * only what identifies the run.
 */
function identifiedOnly(sink: InjectedSinks<OpenTelemetrySinks>['exporter']): InjectedSinks<OpenTelemetrySinks>['exporter'] {
  return {
    export: {
      ...sink.export,
      fn: (info, spans) => {
        const { workflowId, runId, workflowType, taskQueue, namespace, attempt } = info;
        sink.export.fn({ workflowId, runId, workflowType, taskQueue, namespace, attempt } as typeof info, spans);
      },
    },
  };
}

/**
 * The worker's part: activity interceptors while tracing is on, and always the sink the workflow
 * side exports its spans to (a run traced by another process's client may reach a worker without
 * tracing: its spans are dropped there).
 */
export function tracingWorkerOptions(): Pick<WorkerOptions, 'sinks'> & { activityInterceptors: NonNullable<WorkerOptions['interceptors']>['activity'] } {
  const t = active;
  const sinks: InjectedSinks<OpenTelemetrySinks> = {
    exporter: t ? identifiedOnly(makeWorkflowExporter(t.spanProcessor, t.resource)) : { export: { fn: noop } },
  };
  return {
    sinks,
    activityInterceptors: t
      ? [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })]
      : [],
  };
}
