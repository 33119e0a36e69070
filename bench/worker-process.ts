import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowCodeRoute } from '../src/temporal/bundle';

export type ToWorker = { type: 'status' } | { type: 'stop' };
export type FromWorker = { type: 'ready'; createMs: number; uptimeMs: number } | { type: 'status'; rss: number; heapUsed: number; cachedWorkflows: number };

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** When fork() was called (ms since epoch). */
  spawnedAt: number;
  ready: Promise<Extract<FromWorker, { type: 'ready' }>>;
  status(): Promise<Extract<FromWorker, { type: 'status' }> & { peakRss?: number }>;
  stop(): Promise<void>;
}

/** Starts bench/worker-main in its own Node process (with `--cpu-prof` when profiling). */
/**
 * The heap docker-compose.yml gives a worker (NODE_OPTIONS): benchmarked as shipped. Not for a worker
 * that bundles at start (the image ships the prebuilt bundle): webpack ran out of 128 MB.
 */
export const WORKER_HEAP_MB = 256;

export function startWorkerProcess(o: {
  kind: 'ours' | 'baseline';
  taskQueue: string;
  route?: WorkflowCodeRoute;
  env: NodeJS.ProcessEnv;
  profileDir?: string;
}): WorkerProcess {
  const execArgv = [
    // Nor for the worker that caches every open run (memory for latency): 1,000 cached ran its workflow thread out of 256 MB.
    ...(o.route === 'bundle-at-start' || o.env.BENCH_NO_HEAP_CAP ? [] : [`--max-old-space-size=${WORKER_HEAP_MB}`]),
    ...(o.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(o.profileDir, `${o.kind}-${o.taskQueue}`)] : []),
  ];
  const spawnedAt = Date.now();
  const child = fork(path.join(__dirname, 'worker-main.js'), [o.kind, o.taskQueue, o.route ?? 'auto'], {
    env: o.env,
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = <T extends FromWorker['type']>(type: T) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as Extract<FromWorker, { type: T }>);
      };
      child.on('message', onMessage);
      void exited.then((code) => reject(new Error(`bench worker (${o.kind}) exited ${code} before '${type}'`)));
    });
  const ready = next('ready');
  ready.catch(() => undefined);
  return {
    child,
    pid: child.pid!,
    spawnedAt,
    ready,
    async status() {
      const reply = next('status');
      child.send({ type: 'status' } satisfies ToWorker);
      return { ...(await reply), peakRss: peakRss(child.pid!) };
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' } satisfies ToWorker);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The process's high-water RSS (Linux), in bytes. */
function peakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
