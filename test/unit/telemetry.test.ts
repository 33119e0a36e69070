import { defaultPayloadConverter } from '@temporalio/common';
import { TRACE_HEADER as OTEL_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { ageBucket, ApiMetrics } from '../../src/api/metrics';
import { ConfigError } from '../../src/config';
import { metricsTelemetry } from '../../src/temporal/runtime';
import { tracingChoice } from '../../src/temporal/tracing';
import { carriesTrace, TRACE_HEADER } from '../../workflows/tracing';

describe('tracing is off unless the standard OTEL_* variables ask for it', () => {
  it('off with nothing set, or disabled, or the exporter none', () => {
    expect(tracingChoice({})).toBeUndefined();
    expect(tracingChoice({ OTEL_SERVICE_NAME: 'x' })).toBeUndefined();
    expect(tracingChoice({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracingChoice({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('OTLP over HTTP (protobuf by default, JSON when asked) with an endpoint; console when named', () => {
    expect(tracingChoice({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ exporter: 'otlp', protocol: 'http/protobuf' });
    expect(tracingChoice({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toEqual({
      exporter: 'otlp',
      protocol: 'http/json',
    });
    expect(tracingChoice({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ exporter: 'console' });
  });

  it('a setting it cannot honour is one line naming the variable', () => {
    expect(() => tracingChoice({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      new ConfigError('OTEL_EXPORTER_OTLP_PROTOCOL="grpc": expected http/protobuf or http/json (OTLP over HTTP, port 4318; grpc is not supported here)'),
    );
    expect(() => tracingChoice({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/^OTEL_TRACES_EXPORTER: expected otlp, console or none/);
    expect(() => tracingChoice({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT: expected a URL/);
  });
});

describe('the workflow side traces only messages that carry a trace context', () => {
  const header = (carrier: Record<string, string>) => ({ [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) });

  it("reads the header Temporal's interceptors write", () => {
    expect(TRACE_HEADER).toBe(OTEL_TRACE_HEADER);
  });

  it('a traceparent counts; no header, an empty carrier (a client without tracing) or a garbled payload does not', () => {
    expect(carriesTrace(header({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }))).toBe(true);
    expect(carriesTrace(undefined)).toBe(false);
    expect(carriesTrace({})).toBe(false);
    expect(carriesTrace(header({}))).toBe(false);
    expect(carriesTrace({ [TRACE_HEADER]: { metadata: { encoding: new TextEncoder().encode('binary/unknown') }, data: new Uint8Array([1]) } })).toBe(false);
  });
});

describe('metric naming', () => {
  it("the worker's Prometheus options give promtool-clean names: _total counters, unit suffixes, seconds", () => {
    expect(metricsTelemetry({ host: '0.0.0.0', port: 9464 })).toMatchObject({
      prometheus: { bindAddress: '0.0.0.0:9464', countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
    });
    expect(metricsTelemetry({ host: '::', port: 9464 })).toMatchObject({ prometheus: { bindAddress: '[::]:9464' } });
  });

  it('a waiting step falls in one age bucket, bounds exclusive', () => {
    expect([0, 3599, 3600, 4 * 3600, 86_399, 86_400, 3 * 86_400, 7 * 86_400 - 1, 30 * 86_400].map(ageBucket)).toEqual([
      'under_1h',
      'under_1h',
      '1h_to_4h',
      '4h_to_1d',
      '4h_to_1d',
      '1d_to_3d',
      '3d_to_7d',
      '3d_to_7d',
      'over_7d',
    ]);
  });
});

describe("the API's waiting-step gauges", () => {
  it('count the listed steps by step, state and age, those needing attention, and those past escalation; a refresh forgets steps no longer waiting', async () => {
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    let listed = [
      { stepId: 'place-test-call', state: 'open' as const, since: ago(60), escalated: false },
      { stepId: 'place-test-call', state: 'waiting-for-human' as const, since: ago(5 * 3600), escalated: false },
      { stepId: 'place-test-call', state: 'waiting-for-human' as const, since: ago(4 * 86_400), escalated: true },
      { stepId: 'publish-app', state: 'needs-attention' as const, since: ago(2 * 3600), escalated: false },
    ];
    const metrics = new ApiMetrics({ countByStatus: async () => ({}) as never, waitingSteps: async () => ({ steps: listed, withoutDetail: 1 }) }, 0);
    const text = await metrics.registry.metrics();
    const lines = (name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    expect(lines('onboard_steps_waiting')).toEqual([
      'onboard_steps_waiting{step="place-test-call",state="open",age="under_1h"} 1',
      'onboard_steps_waiting{step="place-test-call",state="waiting-for-human",age="4h_to_1d"} 1',
      'onboard_steps_waiting{step="place-test-call",state="waiting-for-human",age="3d_to_7d"} 1',
      'onboard_steps_waiting{step="publish-app",state="needs-attention",age="1h_to_4h"} 1',
    ]);
    expect(lines('onboard_steps_needing_attention')).toEqual(['onboard_steps_needing_attention{step="publish-app"} 1']);
    expect(lines('onboard_steps_escalated')).toEqual(['onboard_steps_escalated{step="place-test-call"} 1']);
    expect(lines('onboard_waiting_onboardings_without_detail')).toEqual(['onboard_waiting_onboardings_without_detail 1']);
    listed = listed.slice(0, 1);
    const after = await metrics.registry.metrics();
    expect(after).not.toContain('publish-app');
    expect(after).toContain('onboard_steps_waiting{step="place-test-call",state="open",age="under_1h"} 1');
  });
});
