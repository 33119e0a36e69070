import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths';

export const ONBOARD = path.join(ROOT, 'bin', 'onboard.js');

/** Runs `onboard <args>` to completion (the built CLI, as a person would). */
export function onboard(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [ONBOARD, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a long-running `onboard` command and resolves with its first JSON document on stdout. */
export function onboardLongRunning(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcessWithoutNullStreams; json: any; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [ONBOARD, ...args], { env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      try {
        resolve({ child, json: JSON.parse(out), exited });
      } catch {
        /* not whole yet */
      }
    });
    void exited.then((code) => reject(new Error(`onboard ${args.join(' ')} exited ${code}: ${err.trim()}`)));
  });
}
