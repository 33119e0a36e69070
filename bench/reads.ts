import { randomUUID } from 'node:crypto';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { workflowIdFor } from '../src/domain/tenant';
import { baselineEngine } from './people';
import type { OpenWorld, World } from './phases';
import { clientLoop, withServerCpu, type Throughput } from './throughput';
import { pool, summarize, timed, type Latency } from './stats';

/**
 * The reads issue 17 set targets for, beside what the phases in phases.ts measure: the change-to-event
 * latency of the live events, the bare baseline's Update round trip (what a hand-off is held to), the
 * query path's throughput (what the read model is held to) and the list page with many onboardings.
 */

/** Reads a Server-Sent Events response and calls `on` with each progress document, until aborted. */
async function readEvents(res: Response, on: (progress: { steps: Array<{ id: string; state: string }> }) => void): Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) return;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (block.includes('event: progress') && data) on(JSON.parse(data.slice(6)));
    }
  }
}

export interface SseLatency {
  /** From the complete call's send to the event that shows the step done (an upper bound of change to event). */
  fromSendMs: Latency;
  /** From the complete call's answer (the change is made by then) to that event; 0 when the event came first. */
  fromAnswerMs: Latency;
}

/**
 * A viewer follows a run's events through the API while a person completes associate-experience-flow
 * on it: the time until the event that shows the step no longer open. One run at a time.
 */
export async function sseLatency(w: World, tenants: OpenWorld['tenants']): Promise<SseLatency> {
  const headers = { authorization: `Bearer ${w.token}` };
  const fromSend: number[] = [];
  const fromAnswer: number[] = [];
  for (const tenant of tenants) {
    const abort = new AbortController();
    const res = await fetch(`${w.apiUrl}/api/v1/onboardings/${tenant.tenantId}/events`, { headers, signal: abort.signal });
    if (res.status !== 200) throw new Error(`events ${tenant.tenantId}: HTTP ${res.status}`);
    let first!: () => void;
    let changed!: (at: number) => void;
    const gotFirst = new Promise<void>((r) => (first = r));
    const gotChange = new Promise<number>((r) => (changed = r));
    const reading = readEvents(res, (p) => {
      first();
      if (p.steps.find((s) => s.id === 'associate-experience-flow')?.state !== 'open') changed(performance.now());
    });
    await gotFirst;
    const t0 = performance.now();
    const done = await fetch(`${w.apiUrl}/api/v1/onboardings/${tenant.tenantId}/steps/associate-experience-flow/complete`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ evidence: { experienceFlowName: 'Kore Voice Experience' } }),
    });
    const answered = performance.now();
    if (done.status !== 200) throw new Error(`complete ${tenant.tenantId}: HTTP ${done.status} ${await done.text()}`);
    const timeout = new Promise<number>((_, reject) =>
      setTimeout(() => reject(new Error(`${tenant.tenantId}: no event 10 s after the change`)), 10_000).unref(),
    );
    const at = await Promise.race([gotChange, timeout]);
    fromSend.push(at - t0);
    fromAnswer.push(Math.max(0, at - answered));
    abort.abort();
    await reading;
  }
  return { fromSendMs: summarize(fromSend), fromAnswerMs: summarize(fromAnswer) };
}

/**
 * The bare baseline's Update round trip at the same number open: the plain workflow's completeStep
 * Update (associate-experience-flow, the same step the hand-off completes) straight through the client,
 * one at a time, on a worker of the same cache size. What our hand-off is held to.
 */
export async function baselineUpdate(w: World, open: OpenWorld, samples: number, taskQueue: string): Promise<Latency> {
  const engine = baselineEngine(w.client, w.config, taskQueue);
  const times: number[] = [];
  for (const tenant of open.tenants.slice(0, samples)) {
    const [ms, r] = await timed(() =>
      engine.desk.complete(tenant.tenantId, { stepId: 'associate-experience-flow', evidence: { experienceFlowName: 'Kore Voice Experience' }, by: 'bench' }),
    );
    if (r.step?.state !== 'done') throw new Error(`baseline ${tenant.tenantId}: the Update was refused`);
    times.push(ms);
  }
  return summarize(times);
}

/** The query path's throughput (the worker answers each read, replaying evicted runs): what the read model is compared with. */
export const queryThroughput = (w: World, tenants: OpenWorld['tenants'], seconds: number, connections: number, serverCpu?: () => number): Promise<Throughput> =>
  withServerCpu(serverCpu, () =>
    clientLoop(seconds * 1000, connections, (i) => w.onboardings.progress(tenants[i % tenants.length]!.tenantId, { consistent: true })),
  );

export interface ListPages {
  /** Onboardings visibility held when the pages were read. */
  onboardings: number;
  /** How many of them are copies of a real run's visibility record (see listPages). */
  copies: number;
  pageSize: number;
  copyMs: number;
  /** `GET /api/v1/onboardings?pageSize=200`, first pages and pages further in, one at a time. */
  pageMs: Latency;
  /**
   * The same pages asked of Temporal's visibility directly (listWorkflowExecutions, as the API asks it,
   * without the HTTP, decryption and JSON around it): what of a page is Temporal's.
   */
  visibilityMs: Latency;
  /** What one visibility row weighs: its memo's payload bytes (the server reads and sends them with every row), mean over the pages. */
  memoBytesPerRow: number;
}

