import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MISTAKES } from '../../src/people/mistakes';
import type { Progress } from '../../src/app';
import type { HumanStepId } from '../../src/domain/steps';
import { publicTenant } from '../../src/domain/tenant';
import { doInConsoles, registerTenant, type ConsoleMemory } from '../../src/people';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { onboard, onboardLongRunning } from '../support/cli';
import { tenantFile } from '../support/onboarding';

let sims: Simulators;
let consoles: SimAdminClient;
let env: NodeJS.ProcessEnv;
let dir: string;
let worker: Awaited<ReturnType<typeof onboardLongRunning>>;

beforeAll(async () => {
  sims = await startSimulators();
  consoles = new SimAdminClient(sims.admin);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-cli-'));
  env = { ...sims.env, ONBOARD_STATE_DIR: path.join(dir, 'state') };
  worker = await onboardLongRunning(['worker', '--json'], env);
});
afterAll(async () => {
  expect(await worker?.stop()).toBe(0);
  await sims?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const json = async (args: string[]) => {
  const r = await onboard([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`onboard ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

describe('a full onboarding through the onboard CLI', () => {
  it('start, status, complete each human step, list: completed', async () => {
    expect(worker.json.taskQueue).toBe('kore-zcc-onboarding');
    // `onboard worker` refuses input sent without the payload codec unless told otherwise.
    expect(worker.json.refusePlainInput).toBe(true);
    const file = tenantFile();
    const tenantPath = path.join(dir, 'tenant.json');
    fs.writeFileSync(tenantPath, JSON.stringify(file, null, 2));
    await registerTenant(consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });

    const started = await json(['start', tenantPath]);
    expect(started).toMatchObject({ tenantId: file.tenantId, workflowId: `onboarding-${file.tenantId}` });
    // The inline secrets went to the 0600 store (a file per field and start), not into the workflow.
    const storeDir = path.join(env.ONBOARD_STATE_DIR!, 'secrets', file.tenantId);
    const storedFiles = fs.readdirSync(storeDir).sort();
    expect(storedFiles).toEqual([expect.stringMatching(/^kore\.clientSecret\.[0-9a-z]+$/), expect.stringMatching(/^zoom\.clientSecret\.[0-9a-z]+$/)]);
    for (const f of storedFiles) expect(fs.statSync(path.join(storeDir, f)).mode & 0o777).toBe(0o600);

    const again = await onboard(['start', tenantPath], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(
      `onboard: an onboarding for tenant ${file.tenantId} is already running (onboarding-${file.tenantId}); see \`onboard status ${file.tenantId}\`, or cancel it first`,
    );
    // The refused start left the running onboarding's secrets as they were, and nothing of its own.
    expect(fs.readdirSync(storeDir).sort()).toEqual(storedFiles);

    const memory: ConsoleMemory = {};
    let p: Progress = await json(['status', file.tenantId]);
    for (let round = 0; p.status !== 'completed' && round < 200; round++) {
      const open = p.steps.filter((s) => s.state === 'open' || s.state === 'waiting-for-human');
      expect(p.steps.filter((s) => s.state === 'needs-attention')).toEqual([]);
      for (const s of open) {
        // The summary is ready at once: `onboard start` takes the default options, whose 30 s summary
        // poll this CLI test has no reason to wait out (the workflow tests cover the polling).
        const evidence = await doInConsoles(s.id as HumanStepId, publicTenant(file), consoles, memory, { summaryDelayMs: 0 });
        const sets = Object.entries(evidence).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);
        const done = await json(['complete', file.tenantId, s.id, ...sets, '--by', 'pat@acme.example']);
        expect(done.state).toBe('done');
      }
      if (!open.length) await new Promise((r) => setTimeout(r, 200));
      p = await json(['status', file.tenantId]);
    }
    expect(p.status).toBe('completed');

    const human = await onboard(['status', file.tenantId], env);
    expect(human.stdout.split('\n')[0]).toBe(`Acme Corp (${file.tenantId}): completed, 100% done`);
    expect(human.stdout).toMatch(/\[x\] create-zoom-connector\s+done by pat@acme\.example at /);
    fs.writeFileSync(path.join(dir, '..', 'onboard-status-sample.txt'), human.stdout);

    const listed = await json(['list', '--status', 'completed']);
    expect(listed.map((r: { tenantId: string }) => r.tenantId)).toContain(file.tenantId);
  });

  it('a step refused by the workflow is one line on stderr, exit 1', async () => {
    const file = tenantFile();
    const tenantPath = path.join(dir, 'tenant2.json');
    fs.writeFileSync(tenantPath, JSON.stringify(file));
    await registerTenant(consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
    await json(['start', tenantPath]);
    for (
      let i = 0;
      i < 50 && (await json(['status', file.tenantId])).steps.find((s: { id: string }) => s.id === 'create-zoom-connector').state !== 'open';
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await onboard(
      [
        'complete',
        file.tenantId,
        'create-zoom-connector',
        '--set',
        'connectorName=Acme',
        '--set',
        'domain=a1.zoomcc.example.com',
        '--set',
        'did=+1 415',
        '--by',
        'pat',
      ],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('onboard: create-zoom-connector: evidence.did "+1 415" is not an E.164 number (expected + and 8-15 digits, no spaces)\n');
    const human = (await onboard(['status', file.tenantId], env)).stdout;
    expect(human).toContain('Next:');
    expect(human).toMatch(/then: onboard complete .* create-zoom-connector --set connectorName=\.\.\. --set domain=\.\.\. --set did=\.\.\. --by <you>/);

    // The same step with --evidence JSON, then a fire-and-forget --signal for the next one.
    const evidence = JSON.stringify({ connectorName: 'Acme', domain: 'a1.zoomcc.example.com', did: '+14155550199' });
    expect((await json(['complete', file.tenantId, 'create-zoom-connector', '--evidence', evidence, '--by', 'pat'])).state).toBe('done');
    const sent = await json(['complete', file.tenantId, 'authorize-zoom-connector', '--signal', '--by', 'pat']);
    expect(sent).toEqual({ sent: true });
    for (let i = 0; i < 50; i++) {
      const st = (await json(['status', file.tenantId])).steps.find((s: { id: string }) => s.id === 'authorize-zoom-connector');
      if (st.state === 'done') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await json(['status', file.tenantId])).steps.find((s: { id: string }) => s.id === 'authorize-zoom-connector').completedBy).toBe('pat');

    // Waiting on people: listed with --waiting (visibility may lag a moment).
    let waiting: Array<{ tenantId: string; waitingOnHuman: boolean }> = [];
    for (let i = 0; i < 30 && !waiting.some((r) => r.tenantId === file.tenantId); i++) {
      waiting = await json(['list', '--waiting']);
      if (!waiting.some((r) => r.tenantId === file.tenantId)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(waiting.find((r) => r.tenantId === file.tenantId)).toMatchObject({ waitingOnHuman: true });
    const cancelled = await json(['cancel', file.tenantId, '--reason', 'test over', '--by', 'pat']);
    expect(cancelled.status).toBe('cancelled');
  });

  it('a bad tenant file gets one line per wrong field, with its JSON path (exit 2)', async () => {
    const bad = { ...tenantFile(), tenantId: 'Acme Corp', kore: { region: 'mars', botId: 'st-x', clientId: 'nope', clientSecret: 's' } };
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(bad));
    const r = await onboard(['start', file], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `onboard: ${file}: tenantId: must be a lowercase slug of 3-40 letters, digits and dashes (e.g. acme-corp)`,
      `onboard: ${file}: kore.region: must be one of us, us-legacy, jp, de, eu, in`,
      `onboard: ${file}: kore.clientId: must be a JWT app Client ID (cs-...)`,
    ]);
  });

  it('an unknown tenant is named', async () => {
    const r = await onboard(['status', 'no-such-tenant'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('onboard: no onboarding for tenant no-such-tenant; start one with `onboard start <tenant.json>`');
  });

  it('`rehearse` runs the example tenant end to end and prints the timeline', async () => {
    const r = await onboard(['rehearse', path.join(__dirname, '..', '..', 'examples', 'tenant.example.json')], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Rehearsing Acme Demo \(simulators\) \(acme-demo\) against the simulators:/);
    expect(r.stdout).toMatch(/\+\s+\d+\.\ds {2}place-test-call\s+done/);
    expect(r.stdout).toMatch(/Completed in \d+\.\d s\.\nSummary of the test call: /);
  });

  it('`rehearse --mistake list` names every mistake with where it is caught; an unknown name is refused in one line', async () => {
    const list = await onboard(['rehearse', '--mistake', 'list'], {});
    expect(list.code).toBe(0);
    for (const m of MISTAKES) expect(list.stdout).toContain(`${m.name.padEnd(30)} ${m.kind.padEnd(8)} caught at ${m.caught.step} (${m.caught.state})`);
    const bad = await onboard(['rehearse', 'examples/tenant.example.json', '--mistake', 'typo-in-everything'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`onboard: --mistake: unknown mistake "typo-in-everything"; one of: ${MISTAKES.map((m) => m.name).join(', ')}`);
  });

  it('`rehearse --mistake connector-not-authorized` shows where the run catches it and finishes after the fix', async () => {
    const r = await onboard(['rehearse', path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), '--mistake', 'connector-not-authorized'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The person never clicks Next to authorize the connector with Kore.ai, but completes the step.');
    expect(r.stdout).toMatch(/Caught at place-test-call \(open\): no session of bot .* but the Kore\.ai connector is not authorized: on the connector page/);
    expect(r.stdout).toContain('After the fix the onboarding completed.');
  });
});
