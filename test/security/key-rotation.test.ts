import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../../src/config';
import type { HumanStepId } from '../../src/domain/evidence';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { storeInlineSecrets } from '../../src/secret-store';
import { startSimulators, type Simulators } from '../../src/sim';
import { actOut, registerTenantInSims, type PeopleMemory } from '../../src/sim/people';
import { connectClient, onboardingHandle, startOnboarding } from '../../src/temporal/client';
import { addKey, Keyring } from '../../src/temporal/codec';
import { stopWorker } from '../../src/temporal/stop-worker';
import { createOnboardingWorker } from '../../src/temporal/worker';
import { completeStepUpdate, progressQuery } from '../../workflows/messages';
import { historyJson } from '../support/history';
import { FAST, tenantFile } from '../support/onboarding';
import { EXTRA_KEYS_DIR } from '../support/paths';

/**
 * Rotating the payload key under a running onboarding: it was started under key A; the worker and
 * clients restart with keys [A, B]; the run reads its old payloads, writes new ones under B, and
 * completes. A process with only B cannot read what A wrote (so old keys must stay loaded).
 */
let sims: Simulators;
let stateDir: string;
beforeAll(async () => {
  sims = await startSimulators();
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
  return { client: client as Client, stop: () => stopWorker(worker, running, connection) };
}

it('a run started under the old key completes after rotation; new payloads use the new key', async () => {
  // Kept where the suite's leak check finds it, so it can decrypt this run's history too.
  const keysFile = path.join(EXTRA_KEYS_DIR, `rotation-${randomUUID()}.json`);
  const a = addKey(keysFile).id;
  const taskQueue = `rotation-${randomUUID()}`;
  const file = tenantFile();
  const tenant = storeInlineSecrets(file, stateDir);
  registerTenantInSims(sims, publicTenant(tenant), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const memory: PeopleMemory = {};

  const before = await world(keysFile, taskQueue);
  const handle = await startOnboarding(before.client, { tenant, options: FAST }, taskQueue);
  const openSteps = async (client: Client) => {
    for (let i = 0; i < 300; i++) {
      const p = await onboardingHandle(client, tenant.tenantId).query(progressQuery);
      const open = p.steps.filter((s) => s.state === 'open' || s.state === 'waiting-for-human');
      if (open.length || p.status === 'completed') return { p, open };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no open step');
  };
  // One human step done under key A.
  const first = (await openSteps(before.client)).open[0]!;
  await onboardingHandle(before.client, tenant.tenantId).executeUpdate(completeStepUpdate, { args: [{ stepId: first.id, evidence: await actOut(first.id as HumanStepId, publicTenant(tenant), sims, memory), by: 'a@acme' }] });
  await before.stop();

  const b = addKey(keysFile).id;
  const after = await world(keysFile, taskQueue);
  try {
    for (;;) {
      const { p, open } = await openSteps(after.client);
      if (p.status === 'completed') break;
      for (const s of open) await onboardingHandle(after.client, tenant.tenantId).executeUpdate(completeStepUpdate, { args: [{ stepId: s.id, evidence: await actOut(s.id as HumanStepId, publicTenant(tenant), sims, memory), by: 'b@acme' }] });
    }
    const ids = new Set<string>();
    JSON.stringify(JSON.parse(historyJson(handle.workflowId)), (k, v) => {
      if (k === 'encryption-key-id') ids.add(Buffer.from(v as string, 'base64').toString());
      return v;
    });
    expect(ids).toEqual(new Set([a, b]));

    // Only key B loaded: the run's memo (written at start, under A) is unreadable, and the error names A.
    const onlyB = path.join(stateDir, 'only-b.json');
    fs.writeFileSync(onlyB, JSON.stringify(Keyring.parse(fs.readFileSync(keysFile, 'utf8'), keysFile).entries().filter((k) => k.id === b)));
    const { client } = await connectClient(loadConfig({ ...process.env, ONBOARD_STATE_DIR: stateDir, ONBOARD_CODEC_KEYS_FILE: onlyB }));
    await expect(onboardingHandle(client, tenant.tenantId).describe()).rejects.toThrow(`payload encrypted with key "${a}", which is not loaded (loaded: ${b})`);
  } finally {
    await after.stop();
  }
});
