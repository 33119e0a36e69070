import type { Client } from '@temporalio/client';
import { Onboardings } from '../src/app';
import type { Config } from '../src/config';
import type { TenantFile } from '../src/domain/tenant';
import type { Simulators } from '../src/sim';
import type { SimAdminClient } from '../src/sim/admin-client';
import type { WorkflowCodeRoute } from '../src/temporal/bundle';
import { BENCH_OPTIONS, baselineEngine, benchTenant, driveToCompletion, type Engine } from './people';
import { pool, summarize, timed, type Latency } from './stats';
import { startWorkerProcess } from './worker-process';

/** What every phase needs: the server, the simulators, a client, the API, the workers' environment. */
export interface World {
  client: Client;
  config: Config;
  sims: Simulators;
  consoles: SimAdminClient;
  /** The application layer, for reads and completions on runs already started (any task queue). */
  onboardings: Onboardings;
  stateDir: string;
  apiUrl: string;
  token: string;
  workerEnv: NodeJS.ProcessEnv;
  profileDir?: string;
  log: (line: string) => void;
}

const MB = 1024 * 1024;
import { cpuSecondsOf } from './machine-load';

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- 1. engine overhead

export interface EngineRow {
  concurrency: number;
  onboardings: number;
  ours: { perSec: number; wallMs: number };
  baseline: { perSec: number; wallMs: number };
  ratio: number;
  /** The workflow id of one run of each engine at this concurrency, for its history's shape. */
  sample: { ours: string; baseline: string };
  /**
   * CPU seconds per completed onboarding while each engine's rounds ran (Linux): the dev server's, the
   * engine's own worker process's, and this process's (the scripted people and the client).
   */
  cpuPerOnboarding?: Record<'ours' | 'baseline', EngineCpu>;
  /** How often the people read progress per completed onboarding (polling every 10 ms while nothing is open for them). */
  readsPerOnboarding?: Record<'ours' | 'baseline', number>;
}

export interface EngineCpu {
  server: number;
  worker: number;
  driver: number;
}

/** The processes whose CPU an engine's rounds are charged with. */
export interface EnginePids {
  server?: number;
  ours: number;
  baseline: number;
}

/**
 * Completed onboardings per second for each engine at one concurrency. Rounds alternate which
 * engine goes first, so drift in the machine's load (other work) falls on both.
 */
export async function engineOverhead(
  w: World,
  engines: { ours: Engine; baseline: Engine },
  concurrency: number,
  perRound: number,
  rounds: number,
  pids?: EnginePids,
): Promise<EngineRow> {
  const wall = { ours: 0, baseline: 0 };
  const sample = { ours: '', baseline: '' };
  const reads = { ours: 0, baseline: 0 };
  const cpu = { ours: { server: 0, worker: 0, driver: 0 }, baseline: { server: 0, worker: 0, driver: 0 } };
  const cpuNow = (name: 'ours' | 'baseline'): EngineCpu => ({
    server: pids?.server ? cpuSecondsOf(pids.server) : 0,
    worker: pids ? cpuSecondsOf(pids[name]) : 0,
    driver: cpuSecondsOf(process.pid),
  });
  for (let r = 0; r < rounds; r++) {
    const order: Array<'ours' | 'baseline'> = r % 2 === 0 ? ['baseline', 'ours'] : ['ours', 'baseline'];
    for (const name of order) {
      const tenants = await Promise.all(Array.from({ length: perRound }, () => benchTenant(w.consoles, `${name.slice(0, 1)}${concurrency}`)));
      const before = cpuNow(name);
      const readsBefore = engines[name].reads.count;
      const [ms] = await timed(() => pool(perRound, concurrency, (i) => driveToCompletion(engines[name], tenants[i]!, w.consoles)));
      const after = cpuNow(name);
      for (const k of ['server', 'worker', 'driver'] as const) cpu[name][k] += after[k] - before[k];
      reads[name] += engines[name].reads.count - readsBefore;
      sample[name] = `${name === 'ours' ? 'onboarding' : 'baseline'}-${tenants[0]!.tenantId}`;
      wall[name] += ms;
      w.log(`  c=${concurrency} round ${r + 1} ${name}: ${perRound} in ${Math.round(ms)} ms`);
    }
  }
  const n = perRound * rounds;
  const ours = { perSec: round((n * 1000) / wall.ours, 2), wallMs: Math.round(wall.ours) };
  const baseline = { perSec: round((n * 1000) / wall.baseline, 2), wallMs: Math.round(wall.baseline) };
  const per = (c: EngineCpu): EngineCpu => ({ server: round(c.server / n, 3), worker: round(c.worker / n, 3), driver: round(c.driver / n, 3) });
  return {
    concurrency,
    onboardings: n,
    ours,
    baseline,
    ratio: round(ours.perSec / baseline.perSec, 3),
    sample,
    readsPerOnboarding: { ours: round(reads.ours / n), baseline: round(reads.baseline / n) },
    ...(pids && process.platform === 'linux' ? { cpuPerOnboarding: { ours: per(cpu.ours), baseline: per(cpu.baseline) } } : {}),
  };
}

