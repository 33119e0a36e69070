import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { ApiMetrics } from '../../src/api/metrics';
import { loadConfig } from '../../src/config';
import { connectClient } from '../../src/temporal/client';
import { addKey } from '../../src/temporal/codec';
import { SearchAttributes, WAITING_MEMO_KEY, WORKFLOW_TYPE } from '../../workflows/contract';
import { EXTRA_KEYS_DIR } from '../support/paths';
import { buildApi } from '../../src/api/server';
import { Onboardings } from '../../src/app';
import { publicTenant, type TenantFile } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, registerTenant, type ConsoleMemory } from '../../src/people';
import { startTracing } from '../../src/temporal/tracing';
import { onboardLongRunning } from '../support/cli';
import { TEST_SECRETS } from '../support/fixtures';
import { deploymentExpressions, metricNamesIn, SDK_WORKER_METRICS } from '../support/monitoring';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Issue 18's traces and metrics on a real Temporal server: one `complete` through the API is one
 * connected trace (API request -> client Update -> workflow -> verifier activity -> vendor call)
 * with nothing a person handed in and no secret in it; the worker's Prometheus endpoint (the SDK's
 * metrics and our vendor/verification metrics) and the API's /metrics pass `promtool check metrics`.
 * The metrics worker is an `onboard worker` process: the SDK's Runtime (and so its endpoint) is
 * installed once per process, and the test setup installed this one's already.
 */
const ENGINEER = 'engineer-token-0123456789abcdef';
const exporter = new InMemorySpanExporter();
// Before the harness: its client and worker take the process's tracing when they are made.
const tracingStarted = startTracing({ service: 'observability-test', exporter });

let h: Harness;
let api: FastifyInstance;
let metricsPort: number;
let metricsWorker: Awaited<ReturnType<typeof onboardLongRunning>> | undefined;
const metricsQueue = `onboarding-metrics-${randomUUID()}`;
beforeAll(async () => {
  await tracingStarted;
  [h, metricsPort] = await Promise.all([startHarness(), freePort()]);
  const workerEnv = { ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir, ONBOARD_TASK_QUEUE: metricsQueue, ONBOARD_WORKER_METRICS_PORT: String(metricsPort) };
  metricsWorker = await onboardLongRunning(['worker', '--json'], workerEnv);
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'observability-test' }),
    tokens: new TokenBook([{ name: 'Pat Engineer', role: 'engineer', token: ENGINEER }]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
});
afterAll(async () => {
  await metricsWorker?.stop();
  await api?.close();
  await h?.stop();
});

const ROUTE = 'route-zcc-flow-to-connector';

/** A new tenant's run (started by `desk`, so on its task queue) up to its route step: the connector is done, the route step open. */
async function upToRoute(desk: Onboardings) {
  const file: TenantFile = tenantFile();
  const tenant = publicTenant(file);
  await registerTenant(h.consoles, tenant, { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  await desk.start(file, { options: FAST });
  const memory: ConsoleMemory = {};
  await h.until(file.tenantId, h.stepIs('create-zoom-connector', 'open'));
  const connector = await doInConsoles('create-zoom-connector', tenant, h.consoles, memory);
  await h.complete(file.tenantId, 'create-zoom-connector', connector);
  await h.until(file.tenantId, h.stepIs(ROUTE, 'open'));
  return { file, memory, connector };
}

describe('a hand-off, traced', () => {
  it('one complete through the API is one connected trace: request, Update, verifier activity, vendor call; no secret or evidence in it', async () => {
    const { file, memory, connector } = await upToRoute(h.onboardings);
    const evidence = await doInConsoles(ROUTE, publicTenant(file), h.consoles, memory);
    exporter.reset();

    const res = await api.inject({
      method: 'POST',
      url: `/api/v1/onboardings/${file.tenantId}/steps/${ROUTE}/complete`,
      headers: { authorization: `Bearer ${ENGINEER}` },
      payload: { evidence },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().step.state).toBe('done');

    const request = exporter.getFinishedSpans().find((s) => s.name === 'POST /api/v1/onboardings/:tenantId/steps/:stepId/complete')!;
    expect(request).toBeDefined();
    const traceId = request.spanContext().traceId;
    // Workflow spans reach the exporter through the worker's sink after their activation: wait for them.
    const trace = await eventually(() => {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      return spans.some((s) => s.name === 'HandleUpdate:completeStep') && spans.some((s) => s.name === 'zoom zoom.listFlows') ? spans : undefined;
    });
    const names = trace.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'StartWorkflowUpdate:completeStep',
        'ValidateUpdate:completeStep',
        'HandleUpdate:completeStep',
        'StartActivity:findZccFlow',
        'RunActivity:findZccFlow',
        'zoom zoom.listFlows',
      ]),
    );
    // Connected: one root (the request), and every other span's parent is in the trace.
    const ids = new Set(trace.map((s) => s.spanContext().spanId));
    expect(trace.filter((s) => !s.parentSpanId).map((s) => s.name)).toEqual([request.name]);
    expect(trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).map((s) => s.name)).toEqual([]);
    // The vendor call is a child of the verifier's run, which follows the Update.
    const byName = (n: string) => trace.find((s) => s.name === n)!;
    expect(byName('zoom zoom.listFlows').parentSpanId).toBe(byName('RunActivity:findZccFlow').spanContext().spanId);
    expect(byName('zoom zoom.listFlows').attributes).toMatchObject({
      'onboard.vendor': 'zoom',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    });

    // Nothing a person handed in and no secret, in any span's name or attribute (every span of the run, not only this trace).
    const forbidden = [...Object.values(TEST_SECRETS), ...[evidence, connector, memory].flatMap((o) => Object.values(o).map(String))].filter(
      (v) => v.length >= 6,
    );
    expect(forbidden.length).toBeGreaterThan(2);
    const text = exporter.getFinishedSpans().map(spanText).join('\n');
    for (const value of forbidden) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
  });
});

