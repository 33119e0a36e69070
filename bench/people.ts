import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Onboardings, type OnboardingOptions } from '../src/app';
import type { Config } from '../src/config';
import { STEP_IDS } from '../src/domain/steps';
import { publicTenant, TenantFile, type TenantInput } from '../src/domain/tenant';
import { playPeople, registerTenant, type Desk } from '../src/people';
import { storeInlineSecrets } from '../src/secret-store';
import type { SimAdminClient } from '../src/sim/admin-client';
import { baselineCompleteStep, baselineOpenSteps } from './baseline/messages';

/** The summary poll as production runs it would be slow to wait for; both engines get the same. */
export const BENCH_OPTIONS: OnboardingOptions = { summaryPollInterval: '1s', summaryWaitLimit: '1m' };
const SECRETS = { kore: 'bench-kore-secret-6b1f0c2d', zoom: 'bench-zoom-secret-3e9a7d41' };
const BY = 'bench@bench.example';

/** A fresh tenant file (secrets inline), registered in the simulated vendors. */
export async function benchTenant(consoles: SimAdminClient, tag: string): Promise<TenantFile> {
  const n = `${tag}-${randomUUID().slice(0, 8)}`;
  const file = TenantFile.parse({
    tenantId: `bench-${n}`,
    displayName: 'Bench Corp',
    kore: { region: 'us', botId: `st-${n}`, clientId: `cs-${n}`, clientSecret: SECRETS.kore },
    zoom: { accountId: `acc-${n}`, clientId: `zoom-${n}`, clientSecret: SECRETS.zoom },
    agentTransfer: { option: 'agent-transfer-node', target: '+14155550123' },
    contacts: { owner: 'owner@bench.example' },
  });
  await registerTenant(consoles, publicTenant(file), SECRETS);
  return file;
}

/** One way of running an onboarding: ours (through the application layer), or the plain baseline; the people drive both alike. */
export interface Engine {
  name: 'ours' | 'baseline';
  /** Starts the run; returns the tenant as the run received it. */
  start(file: TenantFile): Promise<TenantInput>;
  desk: Desk;
  /** How many times the people have read progress so far (they poll every 10 ms while nothing is open for them). */
  reads: { count: number };
}

/** The desk with its progress reads counted. */
function counted(desk: Desk): { desk: Desk; reads: { count: number } } {
  const reads = { count: 0 };
  return {
    reads,
    desk: {
      progress: (id) => {
        reads.count += 1;
        return desk.progress(id);
      },
      complete: (id, msg) => desk.complete(id, msg),
      ...(desk.result ? { result: (id: string) => desk.result!(id) } : {}),
    },
  };
}

export function oursEngine(client: Client, config: Config, taskQueue: string): Engine {
  const onboardings = new Onboardings(client, config, { taskQueue, onboardingOptions: BENCH_OPTIONS });
  return { name: 'ours', start: async (file) => (await onboardings.start(file)).tenant, ...counted(onboardings) };
}

/** The baseline's own start and messages: the plain workflow is what ours is measured against. */
export function baselineEngine(client: Client, config: Config, taskQueue: string): Engine {
  const handle = (id: string) => client.workflow.getHandle(`baseline-${id}`);
  return {
    name: 'baseline',
    start: async (file) => {
      const { tenant } = storeInlineSecrets(file, config.secrets.storeDir);
      await client.workflow.start('plainOnboarding', { taskQueue, workflowId: `baseline-${tenant.tenantId}`, args: [{ tenant, options: BENCH_OPTIONS }] });
      return tenant;
    },
    ...counted({
      // Every step of the catalogue it mirrors, so the people know the run's steps (the ZCC flow's publish is a step of its
      // own); the baseline only knows which are open, and a step it opened has its dependencies behind it.
      progress: async (id) => {
        const open = new Set((await handle(id).query(baselineOpenSteps)).open);
        return { status: 'running', steps: STEP_IDS.map((stepId) => ({ id: stepId, state: open.has(stepId) ? 'open' : 'done' })) };
      },
      complete: async (id, msg) => ({ step: { state: (await handle(id).executeUpdate(baselineCompleteStep, { args: [msg] })).ok ? 'done' : 'open' } }),
      result: (id) => handle(id).result(),
    }),
  };
}

/**
 * The scripted people, one step at a time as fast as they can: start the onboarding, do every
 * open human step in the simulated consoles and complete it, then wait for the run's result.
 */
export async function driveToCompletion(engine: Engine, file: TenantFile, consoles: SimAdminClient, timeoutMs = 120_000): Promise<void> {
  const tenant = await engine.start(file);
  await playPeople({
    desk: engine.desk,
    consoles,
    tenant: publicTenant(tenant),
    by: BY,
    parallel: false,
    pollMs: 10,
    until: 'human-steps-done',
    summaryDelayMs: 0,
    deadlineMs: timeoutMs,
  });
}
