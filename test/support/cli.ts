import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SERVER_INFO } from './paths';

export const ONBOARD = path.join(ROOT, 'bin', 'onboard.js');

/**
 * Runs `onboard <args>` to completion (the built CLI, as a person would). Asynchronous on purpose:
 * the simulators the command talks to may live in this very process.
 */
export function onboard(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 90_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return collect(spawn(process.execPath, [ONBOARD, ...args], { env: { ...process.env, ...env } }), timeoutMs);
}

/** A child's exit code and whole output; killed after `timeoutMs`. */
function collect(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running `onboard` command and resolves with its first JSON document on stdout. */
export function onboardLongRunning(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcessWithoutNullStreams; json: any; exited: Promise<number | null>; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [ONBOARD, ...args], { env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Ctrl-C, and if it has not stopped in 15 s, the test fails loudly rather than hanging.
  const stop = async () => {
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      try {
        resolve({ child, json: JSON.parse(out), exited, stop });
      } catch {
        /* not whole yet */
      }
    });
    void exited.then((code) => reject(new Error(`onboard ${args.join(' ')} exited ${code}: ${err.trim()}`)));
  });
}

/**
 * Runs the official `temporal` CLI (the suite's, from global setup) against the suite's server,
 * with no codec: what a client with Temporal access but no payload key can send.
 */
export function temporalCli(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { binaryPath } = JSON.parse(fs.readFileSync(SERVER_INFO, 'utf8')) as { binaryPath: string };
  const where = ['--address', process.env.TEMPORAL_ADDRESS!, '--namespace', process.env.TEMPORAL_NAMESPACE ?? 'default'];
  return collect(spawn(binaryPath, [...args, ...where]), timeoutMs);
}
