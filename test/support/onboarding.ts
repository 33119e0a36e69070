import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Onboardings, type OnboardingOptions, type Progress, type StepProgress } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { HumanStepId } from '../../src/domain/steps';
import { TenantFile, publicTenant, type TenantInput } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, playPeople, registerTenant, type ConsoleMemory, type PeopleOptions } from '../../src/people';
import { startSimulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { connectClient } from '../../src/temporal/client';
import { stopWorker } from '../../src/temporal/stop-worker';
import { createOnboardingWorker } from '../../src/temporal/worker';
import { TEST_SECRETS } from './fixtures';

export const FAST: OnboardingOptions = { summaryPollInterval: '1s', summaryWaitLimit: '30s' };

/** A tenant file with the suite's secrets inline; ids unique per test, since workflow ids are global. */
export function tenantFile(overrides: Partial<TenantFile> = {}): TenantFile {
  const n = randomUUID().slice(0, 8);
  return TenantFile.parse({
    tenantId: `acme-${n}`,
    displayName: 'Acme Corp',
    kore: { region: 'us', botId: `st-acme-${n}`, clientId: `cs-acme-${n}`, clientSecret: TEST_SECRETS.koreClientSecret },
    zoom: { accountId: `acc-acme-${n}`, clientId: `zoom-acme-${n}`, clientSecret: TEST_SECRETS.zoomClientSecret },
    agentTransfer: { option: 'agent-transfer-node', target: '+14155550123', sipHeaders: { 'X-Acme-Queue': 'billing' } },
    contacts: { owner: 'owner@acme.example' },
    ...overrides,
  });
}

/**
 * The simulators, a worker on its own task queue, and a client: one onboarding world per test file.
 * `worker: false` leaves the worker to the test (e.g. a separate process); `env` overrides the
 * environment (e.g. another Temporal server's TEMPORAL_ADDRESS).
 */
export async function startHarness(opts: { worker?: boolean; env?: Record<string, string> } = {}) {
  const sims = await startSimulators();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-state-'));
  const config: Config = loadConfig({ ...process.env, ...opts.env, ...sims.env, ONBOARD_STATE_DIR: stateDir });
  const taskQueue = `onboarding-${randomUUID()}`;
  const logger = createLogger({ name: 'worker' });
  const { worker, connection } =
    opts.worker === false ? { worker: undefined, connection: undefined } : await createOnboardingWorker({ config, logger, taskQueue });
  const running = worker?.run();
  const { client, close } = await connectClient(config);
  const onboardings = new Onboardings(client, config, { taskQueue, onboardingOptions: FAST });
  const consoles = new SimAdminClient(sims.admin);
  const memories = new Map<string, ConsoleMemory>();
  /** What the scripted people did for a tenant so far, shared by act() and completeAll(). */
  const memoryOf = (t: TenantInput): ConsoleMemory => memories.get(t.tenantId) ?? (memories.set(t.tenantId, {}), memories.get(t.tenantId)!);

  const h = {
    sims,
    config,
    client: client as Client,
    /** The application layer: how tests start, read and act on onboardings. */
    onboardings,
    /** The simulated vendors' consoles (their admin API). */
    consoles,
    taskQueue,
    stateDir,
    /** The in-process worker and its run (undefined with `worker: false`). */
    worker,
    running,
    /** Registers the tenant in the simulators and starts its onboarding. */
    async start(file: TenantFile = tenantFile(), options: OnboardingOptions = FAST, register = true): Promise<TenantInput> {
      if (register)
        await registerTenant(consoles, publicTenant(file), {
          kore: file.kore.clientSecret,
          zoom: file.zoom.clientSecret,
          koreAdmin: file.kore.adminApp?.clientSecret,
        });
      return (await onboardings.start(file, { options })).tenant;
    },
    progress: (tenantId: string): Promise<Progress> => onboardings.progress(tenantId),
    step: async (tenantId: string, stepId: string): Promise<StepProgress> => (await h.progress(tenantId)).steps.find((s) => s.id === stepId)!,
    /** Completes a step through the application layer; resolves to the step as the Update answered it. */
    complete: async (tenantId: string, stepId: string, evidence: Record<string, unknown>, by = 'pat@acme.example'): Promise<StepProgress> =>
      (await onboardings.complete(tenantId, { stepId, evidence, by })).step,
    /** Polls progress until `predicate` holds (or fails with the last progress seen). */
    async until(tenantId: string, predicate: (p: Progress) => boolean, timeoutMs = 30_000): Promise<Progress> {
      const deadline = Date.now() + timeoutMs;
      let last: Progress | undefined;
      while (Date.now() < deadline) {
        last = await h.progress(tenantId);
        if (predicate(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out; last progress: ${JSON.stringify(last?.steps.map((s) => [s.id, s.state, s.lastError]))}`);
    },
    stepIs:
      (stepId: string, ...states: string[]) =>
      (p: Progress) =>
        states.includes(p.steps.find((s) => s.id === stepId)!.state),
    /** Plays the people's part for one step in the simulators and completes it through the Update. */
    async act(tenant: TenantInput, stepId: HumanStepId, by = 'pat@acme.example') {
      const evidence = await doInConsoles(stepId, publicTenant(tenant), consoles, memoryOf(tenant));
      return h.complete(tenant.tenantId, stepId, evidence, by);
    },
    /** The scripted people do every open human step, one at a time, until the run completes or a step needs attention. */
    async completeAll(tenant: TenantInput, opts: Partial<PeopleOptions<Progress>> = {}): Promise<Progress> {
      const { progress } = await playPeople({
        desk: onboardings,
        consoles,
        tenant: publicTenant(tenant),
        memory: memoryOf(tenant),
        by: 'pat@acme.example',
        parallel: false,
        pollMs: 100,
        deadlineMs: 120_000,
        onNeedsAttention: 'return',
        ...opts,
      });
      return progress;
    },
    async stop() {
      if (worker && running && connection) await stopWorker(worker, running, connection);
      // close() waits until every call is answered, retries included: a retry re-issued from a
      // timer after a bare close threw "Channel has been shut down" into the run (src/temporal/drain.ts).
      await close();
      await sims.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return h;
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;
