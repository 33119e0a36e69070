import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TokenBook } from '../src/api/auth';
import { buildApi } from '../src/api/server';
import { loadConfig } from '../src/config';
import { addKey } from '../src/temporal/codec';
import { createLogger } from '../src/log';
import { startSimulators } from '../src/sim';
import { Onboardings } from '../src/app';
import { SimAdminClient } from '../src/sim/admin-client';
import { connectClient } from '../src/temporal/client';
import { startDevServer } from '../src/local-temporal/server';
import { startWorkerProcess } from './worker-process';
import { baselineEngine, oursEngine } from './people';
import { engineOverhead, handOff, openOnboardings, workerStart, type EngineRow, type World } from './phases';
import { completeThroughput, progressThroughput } from './throughput';
import { markdown, targetsOf, type BenchResults } from './report';
import { cpuSecondsOf, watchMachineLoad } from './machine-load';
import { BenchArgumentError, PHASES, parseArgs, SIZES, USAGE } from './args';
import { baselineUpdate, historyShape, listPages, queryThroughput, sseLatency, type HistoryShape } from './reads';

/**
 * `npm run bench`: our orchestration against a plain Temporal workflow, and the API against the
 * bare client, in one run against one local dev server. `--quick` only checks the harness (small
 * sizes, no speed asserted). `--out DIR` (default bench/results), `--profile` writes the workers'
 * CPU profiles there. Writes latest.json and latest.md (quick runs: quick.json, quick.md).
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) return void console.log(USAGE);
  const size = { ...(args.quick ? SIZES.quick : SIZES.full) };
  if (args.open) size.open = args.open;
  const run = (phase: (typeof PHASES)[number]) => !args.only || args.only.has(phase);
  const partialRun = Boolean(args.only || args.open);
  const began = Date.now();
  const log = (line: string) => console.error(`[bench +${((Date.now() - began) / 1000).toFixed(1)}s] ${line}`);
  fs.mkdirSync(args.out, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-bench-'));
  const logFile = path.join(scratch, 'bench.log');
  const loadAvgAtStart = os.loadavg();
  const machineLoad = watchMachineLoad();

  const base = loadConfig({ ...process.env, TEMPORAL_ADDRESS: '', ONBOARD_STATE_DIR: scratch });
  const server = await startDevServer({
    temporal: base.temporal,
    port: 0,
    uiPort: false,
    logFile: path.join(scratch, 'temporal.log'),
    allowSdkDownload: false,
  });
  const cleanup: Array<() => Promise<unknown>> = [() => server.stop()];
  try {
    log(`Temporal dev server at ${server.address}`);
    const sims = await startSimulators();
    cleanup.unshift(() => sims.stop());
    // A throwaway payload key: both engines encrypt with it, as a deployment would.
    const keysFile = path.join(scratch, 'codec-keys.json');
    addKey(keysFile);
    const env = {
      ...process.env,
      ...sims.env,
      TEMPORAL_ADDRESS: server.address,
      ONBOARD_STATE_DIR: scratch,
      ONBOARD_CODEC_KEYS_FILE: keysFile,
      ONBOARD_LOG_LEVEL: 'warn',
      ONBOARD_LOG_FILE: logFile,
    };
    const config = loadConfig(env);
    const { client } = await connectClient(config);
    const token = 'bench-engineer-token-0123456789';
    const logger = createLogger({ name: 'bench-api', file: logFile, level: 'warn' });
    const api = await buildApi({ config, client, logger, tokens: new TokenBook([{ name: 'Bench', role: 'engineer', token }]) });
    const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    // close() and then drop what is left: autocannon's fixed-amount run leaves connections that never sent
    // a request, which Node's server keeps until its 60 s headersTimeout (the quick run idled a minute here).
    cleanup.unshift(() => {
      const closed = api.close();
      api.server.closeAllConnections();
      return closed;
    });
    const consoles = new SimAdminClient(sims.admin);
    const w: World = {
      client,
      config,
      sims,
      consoles,
      onboardings: new Onboardings(client, config),
      stateDir: scratch,
      apiUrl,
      token,
      workerEnv: env,
      profileDir: args.profile ? args.out : undefined,
      log,
    };

    // 3b first, while nothing else of ours runs: worker start to first task.
    log('worker start: prebuilt bundle vs bundling at start');
    const startPrebuiltMs: number[] = [];
    const startBundleAtStartMs: number[] = [];
    for (let i = 0; run('start') && i < size.starts; i++) {
      startPrebuiltMs.push(await workerStart(w, 'prebuilt'));
      startBundleAtStartMs.push(await workerStart(w, 'bundle-at-start'));
    }
    log(`  prebuilt ${startPrebuiltMs.join(', ')} ms; bundle at start ${startBundleAtStartMs.join(', ')} ms`);

    // 1. engine overhead
    log('engine overhead: ours vs baseline');
    const engine: EngineRow[] = [];
    let shapes: { ours: HistoryShape; baseline: HistoryShape } | undefined;
    if (run('engine')) {
      const oursWorker = startWorkerProcess({ kind: 'ours', taskQueue: 'bench-engine-ours', env, profileDir: w.profileDir });
      const baseWorker = startWorkerProcess({ kind: 'baseline', taskQueue: 'bench-engine-baseline', env, profileDir: w.profileDir });
      cleanup.unshift(() => Promise.all([oursWorker.stop(), baseWorker.stop()]));
      await Promise.all([oursWorker.ready, baseWorker.ready]);
      const engines = { ours: oursEngine(client, config, 'bench-engine-ours'), baseline: baselineEngine(client, config, 'bench-engine-baseline') };
      // Warm-up (JIT, first bundle load, connections), not counted.
      if (!args.quick) await engineOverhead(w, engines, 2, 2, 1);
      for (const c of size.levels) {
        const row = await engineOverhead(w, engines, c, size.perRound[c]!, size.rounds, { server: server.pid, ours: oursWorker.pid, baseline: baseWorker.pid });
        const cpu = row.cpuPerOnboarding;
        const cpuLine = (e: NonNullable<typeof cpu>['ours']) => `server ${e.server} + worker ${e.worker} + driver ${e.driver}`;
        log(`  c=${c}: ours ${row.ours.perSec}/s, baseline ${row.baseline.perSec}/s, ratio ${row.ratio}`);
        if (cpu) log(`  c=${c}: CPU s per onboarding: ours ${cpuLine(cpu.ours)}; baseline ${cpuLine(cpu.baseline)}`);
        log(`  c=${c}: progress reads per onboarding: ours ${row.readsPerOnboarding?.ours}, baseline ${row.readsPerOnboarding?.baseline}`);
        engine.push(row);
      }
      await Promise.all([oursWorker.stop(), baseWorker.stop()]);
      const last = engine.at(-1)!;
      shapes = { ours: await historyShape(w, last.sample.ours), baseline: await historyShape(w, last.sample.baseline) };
      log(`  one run's history: ours ${JSON.stringify(shapes.ours)}; baseline ${JSON.stringify(shapes.baseline)}`);
    }
    if (!run('open')) return log('done (partial run, nothing written)');

    // 2 & 3. many open onboardings on one fresh worker
    log(`opening ${size.open} onboardings`);
    const open = await openOnboardings(w, size.open, args.openKind);
    cleanup.unshift(() => open.worker.stop());
    log(`  all waiting on people after ${open.startMs} ms`);
    if (args.openKind === 'baseline') {
      const s = await open.worker.status();
      return log(`  baseline worker RSS ${Math.round(s.rss / 2 ** 20)} MB (idle ${open.idleRssMb}), ${s.cachedWorkflows} cached; done (partial run)`);
    }
    const hand = await handOff(w, open, size.samples);
    log(`  hand-off p99 ${hand.handOffMs.p99} ms, progress p99 ${hand.progressQueryMs.p99} ms, list p99 ${hand.listWaitingMs.p99} ms`);
    const afterReads = await open.worker.status();
    // Runs the hand-off and the throughput phases leave alone: the last ones opened.
    const sse = await sseLatency(w, open.tenants.slice(-size.sse));
    log(`  live event after a change p99 ${sse.fromSendMs.p99} ms from the complete call's send (${sse.fromAnswerMs.p99} ms from its answer)`);

    log(
      `  worker RSS ${Math.round(afterReads.rss / 2 ** 20)} MB (idle ${open.idleRssMb}), heap used ${Math.round(afterReads.heapUsed / 2 ** 20)} MB, ${afterReads.cachedWorkflows} cached`,
    );
    if (!run('api') || partialRun) return log('done (partial run, nothing written)');
    // 4. API throughput (on the same open onboardings; the hand-off used the first `samples`)
    log('API throughput');
    // The server's CPU per read, beside the rates: what a read model read and a query cost Temporal.
    const serverCpu = server.pid ? () => cpuSecondsOf(server.pid!) : undefined;
    const progress = await progressThroughput(w, open.tenants, size.apiSeconds, size.connections, serverCpu);
    const rest = open.tenants.slice(size.samples);
    const complete = await completeThroughput(w, rest.slice(0, size.completes), rest.slice(size.completes, 2 * size.completes), size.connections);
    const query = await queryThroughput(w, open.tenants, size.apiSeconds, size.connections, serverCpu);
    log(
      `  progress api ${progress.api.rps}/s vs client ${progress.client.rps}/s vs query ${query.rps}/s; complete api ${complete.api.rps}/s vs client ${complete.client.rps}/s`,
    );
    log(`  server CPU per read: api ${progress.api.serverCpuMs} ms, client (read model) ${progress.client.serverCpuMs} ms, query ${query.serverCpuMs} ms`);
    const final = await open.worker.status();
    await open.worker.stop();

    // 3c. the same with every open onboarding cached (the SDK's default cache size): memory for latency
    log(`opening ${size.open} onboardings on a worker that caches them all`);
    const allCached = await openOnboardings(w, size.open, 'ours', { ONBOARD_WORKER_MAX_CACHED_WORKFLOWS: String(size.open * 2), BENCH_NO_HEAP_CAP: '1' });
    cleanup.unshift(() => allCached.worker.stop());
    const allCachedHand = await handOff(w, allCached, size.samples);
    const allCachedStatus = await allCached.worker.status();
    log(
      `  hand-off p99 ${allCachedHand.handOffMs.p99} ms, progress p99 ${allCachedHand.progressQueryMs.p99} ms, RSS ${Math.round(allCachedStatus.rss / 2 ** 20)} MB`,
    );
    await allCached.worker.stop();

    // The bare baseline's Update round trip with as many open, at the same cache size: what a hand-off is held to.
    log(`opening ${size.open} baseline onboardings`);
    const baseOpen = await openOnboardings(w, size.open, 'baseline');
    cleanup.unshift(() => baseOpen.worker.stop());
    const baselineUpdateMs = await baselineUpdate(w, baseOpen, size.samples, baseOpen.taskQueue);
    log(`  baseline Update round trip p99 ${baselineUpdateMs.p99} ms`);
    await baseOpen.worker.stop();

    // The list page with many onboardings in visibility.
    log(`listing ${size.listTotal} onboardings`);
    const list = await listPages(w, open.tenants[open.tenants.length - 1]!.tenantId, size.listTotal, 200, size.listSamples);
    log(`  ${list.copies} copies in ${list.copyMs} ms; page of ${list.pageSize} p99 ${list.pageMs.p99} ms`);

    const MB = 1024 * 1024;
    // Before cleanup: the dev server and the workers still run, so their CPU time counts as the benchmark's.
    const during = machineLoad.stop();
    const partial: Omit<BenchResults, 'targets'> = {
      meta: {
        date: new Date().toISOString(),
        command: `npm run bench${args.quick ? ' -- --quick' : ''}`,
        quick: args.quick,
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model ?? '?',
          memoryGb: Math.round(os.totalmem() / 1024 ** 3),
          os: `${os.type()} ${os.release()}`,
          loadAvgAtStart,
          ...(during ? { during } : {}),
        },
        node: process.version,
        temporalSdk: (JSON.parse(fs.readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }).version,
        temporalCli: server.binaryPath ? await versionOf(server.binaryPath) : server.route,
        sizes: {
          open: size.open,
          samples: size.samples,
          rounds: size.rounds,
          perRound: Object.fromEntries(size.levels.map((c) => [c, size.perRound[c]!])),
          apiSeconds: size.apiSeconds,
          connections: size.connections,
          sse: size.sse,
          listTotal: size.listTotal,
        },
      },
      engine,
      ...(shapes ? { historyShapes: shapes } : {}),
      handOff: hand,
      footprint: {
        open: size.open,
        idleRssMb: open.idleRssMb,
        rssMb: Math.round(afterReads.rss / MB),
        peakRssMb: Math.round(Math.max(final.peakRss ?? final.rss, afterReads.rss) / MB),
        cachedWorkflows: afterReads.cachedWorkflows,
        startPrebuiltMs,
        startBundleAtStartMs,
        openAllMs: open.startMs,
        allCached: {
          cachedWorkflows: allCachedStatus.cachedWorkflows,
          rssMb: Math.round(allCachedStatus.rss / MB),
          peakRssMb: Math.round((allCachedStatus.peakRss ?? allCachedStatus.rss) / MB),
          handOffMs: allCachedHand.handOffMs,
          progressQueryMs: allCachedHand.progressQueryMs,
          openAllMs: allCached.startMs,
        },
      },
      api: { progress: { ...progress, query }, complete },
      sse,
      baselineUpdateMs,
      list,
    };
    const results: BenchResults = { ...partial, targets: targetsOf(partial) };
    results.meta.totalMs = Date.now() - began;
    const name = args.quick ? 'quick' : 'latest';
    fs.writeFileSync(path.join(args.out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(path.join(args.out, `${name}.md`), `${markdown(results)}\n`);
    console.log(markdown(results));
    log(`wrote ${path.join(args.out, `${name}.json`)} and .md`);
  } finally {
    for (const step of cleanup) await step().catch((err) => log(`cleanup: ${(err as Error).message}`));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function versionOf(binary: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['--version']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out.trim().replace(/^temporal version\s*/, '') || 'unknown'));
    child.on('error', () => resolve('unknown'));
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    // A wrong argument is the user's to fix: its message alone. Anything else: where it broke.
    console.error(err instanceof BenchArgumentError ? `bench: ${err.message}` : `bench failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