/**
 * The list page with `total` onboardings in visibility. Running that many real onboardings would take most of an
 * hour here, and a list page reads only visibility: each row's search attributes and memo. So the
 * onboardings the earlier phases left (open and finished) are joined by copies of one real run's visibility record (its encrypted memo, its
 * search attributes, a tenant id of its own), started on a task queue no worker polls, so they stay
 * open and unchanged. The API then pages through all of them as through real runs.
 */
export async function listPages(w: World, modelTenantId: string, total: number, pageSize: number, samples: number): Promise<ListPages> {
  const ns = w.client.options.namespace;
  const model = await w.client.workflowService.describeWorkflowExecution({ namespace: ns, execution: { workflowId: workflowIdFor(modelTenantId) } });
  const info = model.workflowExecutionInfo!;
  // The model's own workflow type (the bench reaches the workflow only through src/app).
  const type = info.type!.name!;
  // Every onboarding the earlier phases left (open and finished) counts; copies make up the rest.
  const count = `WorkflowType = '${type}'`;
  const copies = Math.max(0, total - (await w.client.workflow.count(count)).count);
  const queue = `bench-list-idle-${randomUUID().slice(0, 8)}`;
  const [copyMs] = await timed(() =>
    pool(copies, 50, async (i) => {
      const tenantId = `bench-list-${String(i).padStart(5, '0')}`;
      const indexedFields = { ...info.searchAttributes?.indexedFields, ...encodeUnifiedSearchAttributes({ TenantId: [tenantId] }) };
      await w.client.workflowService.startWorkflowExecution({
        namespace: ns,
        workflowId: workflowIdFor(tenantId),
        workflowType: { name: type },
        taskQueue: { name: queue },
        memo: { fields: info.memo?.fields },
        searchAttributes: { indexedFields },
        requestId: randomUUID(),
        identity: 'bench list copies',
      });
    }),
  );
  // Visibility fills in a moment after the starts.
  for (let i = 0; (await w.client.workflow.count(count)).count < total; i++) {
    if (i > 600) throw new Error(`visibility did not reach ${total} onboardings in 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const get = async (query: string) => {
    const [ms, page] = await timed(async () => {
      const r = await fetch(`${w.apiUrl}/api/v1/onboardings?${query}`, { headers: { authorization: `Bearer ${w.token}` } });
      if (r.status !== 200) throw new Error(`GET list: HTTP ${r.status} ${await r.text()}`);
      return (await r.json()) as { items: unknown[]; nextPageToken?: string };
    });
    if (page.items.length !== pageSize && page.nextPageToken) throw new Error(`a list page held ${page.items.length} rows, not ${pageSize}`);
    return { ms, next: page.nextPageToken };
  };
  // Walk the pages in order (each token leads further in), starting over at the end, until enough samples.
  const times: number[] = [];
  let token: string | undefined;
  while (times.length < samples) {
    const { ms, next } = await get(`pageSize=${pageSize}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
    times.push(ms);
    token = next;
  }
  // The same walk on visibility itself, with the query the API sends for an unfiltered page.
  const direct: number[] = [];
  let raw: Uint8Array | undefined;
  let [memoBytes, rows] = [0, 0];
  while (direct.length < samples) {
    const query = `WorkflowType = '${type}' AND ExecutionStatus != 'ContinuedAsNew'`;
    const [ms, res] = await timed(() => w.client.workflowService.listWorkflowExecutions({ namespace: ns, query, pageSize, nextPageToken: raw }));
    direct.push(ms);
    for (const e of res.executions ?? []) for (const p of Object.values(e.memo?.fields ?? {})) memoBytes += p.data?.length ?? 0;
    rows += res.executions?.length ?? 0;
    raw = res.nextPageToken?.length ? res.nextPageToken : undefined;
  }
  return {
    onboardings: total,
    copies,
    pageSize,
    copyMs: Math.round(copyMs),
    pageMs: summarize(times),
    visibilityMs: summarize(direct),
    memoBytesPerRow: rows ? Math.round(memoBytes / rows) : 0,
  };
}

/** What one completed run cost the server: its history's events, workflow tasks, activities, and the commands we add (memo, search attributes). */
export interface HistoryShape {
  events: number;
  workflowTasks: number;
  activities: number;
  memoUpserts: number;
  searchAttributeUpserts: number;
  updates: number;
  bytes: number;
}

/** The shape of a run's history: the round trips behind the engine ratio, counted rather than guessed. */
export async function historyShape(w: World, workflowId: string): Promise<HistoryShape> {
  const events = (await w.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const count = (attr: string) => events.filter((e) => (e as Record<string, unknown>)[attr] != null).length;
  return {
    events: events.length,
    workflowTasks: count('workflowTaskCompletedEventAttributes'),
    activities: count('activityTaskScheduledEventAttributes'),
    memoUpserts: count('workflowPropertiesModifiedEventAttributes'),
    searchAttributeUpserts: count('upsertWorkflowSearchAttributesEventAttributes'),
    updates: count('workflowExecutionUpdateAcceptedEventAttributes'),
    bytes: events.reduce((n, e) => n + JSON.stringify(e).length, 0),
  };
}
