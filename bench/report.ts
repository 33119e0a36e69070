import type { EngineRow, HandOff } from './phases';
import type { Throughput } from './throughput';
import type { HistoryShape, ListPages, SseLatency } from './reads';
import type { Latency } from './stats';
import type { MachineLoad } from './machine-load';

/** Everything one `npm run bench` measured; bench/results/latest.json holds the last full run. */
export interface BenchResults {
  meta: {
    date: string;
    command: string;
    quick: boolean;
    machine: { cpus: number; cpuModel: string; memoryGb: number; os: string; loadAvgAtStart: number[]; during?: MachineLoad };
    node: string;
    temporalSdk: string;
    temporalCli: string;
    sizes: {
      open: number;
      samples: number;
      rounds: number;
      perRound: Record<string, number>;
      apiSeconds: number;
      connections: number;
      sse: number;
      listTotal: number;
    };
    totalMs?: number;
  };
  engine: EngineRow[];
  /** One completed run of each engine at the highest concurrency: what it cost the server. */
  historyShapes?: { ours: HistoryShape; baseline: HistoryShape };
  handOff: HandOff;
  footprint: {
    open: number;
    idleRssMb: number;
    rssMb: number;
    peakRssMb: number;
    cachedWorkflows: number;
    startPrebuiltMs: number[];
    startBundleAtStartMs: number[];
    openAllMs: number;
    /** The same open onboardings on a worker whose cache holds them all. */
    allCached: { cachedWorkflows: number; rssMb: number; peakRssMb: number; handOffMs: Latency; progressQueryMs: Latency; openAllMs: number };
  };
  /** `client` reads the read model straight through the client; `query` asks the workflow (the path reads used to take). */
  api: { progress: { api: Throughput; client: Throughput; query: Throughput }; complete: { api: Throughput; client: Throughput } };
  /** A viewer's live event after a change. */
  sse: SseLatency;
  /** The plain workflow's completeStep Update, client to answer, with as many open on a worker of the same cache size. */
  baselineUpdateMs: Latency;
  list: ListPages;
  targets: Target[];
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

/** Issue 17's targets (the engine ratio at concurrency 1 and the worker start keep the earlier ones). */
export function targetsOf(r: Omit<BenchResults, 'targets'>): Target[] {
  const t: Target[] = r.engine.map((e) => {
    const goal = e.concurrency === 1 ? 0.8 : 0.9;
    return { what: `engine ratio at concurrency ${e.concurrency}`, target: `>= ${goal}`, measured: e.ratio.toFixed(2), met: e.ratio >= goal };
  });
  const h = r.handOff;
  const readRatio = h.progressReadModelMs.p99 / h.progressQueryMs.p99;
  t.push({
    what: `progress read p99 at ${h.open} open (read model)`,
    target: '< 20 ms and <= 0.3x the query path',
    measured: `${h.progressReadModelMs.p99} ms, ${readRatio.toFixed(2)}x (query ${h.progressQueryMs.p99} ms)`,
    met: h.progressReadModelMs.p99 < 20 && readRatio <= 0.3,
  });
  const p = r.api.progress;
  const apiRatio = p.api.rps / Math.max(p.query.rps, 0.1);
  t.push({
    what: `API progress reads, ${r.meta.sizes.connections} connections`,
    target: '>= 500 req/s and >= 10x the query path',
    measured: `${p.api.rps} req/s, ${apiRatio.toFixed(1)}x (query ${p.query.rps} req/s)`,
    met: p.api.rps >= 500 && apiRatio >= 10,
  });
  const handRatio = h.handOffMs.p99 / r.baselineUpdateMs.p99;
  t.push({
    what: `hand-off p99 at ${h.open} open`,
    target: "<= 1.5x the bare baseline's Update round trip",
    measured: `${h.handOffMs.p99} ms, ${handRatio.toFixed(2)}x (baseline Update ${r.baselineUpdateMs.p99} ms)`,
    met: handRatio <= 1.5,
  });
  const f = r.footprint;
  t.push({
    what: `worker RSS at ${f.open} open (cache ${f.cachedWorkflows})`,
    target: '< 250 MB',
    measured: `${f.rssMb} MB (peak ${f.peakRssMb})`,
    met: f.peakRssMb < 250,
  });
  t.push({
    what: `list page of ${r.list.pageSize} with ${r.list.onboardings} onboardings, p99`,
    target: '< 100 ms',
    measured: `${r.list.pageMs.p99} ms`,
    met: r.list.pageMs.p99 < 100,
  });
  t.push({ what: 'dashboard event after a change, p99', target: '< 1 s', measured: `${r.sse.fromSendMs.p99} ms`, met: r.sse.fromSendMs.p99 < 1000 });
  const pre = median(f.startPrebuiltMs);
  t.push({ what: 'worker start to first task, prebuilt bundle (median)', target: '< 1.5 s', measured: `${(pre / 1000).toFixed(2)} s`, met: pre < 1500 });
  return t;
}

const ms = (x: number) => `${x} ms`;
const lat = (l: { p50: number; p95: number; p99: number }) => `${l.p50} / ${l.p95} / ${l.p99}`;
const tp = (x: Throughput) =>
  `${x.rps} req/s, p99 ${x.p99Ms} ms${x.errors ? `, ${x.errors} errors` : ''}${x.serverCpuMs !== undefined ? `, server CPU ${x.serverCpuMs} ms each` : ''}`;

/** The markdown tables BENCHMARKS.md quotes (bench/results/latest.md). */
export function markdown(r: BenchResults): string {
  const m = r.meta;
  const out: string[] = [];
  out.push(`Measured ${m.date} with \`${m.command}\`${m.quick ? ' (quick: harness check, sizes too small for the targets)' : ''}.`);
  out.push(
    `Machine: ${m.machine.cpus} x ${m.machine.cpuModel}, ${m.machine.memoryGb} GB, ${m.machine.os}; load average at start ${m.machine.loadAvgAtStart.map((x) => x.toFixed(2)).join(' ')}.`,
  );
  const d = m.machine.during;
  if (d)
    out.push(
      `During the run: load average (1 min) ${d.loadAvg.min}-${d.loadAvg.max}, mean ${d.loadAvg.mean} (${d.loadAvg.samples} samples); CPU time ${d.machineCpuSeconds} s, of which the benchmark's processes ${d.benchCpuSeconds} s and anything else ${d.otherCpuSeconds} s.`,
    );
  out.push(`Node ${m.node}, Temporal TypeScript SDK ${m.temporalSdk}, Temporal CLI dev server ${m.temporalCli} (in memory).`);
  out.push('');
  out.push('**Targets**');
  out.push('');
  out.push('| what | target | measured | met |');
  out.push('|---|---|---|---|');
  for (const t of r.targets) out.push(`| ${t.what} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
  out.push('');
  out.push('**1. Engine overhead** (completed onboardings per second, same scripted people, same simulators)');
  out.push('');
  out.push('| concurrency | onboardings each | ours /s | baseline /s | ours / baseline |');
  out.push('|---|---|---|---|---|');
  for (const e of r.engine) out.push(`| ${e.concurrency} | ${e.onboardings} | ${e.ours.perSec} | ${e.baseline.perSec} | ${e.ratio.toFixed(2)} |`);
  out.push('');
  if (r.engine.some((e) => e.cpuPerOnboarding)) {
    out.push("CPU seconds per completed onboarding while each engine ran (the dev server, the engine's worker process, the scripted people and client):");
    out.push('');
    out.push(
      '| concurrency | ours: server / worker / driver | baseline: server / worker / driver | ours / baseline, all | progress reads per onboarding, ours / baseline |',
    );
    out.push('|---|---|---|---|---|');
    const sum = (c: { server: number; worker: number; driver: number }) => c.server + c.worker + c.driver;
    for (const e of r.engine) {
      const c = e.cpuPerOnboarding;
      if (!c) continue;
      const cell = (x: typeof c.ours) => `${x.server} / ${x.worker} / ${x.driver}`;
      const reads = e.readsPerOnboarding ? `${e.readsPerOnboarding.ours} / ${e.readsPerOnboarding.baseline}` : '';
      out.push(`| ${e.concurrency} | ${cell(c.ours)} | ${cell(c.baseline)} | ${(sum(c.ours) / sum(c.baseline)).toFixed(2)} | ${reads} |`);
    }
    out.push('');
  }
  const hs = r.historyShapes;
  if (hs) {
    out.push('One completed run of each, as the server holds it:');
    out.push('');
    out.push('| engine | events | workflow tasks | activities | memo upserts | search-attribute upserts | Updates | history bytes (JSON) |');
    out.push('|---|---|---|---|---|---|---|---|');
    for (const [name, x] of [
      ['ours', hs.ours],
      ['baseline', hs.baseline],
    ] as const)
      out.push(`| ${name} | ${x.events} | ${x.workflowTasks} | ${x.activities} | ${x.memoUpserts} | ${x.searchAttributeUpserts} | ${x.updates} | ${x.bytes} |`);
    out.push('');
  }
  const h = r.handOff;
  out.push(`**2. Hand-off and reads with ${h.open} onboardings open** (ms, p50 / p95 / p99; ${h.handOffMs.n} samples each, one at a time)`);
  out.push('');
  out.push('| what | p50 / p95 / p99 | max |');
  out.push('|---|---|---|');
  out.push(`| hand-off: \`complete\` API call to the next step open in \`progress\` | ${lat(h.handOffMs)} | ${h.handOffMs.max} |`);
  out.push(`| the \`complete\` API call alone | ${lat(h.apiCompleteMs)} | ${h.apiCompleteMs.max} |`);
  out.push(`| \`progress\` query (Temporal client) | ${lat(h.progressQueryMs)} | ${h.progressQueryMs.max} |`);
  if (h.progressReadModelMs)
    out.push(`| \`progress\` from the read model (describe, no replay) | ${lat(h.progressReadModelMs)} | ${h.progressReadModelMs.max} |`);
  out.push(`| \`GET /api/v1/onboardings/{id}\` | ${lat(h.progressApiMs)} | ${h.progressApiMs.max} |`);
  out.push(`| \`GET /api/v1/onboardings?waiting=true\` (${h.listWaitingMs.n} samples) | ${lat(h.listWaitingMs)} | ${h.listWaitingMs.max} |`);
  out.push(`| the bare baseline's \`completeStep\` Update round trip, as many open | ${lat(r.baselineUpdateMs)} | ${r.baselineUpdateMs.max} |`);
  out.push(
    `| live event (SSE) after a change: from the \`complete\` call's send (${r.sse.fromSendMs.n} samples) | ${lat(r.sse.fromSendMs)} | ${r.sse.fromSendMs.max} |`,
  );
  out.push(`| the same, from the \`complete\` call's answer | ${lat(r.sse.fromAnswerMs)} | ${r.sse.fromAnswerMs.max} |`);
  out.push('');
  const f = r.footprint;
  out.push('**3. Worker footprint**');
  out.push('');
  out.push('| what | value |');
  out.push('|---|---|');
  out.push(`| worker RSS, idle after start | ${f.idleRssMb} MB |`);
  out.push(`| worker RSS with ${f.open} open (peak) | ${f.rssMb} MB (${f.peakRssMb} MB), ${f.cachedWorkflows} workflows cached |`);
  out.push(`| starting ${f.open} onboardings until all wait on people | ${ms(f.openAllMs)} |`);
  const c = f.allCached;
  out.push(`| the same, cache holding all ${f.open} (SDK default size): RSS (peak) | ${c.rssMb} MB (${c.peakRssMb} MB), ${c.cachedWorkflows} cached |`);
  out.push(`| the same, cache holding all: hand-off / \`progress\` p50 / p95 / p99 | ${lat(c.handOffMs)} ms / ${lat(c.progressQueryMs)} ms |`);
  out.push(`| worker start to first task, prebuilt bundle | ${f.startPrebuiltMs.map(ms).join(', ')} |`);
  out.push(`| worker start to first task, bundling at start | ${f.startBundleAtStartMs.map(ms).join(', ')} |`);
  out.push('');
  out.push(`**4. API throughput** (${m.sizes.connections} connections; autocannon against the API, the same call straight through the Temporal client)`);
  out.push('');
  out.push('| call | through the API | straight through the client |');
  out.push('|---|---|---|');
  out.push(`| progress (\`GET /api/v1/onboardings/{id}\`, ${m.sizes.apiSeconds} s) | ${tp(r.api.progress.api)} | ${tp(r.api.progress.client)} |`);
  out.push(`| progress as a query the workflow answers (the path before the read model) | | ${tp(r.api.progress.query)} |`);
  out.push(
    `| complete (\`POST .../steps/{stepId}/complete\`, ${r.api.complete.api.requests} + ${r.api.complete.client.requests} onboardings) | ${tp(r.api.complete.api)} | ${tp(r.api.complete.client)} |`,
  );
  out.push('');
  const l = r.list;
  out.push(`**5. The list with ${l.onboardings} onboardings** (\`GET /api/v1/onboardings?pageSize=${l.pageSize}\`, ${l.pageMs.n} pages read in order)`);
  out.push('');
  out.push('| what | value |');
  out.push('|---|---|');
  out.push(`| page of ${l.pageSize}, p50 / p95 / p99 (max) | ${lat(l.pageMs)} ms (${l.pageMs.max}) |`);
  if (l.visibilityMs) {
    out.push(`| the same pages from visibility alone (no HTTP, decryption, JSON), p50 / p95 / p99 | ${lat(l.visibilityMs)} ms |`);
    out.push(`| memo bytes per row (sent with every row) | ${l.memoBytesPerRow} |`);
  }
  out.push(`| of the ${l.onboardings}: copies of a real run's visibility record | ${l.copies}, started in ${ms(l.copyMs)} |`);
  out.push('');
  return out.join('\n');
}
