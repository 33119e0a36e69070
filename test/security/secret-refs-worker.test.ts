import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onboardLongRunning } from '../support/cli';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

/**
 * Issue 12, finding 1: a `file:` reference the operator allowed may still name a FIFO or a device.
 * The worker refuses anything but a regular file without blocking on it (a FIFO froze the whole
 * worker, /dev/zero made Node abort), with its one message, and keeps serving other tenants. The
 * worker runs as a process of its own, so a hang or an abort cannot take jest down with it.
 */
const UNAVAILABLE = (field: string) =>
  `secret ${field}: the reference is not allowed here or names nothing this worker can read (operators: see ONBOARD_SECRET_FILE_DIRS, ONBOARD_SECRET_ENV_NAMES)`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-secret-fifo-'));
const fifo = path.join(dir, 'kore-fifo');
// The operator allows the test's directory, and /dev, so that /dev/zero gets past the allow-list
// and it is the file-type check that refuses it.
const ENV = { ONBOARD_SECRET_FILE_DIRS: `${dir},/dev` };
let h: Harness;
let worker: Awaited<ReturnType<typeof onboardLongRunning>>;

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  execFileSync('mkfifo', [fifo]);
  h = await startHarness({ worker: false, env: ENV });
  worker = await onboardLongRunning(['worker', '--json'], { ...h.sims.env, ...ENV, ONBOARD_STATE_DIR: h.stateDir, ONBOARD_TASK_QUEUE: h.taskQueue });
});
afterAll(async () => {
  // A frozen worker does not answer SIGINT: give it 5 s, then SIGKILL.
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
    worker.child.kill('SIGINT');
    const timer = setTimeout(() => worker.child.kill('SIGKILL'), 5_000);
    await worker.exited;
    clearTimeout(timer);
  }
  await h?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `promise`, or a failure naming `what` after `ms` (a frozen worker answers nothing). */
const within = <T>(ms: number, what: string, promise: Promise<T>): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref())]);

async function refusedWithoutBlocking(ref: string): Promise<void> {
  const t = tenantFile();
  // An operator's start (`onboard start`): file: references inside the allow-list are taken.
  await h.onboardings.start({ ...t, kore: { ...t.kore, clientSecret: ref } }, { options: FAST, secretRefs: 'operator' });
  const p = await within(
    20_000,
    `${ref}: verify-kore-access to need attention`,
    h.until(t.tenantId, h.stepIs('verify-kore-access', 'done', 'needs-attention'), 20_000),
  );
  expect(p.steps.find((s) => s.id === 'verify-kore-access')).toMatchObject({ state: 'needs-attention', lastError: UNAVAILABLE('kore.clientSecret') });

  // The worker is alive and serves another tenant: its progress query answers, its access check runs.
  expect([worker.child.exitCode, worker.child.signalCode]).toEqual([null, null]);
  const other = await h.start();
  const q = await within(20_000, 'another tenant on the same worker', h.until(other.tenantId, h.stepIs('verify-kore-access', 'done'), 20_000));
  expect(q.steps.find((s) => s.id === 'verify-kore-access')!.state).toBe('done');
}

it('a FIFO is refused at once, and the worker keeps serving other tenants', () => refusedWithoutBlocking(`file:${fifo}`), 60_000);

it('/dev/zero is refused without reading it, and the worker keeps serving other tenants', () => refusedWithoutBlocking('file:/dev/zero'), 60_000);
