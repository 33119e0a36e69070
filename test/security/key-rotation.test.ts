import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Onboardings } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { HumanStepId } from '../../src/domain/steps';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, registerTenant, type ConsoleMemory } from '../../src/people';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { connectClient } from '../../src/temporal/client';
import { addKey, Keyring } from '../../src/temporal/codec';
import { stopWorker } from '../../src/temporal/stop-worker';
import { createOnboardingWorker } from '../../src/temporal/worker';
import { historyJson } from '../support/history';
import { FAST, tenantFile } from '../support/onboarding';
import { EXTRA_KEYS_DIR } from '../support/paths';

/**
 * Rotating the payload key under a running onboarding: it was started under key A; the worker and
 * clients restart with keys [A, B]; the run reads its old payloads, writes new ones under B, and
 * completes. A process with only B cannot read what A wrote (so old keys must stay loaded).
 */
let sims: Simulators;
let consoles: SimAdminClient;
let stateDir: string;
beforeAll(async () => {
  sims = await startSimulators();
  consoles = new SimAdminClient(sims.admin);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-rotation-'));
});
afterAll(async () => {
  await sims?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function world(keysFile: string, taskQueue: string) {
  const config: Config = loadConfig({ ...process.env, ...sims.env, ONBOARD_STATE_DIR: stateDir, ONBOARD_CODEC_KEYS_FILE: keysFile });
  const { worker, connection } = await createOnboardingWorker({ config, logger: createLogger({ name: 'rotation' }), taskQueue });
  const running = worker.run();
  const { client } = await connectClient(config);
  return { onboardings: new Onboardings(client, config, { taskQueue, onboardingOptions: FAST }), stop: () => stopWorker(worker, running, connection) };
}

it('a run started under the old key completes after rotation; new payloads use the new key', async () => {
  // Kept where the suite's leak check finds it, so it can decrypt this run's history too.
  const keysFile = path.join(EXTRA_KEYS_DIR, `rotation-${randomUUID()}.json`);
  const a = addKey(keysFile).id;
  const taskQueue = `rotation-${randomUUID()}`;
  const file = tenantFile();
  await registerTenant(consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const memory: ConsoleMemory = {};

  const before = await world(keysFile, taskQueue);
  const started = await before.onboardings.start(file);
  const tenant = started.tenant;
  const openSteps = async (onboardings: Onboardings) => {
    for (let i = 0; i < 300; i++) {
      const p = await onboardings.progress(tenant.tenantId);
      const open = p.steps.filter((s) => s.state === 'open' || s.state === 'waiting-for-human');
      if (open.length || p.status === 'completed') return { p, open };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no open step');
  };
  // One human step done under key A.
  const first = (await openSteps(before.onboardings)).open[0]!;
  await before.onboardings.complete(tenant.tenantId, {
    stepId: first.id,
    evidence: await doInConsoles(first.id as HumanStepId, publicTenant(tenant), consoles, memory),
    by: 'a@acme',
  });
  await before.stop();

  const b = addKey(keysFile).id;
  const after = await world(keysFile, taskQueue);
  try {
    for (;;) {
      const { p, open } = await openSteps(after.onboardings);
      if (p.status === 'completed') break;
      for (const s of open)
        await after.onboardings.complete(tenant.tenantId, {
          stepId: s.id,
          evidence: await doInConsoles(s.id as HumanStepId, publicTenant(tenant), consoles, memory),
          by: 'b@acme',
        });
    }
    const ids = new Set<string>();
    JSON.stringify(JSON.parse(historyJson(started.workflowId)), (k, v) => {
      if (k === 'encryption-key-id') ids.add(Buffer.from(v as string, 'base64').toString());
      return v;
    });
    expect(ids).toEqual(new Set([a, b]));

    // Only key B loaded: the run's memo (written at start, under A) is unreadable, and the error names A.
    const onlyB = path.join(stateDir, 'only-b.json');
    fs.writeFileSync(
      onlyB,
      JSON.stringify(
        Keyring.parse(fs.readFileSync(keysFile, 'utf8'), keysFile)
          .entries()
          .filter((k) => k.id === b),
      ),
    );
    const onlyBConfig = loadConfig({ ...process.env, ONBOARD_STATE_DIR: stateDir, ONBOARD_CODEC_KEYS_FILE: onlyB });
    const { client } = await connectClient(onlyBConfig);
    await expect(new Onboardings(client, onlyBConfig).memo(tenant.tenantId)).rejects.toThrow(
      `payload encrypted with key "${a}", which is not loaded (loaded: ${b})`,
    );
  } finally {
    await after.stop();
  }
});