describe('metrics, promtool-clean', () => {
  it("the worker's endpoint serves the SDK's metrics and ours (vendor calls, latency, verifications), and promtool accepts them", async () => {
    // A hand-off on the metrics worker's queue: access checks, the connector, the route step's verifier.
    const { file, memory } = await upToRoute(new Onboardings(h.client, h.config, { taskQueue: metricsQueue, onboardingOptions: FAST }));
    const after = await h.complete(file.tenantId, ROUTE, await doInConsoles(ROUTE, publicTenant(file), h.consoles, memory));
    expect(after.state).toBe('done');
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/^temporal_activity_schedule_to_start_latency_seconds_bucket\{/m);
    expect(text).toMatch(/^temporal_workflow_task_schedule_to_start_latency_seconds_bucket\{/m);
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(text).toMatch(/^onboard_vendor_requests_total\{[^}]*operation="zoom\.listFlows"[^}]*status="200"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^onboard_vendor_request_duration_seconds_bucket\{[^}]*vendor="zoom"/m);
    expect(text).toMatch(/^onboard_verifications_total\{[^}]*outcome="passed"[^}]*verifier="findZccFlow"[^}]*\} [1-9]/m);
    expect(promtoolCheck(text)).toEqual({ status: 0, problems: '' });
    // The SDK's metrics the dashboard and alerts may name are served, and so is each one they do name.
    for (const family of SDK_WORKER_METRICS) expect({ family, served: text.includes(`# TYPE ${family} `) }).toEqual({ family, served: true });
    const named = deploymentExpressions().flatMap((e) => metricNamesIn(e.expr).filter((n) => n.startsWith('temporal_')));
    expect(named.length).toBeGreaterThan(3);
    for (const n of named) expect({ n, served: new RegExp(`^${n}[{ ]`, 'm').test(text) }).toEqual({ n, served: true });
  });

  it("the API's /metrics counts the run's waiting steps by age from the runs' memos, and promtool accepts it", async () => {
    const res = await api.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(res.body)?.[1] ?? NaN);
    // The two tenants above (other test files' runs may share the server, so at least): open, waiting on people
    // (or busy with an automatic step a moment), on the same people's steps, all opened seconds ago.
    expect(value('onboard_onboardings{status="running"}') + value('onboard_onboardings{status="waiting-for-human"}')).toBeGreaterThanOrEqual(2);
    expect(value('onboard_steps_waiting{step="associate-experience-flow",state="open",age="under_1h"}')).toBeGreaterThanOrEqual(2);
    // Runs other files start under their own payload keys count here, so only its presence is ours to hold.
    expect(res.body).toMatch(/^onboard_waiting_onboardings_without_detail \d+$/m);
    expect(promtoolCheck(res.body)).toEqual({ status: 0, problems: '' });
  });
});

describe('a run whose memo this process cannot decode', () => {
  it('is counted as a run without detail, and /metrics still answers for every other run', async () => {
    // A run of ours under a payload key this API does not hold (a retired key, another deployment in
    // the namespace), on a task queue nobody polls, so it stays as it was started.
    const keysFile = path.join(EXTRA_KEYS_DIR, `stranger-${randomUUID()}.json`);
    fs.mkdirSync(EXTRA_KEYS_DIR, { recursive: true });
    addKey(keysFile);
    const stranger = await connectClient(loadConfig({ ...process.env, ONBOARD_CODEC_KEYS_FILE: keysFile }));
    const before = await h.onboardings.waitingSteps();
    const workflowId = `onboarding-stranger-${randomUUID().slice(0, 8)}`;
    const run = await stranger.client.workflow.start(WORKFLOW_TYPE, {
      workflowId,
      taskQueue: `nobody-polls-${randomUUID()}`,
      args: [],
      memo: { [WAITING_MEMO_KEY]: {} },
      typedSearchAttributes: [{ key: SearchAttributes.WaitingOnHuman, value: true }],
    });
    try {
      // Visibility is eventually consistent: wait until the stranger is listed.
      let after = before;
      for (let i = 0; i < 50 && after.withoutDetail <= before.withoutDetail; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await h.onboardings.waitingSteps();
      }
      expect(after.withoutDetail).toBeGreaterThanOrEqual(before.withoutDetail + 1);
      const metrics = new ApiMetrics(h.onboardings, 0);
      expect(await metrics.registry.metrics()).toMatch(/^onboard_waiting_onboardings_without_detail [1-9]/m);
      expect((await api.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await run.terminate('test over');
      await stranger.close();
    }
  });
});

function promtoolCheck(text: string): { status: number | null; problems: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool not found (Debian's prometheus package; npm test's setup installs it as root): ${r.error.message}`);
  return { status: r.status, problems: `${r.stdout}${r.stderr}`.trim() };
}

/** A span as text: its name, attribute keys and values, events and status message. */
const spanText = (s: ReadableSpan) =>
  JSON.stringify({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, resource: s.resource.attributes });

async function eventually<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(
        `not seen in ${timeoutMs} ms; spans: ${exporter
          .getFinishedSpans()
          .map((s) => s.name)
          .join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
