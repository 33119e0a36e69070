import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { HealthChecks, Onboardings, type HealthView, type Progress } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { publicTenant, TenantFile, workflowIdFor } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { playPeople, registerTenant, type ConsoleMemory } from '../../src/people';
import { SimAdminClient } from '../../src/sim/admin-client';
import { workflowCode } from '../../src/temporal/bundle';
import { workerDataConverter } from '../../src/temporal/codec';
import { TEST_SECRETS } from './fixtures';
import { FAST, tenantFile } from './onboarding';
import type { reminderWorld } from './reminder-world';

type World = ReturnType<ReturnType<typeof reminderWorld>>;

/** A tenant whose owner's webhook is `hookUrl`, with an Admin Console app (so the publish status is checked too). */
export function healthTenant(hookUrl: string): TenantFile {
  const base = tenantFile({ contacts: { owner: 'owner@acme.example', notifyWebhookUrl: hookUrl } });
  return TenantFile.parse({
    ...base,
    kore: { ...base.kore, adminApp: { clientId: `${base.kore.clientId}-admin`, clientSecret: TEST_SECRETS.koreAdminSecret } },
  });
}

/**
 * The health tests' world on a time-skipping server: a worker with the real activities on
 * `taskQueue`, the app (onboardings and health checks) with daily health that continues as new
 * every few runs, the simulators' consoles, and helpers to onboard a tenant to completion with
 * the scripted people and to place a caller's call through the whole simulated path.
 */
export async function healthRun(w: World, taskQueue: string) {
  const config: Config = loadConfig({ ...process.env, ...w.sims.env, ONBOARD_STATE_DIR: w.stateDir, ONBOARD_ALLOW_LOCAL_WEBHOOKS: 'true' });
  const worker = await Worker.create({
    connection: w.env.nativeConnection,
    taskQueue,
    ...workflowCode(),
    dataConverter: workerDataConverter(config),
    activities: createActivities({ config, logger: createLogger({ name: 'health' }) }),
  });
  const onboardings = new Onboardings(w.env.client, config, { taskQueue, onboardingOptions: { ...FAST, health: { continueAsNewAfterEvents: 100 } } });
  const health = new HealthChecks(onboardings, { taskQueue });
  const consoles = new SimAdminClient(w.sims.admin);
  const memory: ConsoleMemory = {};

  /** Registers the tenant in the simulators, starts its onboarding and plays its people until it completes. */
  async function onboard(file: TenantFile): Promise<Progress> {
    await registerTenant(consoles, publicTenant(file), {
      kore: file.kore.clientSecret,
      zoom: file.zoom.clientSecret,
      koreAdmin: file.kore.adminApp?.clientSecret,
    });
    const { tenant } = await onboardings.start(file);
    Object.keys(memory).forEach((k) => delete memory[k as keyof ConsoleMemory]);
    // Without the desk's result(): awaiting a result lets the time-skipping server jump to the next
    // timer (the health checks' first run); the run's close is polled instead.
    const desk = { progress: (t: string) => onboardings.progress(t), complete: onboardings.complete.bind(onboardings) };
    const { progress } = await playPeople({ desk, consoles, tenant: publicTenant(tenant), memory, by: 'pat@acme.example', pollMs: 50, summaryDelayMs: 0 });
    const run = w.env.client.workflow.getHandle(workflowIdFor(tenant.tenantId));
    for (let i = 0; i < 100 && (await run.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    return progress;
  }

  return {
    config,
    worker,
    onboardings,
    health,
    consoles,
    onboard,
    /** A caller dials the routed flow's number and asks for an agent: a Kore.ai session (summary at once) and a ZCC engagement. */
    call: (file: TenantFile) => consoles.placeTestCall({ accountId: file.zoom.accountId, number: memory.entryNumber!, askForAgent: true, summaryDelayMs: 0 }),
    memory,
    /** Polls the health view (from the memo) until `ok` holds. */
    async until(tenantId: string, ok: (v: HealthView) => boolean, timeoutMs = 20_000): Promise<HealthView> {
      const deadline = Date.now() + timeoutMs;
      let last: HealthView | undefined;
      while (Date.now() < deadline) {
        // Not there yet (the child is starting): asked again.
        last = await health.status(tenantId).catch(() => undefined);
        if (last && ok(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `health of ${tenantId} never got there; last: ${JSON.stringify(last && { status: last.status, runs: last.runs, results: last.results })}`,
      );
    },
  };
}
