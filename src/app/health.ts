import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { listRuns } from '../temporal/list-runs';
import { healthFeaturesOf, HEALTH_CHECKS, HealthEvery, type HealthCheckId, type HealthOutcome } from '../domain/health';
import { workflowIdFor } from '../domain/tenant';
import { OnboardingInput, type Caller } from '../../workflows/contract';
import {
  configureHealthUpdate,
  HEALTH_MEMO_KEY,
  HEALTH_WORKFLOW_TYPE,
  healthQuery,
  HealthView,
  healthWorkflowIdFor,
  runHealthUpdate,
  type HealthInput,
} from '../../workflows/health/contract';
import type { tenantHealth } from '../../workflows/health/health';
import { HealthConflict, HealthNotFound, Refused } from './errors';
import { readOffboarding } from './offboard';
import type { Onboardings } from './onboardings';
import { refusalOf } from './refusals';

export { HEALTH_CHECKS, HEALTH_CHECK_TITLES, HealthCheckId, HealthOutcome, CheckResult } from '../domain/health';
export { HEALTH_STATUSES, HealthStatusValue, HealthView } from '../../workflows/health/contract';
export { stopHealth } from './health-stop';

type Handle = WorkflowHandle<typeof tenantHealth>;
type Who = { by: string } & Caller;

/**
 * A live tenant's health checks (workflow `tenant-health-<tenantId>`, started by its completed
 * onboarding): read, enable, disable, run now, stop. Reads come from the workflow's memo (no
 * worker needed, and they work once it has stopped); the rest are its Updates and its stop signal.
 */
export class HealthChecks {
  readonly #taskQueue: string;

  constructor(
    readonly onboardings: Onboardings,
    opts: { taskQueue?: string } = {},
  ) {
    this.#taskQueue = opts.taskQueue ?? onboardings.config.temporal.taskQueue;
  }

  get client(): Client {
    return this.onboardings.client;
  }

  /** The last results, trend and notices, as the workflow last published them. */
  async status(tenantId: string): Promise<HealthView> {
    const handle = this.#handle(tenantId);
    const described = await handle.describe().catch(async (err) => {
      throw notFound(err) ? await this.#none(tenantId) : err;
    });
    const memo = (described.memo ?? {})[HEALTH_MEMO_KEY];
    // Just started: nothing published yet.
    if (memo === undefined) return handle.query(healthQuery);
    return HealthView.parse(memo);
  }

  /**
   * Turns the checks on: the running workflow's, or a new one from the tenant's completed
   * onboarding (its tenant, secret references only, read from the run's input in history).
   */
  async enable(tenantId: string, msg: Who & { every?: string }): Promise<HealthView> {
    // Checked here too: a new workflow's input must never be one it refuses.
    const every = HealthEvery.optional().safeParse(msg.every);
    if (!every.success)
      throw new Refused('InvalidInput', `every: ${every.error.issues[0]!.message}`, [{ field: 'every', message: every.error.issues[0]!.message }]);
    if (!(await this.#running(tenantId))) await this.#start(tenantId, msg.every);
    return this.#update(tenantId, (h, updateId) => h.executeUpdate(configureHealthUpdate, { args: [{ ...msg, enabled: true }], updateId }));
  }

  /** Pauses the checks (the workflow stays, with its results and trend); `enable` resumes them. */
  disable(tenantId: string, msg: Who): Promise<HealthView> {
    return this.#update(tenantId, (h, updateId) => h.executeUpdate(configureHealthUpdate, { args: [{ ...msg, enabled: false }], updateId }));
  }

  /** Runs every check now and answers once they are done. */
  run(tenantId: string, msg: Who): Promise<HealthView> {
    return this.#update(tenantId, (h, updateId) => h.executeUpdate(runHealthUpdate, { args: [msg], updateId }));
  }

  /** The worst outcome of each check of every running health workflow, for the metrics gauge. */
  async outcomes(): Promise<Array<{ tenantId: string; check: HealthCheckId; outcome: HealthOutcome }>> {
    const out: Array<{ tenantId: string; check: HealthCheckId; outcome: HealthOutcome }> = [];
    const query = `WorkflowType = '${HEALTH_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
    for await (const w of listRuns(this.client, query)) {
      const view = HealthView.safeParse((w.memo ?? {})[HEALTH_MEMO_KEY]);
      if (!view.success || !view.data.enabled) continue;
      for (const r of view.data.results) if (HEALTH_CHECKS.includes(r.check)) out.push({ tenantId: view.data.tenantId, check: r.check, outcome: r.outcome });
    }
    return out;
  }

  async #running(tenantId: string): Promise<boolean> {
    return this.#handle(tenantId)
      .describe()
      .then(
        (d) => d.status.name === 'RUNNING',
        (err) => {
          if (notFound(err)) return false;
          throw err;
        },
      );
  }

  async #start(tenantId: string, every: string | undefined): Promise<void> {
    const progress = await this.onboardings.progress(tenantId);
    if (progress.status !== 'completed')
      throw new HealthConflict(`the onboarding of ${tenantId} is ${progress.status}; its health checks start when it completes`);
    const note = readOffboarding(this.onboardings.config.secrets.storeDir, tenantId);
    if (note?.runStartedAt === progress.startedAt)
      throw new HealthConflict(`${tenantId} was offboarded (${note.at}, by ${note.by}): its secrets are gone; onboard it again to check its health`);
    const input: HealthInput = {
      tenant: await this.#onboardingTenant(tenantId),
      features: healthFeaturesOf(progress.steps),
      options: every ? { every } : {},
    };
    await this.client.workflow.start<typeof tenantHealth>(HEALTH_WORKFLOW_TYPE, {
      taskQueue: this.#taskQueue,
      workflowId: healthWorkflowIdFor(tenantId),
      args: [input],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      // Another enable may have started it a moment ago: then that one is enabled.
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }

  /** The tenant (with its secret references) the onboarding's latest run was given: its first event's input. */
  async #onboardingTenant(tenantId: string) {
    const handle = this.client.workflow.getHandle(workflowIdFor(tenantId));
    const { runId } = await handle.describe();
    const first = await this.client.workflowService.getWorkflowExecutionHistory({
      namespace: this.client.options.namespace,
      execution: { workflowId: handle.workflowId, runId },
      maximumPageSize: 1,
    });
    const payloads = first.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
    const raw = await decodeFromPayloadsAtIndex<unknown>(this.client.options.loadedDataConverter, 0, payloads);
    return OnboardingInput.parse(raw).tenant;
  }

  async #update(tenantId: string, call: (h: Handle, updateId: string) => Promise<HealthView>): Promise<HealthView> {
    try {
      return await call(this.#handle(tenantId), randomUUID());
    } catch (err) {
      if (notFound(err)) throw await this.#none(tenantId);
      throw refusalOf(err) ?? err;
    }
  }

  #handle(tenantId: string): Handle {
    return this.client.workflow.getHandle<typeof tenantHealth>(healthWorkflowIdFor(tenantId));
  }

  /** Why a tenant has no health checks: no such tenant (OnboardingNotFound, thrown), or none started or left for it. */
  async #none(tenantId: string): Promise<HealthNotFound> {
    await this.onboardings.memo(tenantId);
    return new HealthNotFound(
      `no health checks run for tenant ${tenantId}: they start when its onboarding completes; \`onboard health enable ${tenantId}\` starts them for a completed one`,
    );
  }
}

/** Temporal's "no such workflow" (a closed workflow's Update is answered so too). */
const notFound = (err: unknown) => err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5;
