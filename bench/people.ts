import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { OnboardingOptions } from '../src/domain/messages';
import { STEPS } from '../src/domain/steps';
import { TenantFile, publicTenant, type TenantInput } from '../src/domain/tenant';
import { storeInlineSecrets } from '../src/secret-store';
import type { Simulators } from '../src/sim';
import { actOut, registerTenantInSims, type PeopleMemory } from '../src/sim/people';
import type { HumanStepId } from '../src/domain/evidence';
import { onboardingHandle, startOnboarding } from '../src/temporal/client';
import { completeStepUpdate, progressQuery } from '../workflows/messages';
import { baselineCompleteStep, baselineOpenSteps } from './baseline/messages';

/** The summary poll as production runs it would be slow to wait for; both engines get the same. */
export const BENCH_OPTIONS: OnboardingOptions = { summaryPollInterval: '1s', summaryWaitLimit: '1m' };
const SECRETS = { kore: 'bench-kore-secret-6b1f0c2d', zoom: 'bench-zoom-secret-3e9a7d41' };
const HUMAN_STEPS = STEPS.filter((s) => s.kind === 'human').map((s) => s.id as HumanStepId);

/** A fresh tenant, registered in the simulators, its secrets moved to the (shared) state dir. */
export function benchTenant(sims: Simulators, stateDir: string, tag: string): TenantInput {
  const n = `${tag}-${randomUUID().slice(0, 8)}`;
  const file = TenantFile.parse({
    tenantId: `bench-${n}`,
    displayName: 'Bench Corp',
    kore: { region: 'us', botId: `st-${n}`, clientId: `cs-${n}`, clientSecret: SECRETS.kore },
    zoom: { accountId: `acc-${n}`, clientId: `zoom-${n}`, clientSecret: SECRETS.zoom },
    agentTransfer: { option: 'agent-transfer-node', target: '+14155550123' },
    contacts: { owner: 'owner@bench.example' },
  });
  const tenant = storeInlineSecrets(file, stateDir);
  registerTenantInSims(sims, publicTenant(tenant), SECRETS);
  return tenant;
}

/** One way of running an onboarding: ours, or the plain baseline; the people drive both alike. */
export interface Engine {
  name: 'ours' | 'baseline';
  start(tenant: TenantInput): Promise<void>;
  openSteps(tenantId: string): Promise<string[]>;
  /** True when the step is done (false: the claim did not hold and the step reopened). */
  complete(tenantId: string, stepId: string, evidence: Record<string, unknown>): Promise<boolean>;
  result(tenantId: string): Promise<unknown>;
}

export function oursEngine(client: Client, taskQueue: string): Engine {
  return {
    name: 'ours',
    start: async (tenant) => void (await startOnboarding(client, { tenant, options: BENCH_OPTIONS }, taskQueue)),
    openSteps: async (id) => (await onboardingHandle(client, id).query(progressQuery)).steps.filter((s) => s.state === 'open' || s.state === 'waiting-for-human').map((s) => s.id),
    complete: async (id, stepId, evidence) => (await onboardingHandle(client, id).executeUpdate(completeStepUpdate, { args: [{ stepId, evidence, by: 'bench@bench.example' }] })).state === 'done',
    result: (id) => onboardingHandle(client, id).result(),
  };
}

export function baselineEngine(client: Client, taskQueue: string): Engine {
  const handle = (id: string) => client.workflow.getHandle(`baseline-${id}`);
  return {
    name: 'baseline',
    start: async (tenant) => void (await client.workflow.start('plainOnboarding', { taskQueue, workflowId: `baseline-${tenant.tenantId}`, args: [{ tenant, options: BENCH_OPTIONS }] })),
    openSteps: async (id) => (await handle(id).query(baselineOpenSteps)).open,
    complete: async (id, stepId, evidence) => (await handle(id).executeUpdate(baselineCompleteStep, { args: [{ stepId, evidence, by: 'bench@bench.example' }] })).ok,
    result: (id) => handle(id).result(),
  };
}

/**
 * The scripted people: start the onboarding, then do every open human step in the simulated
 * consoles and complete it through the engine's Update, until the run ends.
 */
export async function driveToCompletion(engine: Engine, tenant: TenantInput, sims: Simulators, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await engine.start(tenant);
  const memory: PeopleMemory = {};
  const done = new Set<string>();
  const pub = publicTenant(tenant);
  while (done.size < HUMAN_STEPS.length) {
    if (Date.now() > deadline) throw new Error(`${engine.name} ${tenant.tenantId}: not finished in ${timeoutMs} ms (done: ${[...done].join(', ')})`);
    const open = (await engine.openSteps(tenant.tenantId)).filter((s) => !done.has(s));
    if (open.length === 0) {
      await new Promise((r) => setTimeout(r, 10)); // automatic steps or a verification running
      continue;
    }
    for (const stepId of open) {
      const evidence = await actOut(stepId as HumanStepId, pub, sims, memory, { summaryDelayMs: 0 });
      if (await engine.complete(tenant.tenantId, stepId, evidence)) done.add(stepId);
    }
  }
  await engine.result(tenant.tenantId);
}
