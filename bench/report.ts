import type { EngineRow, HandOff, Throughput } from './phases';
import type { Latency } from './stats';

/** Everything one `npm run bench` measured; bench/results/latest.json holds the last full run. */
export interface BenchResults {
  meta: {
    date: string;
    command: string;
    quick: boolean;
    machine: { cpus: number; cpuModel: string; memoryGb: number; os: string; loadAvgAtStart: number[] };
    node: string;
    temporalSdk: string;
    temporalCli: string;
    sizes: { open: number; samples: number; rounds: number; perRound: Record<string, number>; apiSeconds: number; connections: number };
    totalMs?: number;
  };
  engine: EngineRow[];
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
  api: { progress: { api: Throughput; client: Throughput }; complete: { api: Throughput; client: Throughput } };
  targets: Target[];
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

export function targetsOf(r: Omit<BenchResults, 'targets'>): Target[] {
  const t: Target[] = r.engine.map((e) => ({
    what: `engine ratio at concurrency ${e.concurrency}`,
    target: '>= 0.8',
    measured: e.ratio.toFixed(2),
    met: e.ratio >= 0.8,
  }));
  t.push({ what: `hand-off p99 at ${r.handOff.open} open`, target: '< 150 ms', measured: `${r.handOff.handOffMs.p99} ms`, met: r.handOff.handOffMs.p99 < 150 });
  t.push({
    what: `progress query p99 at ${r.handOff.open} open`,
    target: '< 50 ms',
    measured: `${r.handOff.progressQueryMs.p99} ms`,
    met: r.handOff.progressQueryMs.p99 < 50,
  });
  t.push({
    what: `worker RSS at ${r.footprint.open} open`,
    target: '< 350 MB',
    measured: `${r.footprint.rssMb} MB (peak ${r.footprint.peakRssMb})`,
    met: r.footprint.peakRssMb < 350,
  });
  const pre = median(r.footprint.startPrebuiltMs);
  t.push({ what: 'worker start to first task, prebuilt bundle (median)', target: '< 1.5 s', measured: `${(pre / 1000).toFixed(2)} s`, met: pre < 1500 });
  return t;
}

const ms = (x: number) => `${x} ms`;
const lat = (l: { p50: number; p95: number; p99: number }) => `${l.p50} / ${l.p95} / ${l.p99}`;
const tp = (x: Throughput) => `${x.rps} req/s, p99 ${x.p99Ms} ms${x.errors ? `, ${x.errors} errors` : ''}`;

/** The markdown tables BENCHMARKS.md quotes (bench/results/latest.md). */
export function markdown(r: BenchResults): string {
  const m = r.meta;
  const out: string[] = [];
  out.push(`Measured ${m.date} with \`${m.command}\`${m.quick ? ' (quick: harness check, sizes too small for the targets)' : ''}.`);
  out.push(
    `Machine: ${m.machine.cpus} x ${m.machine.cpuModel}, ${m.machine.memoryGb} GB, ${m.machine.os}; load average at start ${m.machine.loadAvgAtStart.map((x) => x.toFixed(2)).join(' ')}.`,
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
  out.push(
    `| complete (\`POST .../steps/{stepId}/complete\`, ${r.api.complete.api.requests} + ${r.api.complete.client.requests} onboardings) | ${tp(r.api.complete.api)} | ${tp(r.api.complete.client)} |`,
  );
  out.push('');
  return out.join('\n');
}
