import fs from 'node:fs';
import path from 'node:path';
import type { Progress } from '../../src/app';
import { workflowIdFor, type TenantInput } from '../../src/domain/tenant';
import { onboardLongRunning } from '../support/cli';
import { startHarness, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';
import { notDoneOnce, playPeople, recordResult, sleep, worldOf, type PeopleStats } from './support';

/**
 * The worker process dies (SIGKILL: no shutdown, no goodbye) while vendor calls and people's
 * completions are in flight; a new worker process takes over, and the calls the dead one held are
 * retried once their heartbeat timeout (not the start-to-close minute) notices. Nothing is lost and nothing happens
 * twice: the activities only read the vendors (the one vendor-side write they cause is a Zoom
 * token, once per worker process), so a retried activity is harmless, and the people's console
 * work is done once per tenant.
 */
const TENANTS = 20;
let h: Harness;

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` first (bin/onboard.js runs the build)');
  h = await startHarness({ worker: false });
});
afterAll(() => h?.stop());

it('20 onboardings survive a SIGKILLed worker process mid-flight, each step done once', async () => {
  const started = Date.now();
  const workerEnv = { ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir, ONBOARD_TASK_QUEUE: h.taskQueue };
  const first = await onboardLongRunning(['worker', '--json'], workerEnv);
  expect(first.json).toMatchObject({ taskQueue: h.taskQueue });

  // Every vendor call takes 1 s until the kill, so some are always in flight when it comes.
  h.sims.kore.faults.add({ path: '/api/public/', latencyMs: 1000 });
  h.sims.zoom.faults.add({ path: '/v2/', latencyMs: 1000 });

  const tenants: TenantInput[] = [];
  for (let i = 0; i < TENANTS; i++) tenants.push(await h.start(undefined, { summaryPollInterval: '1s', summaryWaitLimit: '3m' }));
  const stats: PeopleStats = { updatesInFlight: 0, completions: 0, transientErrors: 0 };
  const people = tenants.map((tenant) => playPeople({ h, tenant, pauseMs: () => 200 + Math.random() * 800 }, stats));
  people.forEach((p) => p.catch(() => undefined)); // awaited below; no unhandled rejection meanwhile

  // Kill once the runs are well under way (a completion per tenant on average), at a moment when
  // vendor calls and people's completions are in flight.
  const inFlight = () => h.sims.kore.calls.inFlight() + h.sims.zoom.calls.inFlight();
  while (stats.completions < TENANTS || inFlight() === 0 || stats.updatesInFlight === 0) await sleep(20);
  const killedAt = Date.now();
  const atKill = { vendorCallsInFlight: inFlight(), updatesInFlight: stats.updatesInFlight, humanStepsDone: stats.completions };
  first.child.kill('SIGKILL');
  expect(await first.exited).toBeNull(); // died by the signal, not an exit of its own

  h.sims.kore.faults.clear();
  h.sims.zoom.faults.clear();
  await sleep(1000); // a real outage: nobody serves the queue for a moment
  // The replacement names its queue with the flag instead of the variable; either way it must match.
  const second = await onboardLongRunning(['worker', '--task-queue', h.taskQueue, '--json'], { ...workerEnv, ONBOARD_TASK_QUEUE: '' });
  const restartedAt = Date.now();
  expect(second.json).toMatchObject({ taskQueue: h.taskQueue });
  try {
    const finals: Progress[] = await Promise.all(people);
    const results = await Promise.all(tenants.map((t) => h.onboardings.result(t.tenantId)));
    const completed = results.filter((r) => r.status === 'completed').length;

    // Activities the dead worker held were run again, once their heartbeat timeout noticed.
    let retriedActivities = 0;
    const retryStartsMs: number[] = [];
    const vendorTimeouts = new Set<string>();
    const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
    for (const t of tenants) {
      // Observation only (the app offers no history): the run's events, read through its handle.
      const history = await h.client.workflow.getHandle(workflowIdFor(t.tenantId)).fetchHistory();
      for (const e of history.events ?? []) {
        const scheduled = e.activityTaskScheduledEventAttributes;
        if (scheduled && scheduled.activityType?.name !== 'notify')
          vendorTimeouts.add(`heartbeat ${ms(scheduled.heartbeatTimeout)} ms, start-to-close ${ms(scheduled.startToCloseTimeout)} ms`);
        if ((e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) {
          retriedActivities++;
          if (ms(e.eventTime) > killedAt) retryStartsMs.push(ms(e.eventTime));
        }
      }
    }

    const notOnce = finals.flatMap((p) => notDoneOnce(p).map((s) => `${p.tenantId} ${s}`));
    const worlds = tenants.map((t) => worldOf(h.sims, t));
    const tokenCalls = h.sims.zoom.calls.timeline().filter((c) => c.route === '/oauth/token' && c.status === 200);
    const tokensPerAccount = tenants.map((t) => tokenCalls.filter((c) => c.client === `account:${t.zoom.accountId}`).length);
    const lost = TENANTS - completed;

    recordResult('worker-sigkill', {
      onboardings: TENANTS,
      completed,
      lost,
      stepsNotDoneOnce: notOnce.length,
      vendorCallsInFlightAtKill: atKill.vendorCallsInFlight,
      updatesInFlightAtKill: atKill.updatesInFlight,
      humanStepsDoneAtKill: atKill.humanStepsDone,
      retriedActivities,
      // From the kill to the last retried activity starting on the new worker (the goal: under 15 s).
      secondsKillToRetriesStarted: retryStartsMs.length ? (Math.max(...retryStartsMs) - killedAt) / 1000 : 0,
      clientRetriesDuringOutage: stats.transientErrors,
      secondsToKill: (killedAt - started) / 1000,
      secondsToRecoverAll: (Date.now() - restartedAt) / 1000,
      seconds: (Date.now() - started) / 1000,
      zoomTokensPerAccountMax: Math.max(...tokensPerAccount),
    });

    expect(completed).toBe(TENANTS);
    expect(notOnce).toEqual([]);
    // The people's console work, once per tenant: one connector, the draft flow plus the routed one,
    // one test call (a ZCC engagement and a Kore.ai session).
    for (const w of worlds) expect(w).toEqual({ connectors: 1, flows: 2, engagements: 1, sessions: 1 });
    // The only vendor write an activity causes: a Zoom token, once per worker process, and once
    // more after the flow publish's scope refusal (a fresh token carries scopes added since).
    for (const n of tokensPerAccount) expect(n).toBeGreaterThanOrEqual(1);
    for (const n of tokensPerAccount) expect(n).toBeLessThanOrEqual(3);
    expect(retriedActivities).toBeGreaterThan(0);
    // What makes the recovery fast, asserted as configured rather than timed (a timing would flake
    // on a busy machine): every vendor activity has a 12 s heartbeat timeout under its 1-minute
    // start-to-close. The measured recovery goes to test-results and SECURITY.md.
    expect([...vendorTimeouts]).toEqual(['heartbeat 12000 ms, start-to-close 60000 ms']);
  } finally {
    await second.stop();
  }
}, 240_000);
