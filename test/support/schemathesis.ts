import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';

/**
 * schemathesis (PyPI), the OpenAPI fuzzer test/api/schemathesis.test.ts runs against the API. Pinned,
 * and installed once with `pip install --target` into the git-ignored `.tools/` (as the Temporal
 * CLI goes into `.temporal/`), with its dependencies: it runs from there with PYTHONPATH, on the
 * Python that installed it (its wheels are built for that one).
 */
export const SCHEMATHESIS_VERSION = '4.32.5';
export const SCHEMATHESIS_DIR = path.join(ROOT, '.tools', `schemathesis-${SCHEMATHESIS_VERSION}`);
/** Written last into a finished install: the Python that made it. */
const PYTHON_FILE = '.python';

export type SchemathesisTool = { python: string; dir: string } | { error: string };

/** The cached install, or a new one (progress lines for the minutes pip may take); an error in words when it cannot be had. */
export async function installSchemathesis(onProgress: (line: string) => void): Promise<SchemathesisTool> {
  const cached = cachedTool();
  if (cached) return cached;
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0);
  if (!python) return { error: 'schemathesis needs Python 3 with pip (`python3 -m pip --version` must work); neither python3 nor python has pip' };
  const spec = `schemathesis==${SCHEMATHESIS_VERSION}`;
  // Installed beside the cache and renamed into place, so an interrupted install never looks finished
  // and two processes racing each end with one whole copy.
  const staging = `${SCHEMATHESIS_DIR}.staging-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.dirname(SCHEMATHESIS_DIR), { recursive: true });
  onProgress(`installing ${spec} (once) with: ${python} -m pip install --target ${path.relative(ROOT, SCHEMATHESIS_DIR)} ${spec}`);
  const started = Date.now();
  const pip = await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--target', staging, spec], {
    timeoutMs: 10 * 60_000,
  });
  if (pip.code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    const tail = pip.output.trim().split('\n').slice(-3).join(' | ').slice(0, 600);
    return { error: `${python} -m pip install ${spec} failed (exit ${pip.code}): ${tail}` };
  }
  const exe = spawnSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim() || python;
  fs.writeFileSync(path.join(staging, PYTHON_FILE), exe);
  try {
    fs.renameSync(staging, SCHEMATHESIS_DIR);
  } catch {
    // Someone else finished first: theirs is as good.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  onProgress(`installed ${spec} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return cachedTool() ?? { error: `${spec} installed, but ${SCHEMATHESIS_DIR} holds no finished install` };
}

/** The finished install, if its Python is still there (a removed or upgraded Python leaves wheels nothing can load: installed again). */
function cachedTool(): SchemathesisTool | undefined {
  const marker = path.join(SCHEMATHESIS_DIR, PYTHON_FILE);
  if (!fs.existsSync(marker)) return undefined;
  const python = fs.readFileSync(marker, 'utf8').trim();
  if (fs.existsSync(python)) return { python, dir: SCHEMATHESIS_DIR };
  fs.rmSync(SCHEMATHESIS_DIR, { recursive: true, force: true });
  return undefined;
}

/** Runs `schemathesis <args>` from the install; resolves with its exit code and everything it printed. */
export function runSchemathesis(tool: { python: string; dir: string }, args: string[], opts: { cwd: string; timeoutMs: number }) {
  return run(tool.python, ['-m', 'schemathesis.cli', ...args], {
    ...opts,
    env: { ...process.env, PYTHONPATH: tool.dir, NO_COLOR: '1' },
  });
}

function run(cmd: string, args: string[], opts: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // Interrupted first: schemathesis then prints what it found so far (each failure and error), which a kill would lose.
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, output: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      const late = signal || killer ? `\n(interrupted after ${opts.timeoutMs} ms${signal ? `, killed by ${signal}` : ''})` : '';
      resolve({ code: code ?? -1, output: output + late });
    });
  });
}