// ---- 3b. worker start

export interface StartTimes {
  prebuiltMs: number[];
  bundleAtStartMs: number[];
}

/**
 * Worker start to first task: a run waits on a fresh task queue, a worker process is forked, and
 * the time is from fork() to the server's WorkflowTaskCompleted event for that run.
 */
export async function workerStart(w: World, route: WorkflowCodeRoute): Promise<number> {
  const taskQueue = `bench-start-${route}-${Date.now()}`;
  const started = await new Onboardings(w.client, w.config, { taskQueue, onboardingOptions: BENCH_OPTIONS }).start(await benchTenant(w.consoles, 'start'));
  // Observing the run's history and ending it are the benchmark's own business, not an onboarding action.
  const handle = w.client.workflow.getHandle(started.workflowId);
  const worker = startWorkerProcess({ kind: 'ours', taskQueue, route, env: w.workerEnv });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { events } = await handle.fetchHistory();
      const first = events?.find((e) => e.workflowTaskCompletedEventAttributes);
      if (first?.eventTime?.seconds != null) {
        const ms = Number(first.eventTime.seconds) * 1000 + Math.floor((first.eventTime.nanos ?? 0) / 1e6) - worker.spawnedAt;
        const ready = await worker.ready;
        w.log(`  ${route}: ${ms} ms to first task (process up to worker ready ${ready.uptimeMs} ms, of which Worker.create ${ready.createMs} ms)`);
        return ms;
      }
      if (Date.now() > deadline) throw new Error(`worker (${route}) took no task within 120 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await worker.stop();
    await handle.terminate('benchmark: worker start measured').catch(() => undefined);
  }
}

// ---- 2 & 3. many open onboardings

export interface OpenWorld {
  tenants: TenantFile[];
  taskQueue: string;
  startMs: number;
  worker: ReturnType<typeof startWorkerProcess>;
  idleRssMb: number;
}

/** Starts `count` onboardings on a fresh worker and waits until each has human steps open. */
export async function openOnboardings(w: World, count: number, kind: 'ours' | 'baseline' = 'ours', env: NodeJS.ProcessEnv = {}): Promise<OpenWorld> {
  const taskQueue = `bench-open-${Date.now()}`;
  const worker = startWorkerProcess({ kind, taskQueue, env: { ...w.workerEnv, ...env }, profileDir: w.profileDir });
  await worker.ready;
  const idle = await worker.status();
  const tenants: TenantFile[] = [];
  await pool(count, 20, async (i) => void (tenants[i] = await benchTenant(w.consoles, 'open')));
  const t0 = performance.now();
  if (kind === 'baseline') {
    // Development comparison only: the plain workflow's footprint with as many waiting.
    const engine = baselineEngine(w.client, w.config, taskQueue);
    await pool(count, 20, async (i) => void (await engine.start(tenants[i]!)));
    await pool(count, 20, async (i) => {
      // Waiting on people once its first human step is open (every step is listed, so listing proves nothing).
      const waiting = async () =>
        (await engine.desk.progress(tenants[i]!.tenantId)).steps.some((s) => s.id === 'associate-experience-flow' && s.state === 'open');
      while (!(await waiting())) await new Promise((r) => setTimeout(r, 200));
    });
    return { tenants, taskQueue, startMs: Math.round(performance.now() - t0), worker, idleRssMb: round(idle.rss / MB) };
  }
  const onboardings = new Onboardings(w.client, w.config, { taskQueue, onboardingOptions: BENCH_OPTIONS });
  await pool(count, 20, async (i) => void (await onboardings.start(tenants[i]!)));
  const query = `TaskQueue = '${taskQueue}' AND OnboardingStatus = 'waiting-for-human'`;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const { count: waiting } = await w.client.workflow.count(query);
    if (waiting >= count) break;
    if (Date.now() > deadline) throw new Error(`only ${waiting} of ${count} onboardings reached waiting-for-human in 15 min`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { tenants, taskQueue, startMs: Math.round(performance.now() - t0), worker, idleRssMb: round(idle.rss / MB) };
}

export interface HandOff {
  open: number;
  handOffMs: Latency;
  apiCompleteMs: Latency;
  progressQueryMs: Latency;
  /** The same read from the run's published read model (describe(), no replay). */
  progressReadModelMs: Latency;
  progressApiMs: Latency;
  listWaitingMs: Latency;
}

/**
 * Hand-off: a person completes associate-experience-flow through the API; the time until
 * configure-agent-transfer (which waits only on it) is open in `progress`. One at a time, so each
 * sample is a latency, not a queue.
 */
export async function handOff(w: World, open: OpenWorld, samples: number): Promise<HandOff> {
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${w.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${w.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const handOffs: number[] = [];
  const completes: number[] = [];
  for (const tenant of open.tenants.slice(0, samples)) {
    const t0 = performance.now();
    const res = await api('POST', `/api/v1/onboardings/${tenant.tenantId}/steps/associate-experience-flow/complete`, {
      evidence: { experienceFlowName: 'Kore Voice Experience' },
    });
    completes.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`complete ${tenant.tenantId}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    for (;;) {
      const p = await w.onboardings.progress(tenant.tenantId);
      if (p.steps.find((s) => s.id === 'configure-agent-transfer')?.state === 'open') break;
      if (performance.now() - t0 > 30_000) throw new Error(`${tenant.tenantId}: configure-agent-transfer not open 30 s after its dependency was completed`);
    }
    handOffs.push(performance.now() - t0);
  }
  const pick = (i: number) => open.tenants[(i * 7919) % open.tenants.length]!;
  // The query path (the worker answers, replaying an evicted run) beside the read model (a lookup).
  const queries: number[] = [];
  for (let i = 0; i < samples; i++) queries.push((await timed(() => w.onboardings.progress(pick(i).tenantId, { consistent: true })))[0]);
  const reads: number[] = [];
  for (let i = 0; i < samples; i++) reads.push((await timed(() => w.onboardings.progress(pick(i + 2).tenantId)))[0]);
  const gets: number[] = [];
  for (let i = 0; i < samples; i++) {
    const [ms, res] = await timed(async () => {
      const r = await api('GET', `/api/v1/onboardings/${pick(i + 1).tenantId}`);
      await r.arrayBuffer();
      return r;
    });
    if (res.status !== 200) throw new Error(`GET progress: HTTP ${res.status}`);
    gets.push(ms);
  }
  const lists: number[] = [];
  for (let i = 0; i < Math.max(10, Math.round(samples / 4)); i++) {
    const [ms, res] = await timed(async () => {
      const r = await api('GET', '/api/v1/onboardings?waiting=true');
      await r.arrayBuffer();
      return r;
    });
    if (res.status !== 200) throw new Error(`GET list: HTTP ${res.status}`);
    lists.push(ms);
  }
  return {
    open: open.tenants.length,
    handOffMs: summarize(handOffs),
    apiCompleteMs: summarize(completes),
    progressQueryMs: summarize(queries),
    progressReadModelMs: summarize(reads),
    progressApiMs: summarize(gets),
    listWaitingMs: summarize(lists),
  };
}
