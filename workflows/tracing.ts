import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type {
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/**
 * Workflow interceptors baked into the bundle (src/temporal/bundle.ts): Temporal's OpenTelemetry
 * interceptors, for the messages that carry a trace context only.
 *
 * Why not always: OpenTelemetry's libraries would be evaluated for every new workflow (the sandbox
 * gives each its own modules), about doubling a run's first task, while most processes trace
 * nothing. So the library is loaded the first time a traced message arrives.
 *
 * Determinism: whether a run is traced is decided from what its history holds (the headers of
 * its start, Updates and Signals), so a replay traces the same calls; a validator or a Query (not
 * in history) may open spans but never marks the run traced. A run that is not traced meets no
 * interceptor of ours at all, so histories from before tracing replay as they ran.
 */

/** The header Temporal's OpenTelemetry interceptors put a trace context in (their TRACE_HEADER; a unit test holds the two equal). */
export const TRACE_HEADER = '_tracer-data';

/** Whether the headers carry a real trace context (a client without tracing may send an empty one). */
export function carriesTrace(headers: Headers | undefined): boolean {
  const payload = headers?.[TRACE_HEADER];
  if (!payload) return false;
  try {
    const carrier = defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload);
    return typeof carrier?.traceparent === 'string';
  } catch {
    return false;
  }
}

type Otel = {
  inbound: Required<Pick<WorkflowInboundCallsInterceptor, 'execute' | 'handleSignal' | 'handleUpdate' | 'validateUpdate' | 'handleQuery'>>;
  outbound: Required<
    Pick<
      WorkflowOutboundCallsInterceptor,
      'scheduleActivity' | 'scheduleLocalActivity' | 'startChildWorkflowExecution' | 'continueAsNew' | 'signalWorkflow' | 'getLogAttributes'
    >
  >;
  internals: Required<Pick<WorkflowInternalsInterceptor, 'dispose'>>;
};

function loadOtel(): Otel {
  // Loaded on first use on purpose (see above); webpack bundles it and evaluates it only then.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof import('@temporalio/interceptors-opentelemetry/lib/workflow');
  return {
    inbound: new m.OpenTelemetryInboundInterceptor() as Otel['inbound'],
    outbound: new m.OpenTelemetryOutboundInterceptor() as Otel['outbound'],
    internals: new m.OpenTelemetryInternalsInterceptor() as Otel['internals'],
  };
}

/** One set per workflow: its own `traced` flag and, once needed, its own OpenTelemetry interceptors. */
export const interceptors = (): WorkflowInterceptors => {
  let otel: Otel | undefined;
  let traced = false;
  const use = () => (otel ??= loadOtel());
  // From history (start, Update, Signal): marks the run traced, so what it schedules carries the context on.
  const inHistory =
    <I extends { headers: Headers }, O>(pick: (o: Otel['inbound']) => (input: I, next: (input: I) => O) => O) =>
    (input: I, next: (input: I) => O): O => {
      if (!carriesTrace(input.headers)) return next(input);
      traced = true;
      return pick(use().inbound)(input, next);
    };
  // Not in history (validators, Queries): a span when asked for, no change to the run.
  const outsideHistory =
    <I extends { headers: Headers }, O>(pick: (o: Otel['inbound']) => (input: I, next: (input: I) => O) => O) =>
    (input: I, next: (input: I) => O): O =>
      carriesTrace(input.headers) ? pick(use().inbound)(input, next) : next(input);

  return {
    inbound: [
      {
        execute: inHistory((o) => o.execute.bind(o)),
        handleSignal: inHistory((o) => o.handleSignal.bind(o)),
        handleUpdate: inHistory((o) => o.handleUpdate.bind(o)),
        validateUpdate: outsideHistory((o) => o.validateUpdate.bind(o)),
        handleQuery: outsideHistory((o) => o.handleQuery.bind(o)),
      },
    ],
    outbound: [
      {
        // Only in a traced run: what it schedules carries the context on to the activity (or child, or next run).
        scheduleActivity: (input, next) => (traced ? use().outbound.scheduleActivity(input, next) : next(input)),
        scheduleLocalActivity: (input, next) => (traced ? use().outbound.scheduleLocalActivity(input, next) : next(input)),
        startChildWorkflowExecution: (input, next) => (traced ? use().outbound.startChildWorkflowExecution(input, next) : next(input)),
        continueAsNew: (input, next) => (traced ? use().outbound.continueAsNew(input, next) : next(input)),
        signalWorkflow: (input, next) => (traced ? use().outbound.signalWorkflow(input, next) : next(input)),
        getLogAttributes: (input, next) => (otel ? otel.outbound.getLogAttributes(input, next) : next(input)),
      },
    ],
    internals: [{ dispose: (input, next) => (otel ? otel.internals.dispose(input, next) : next(input)) }],
  };
};
