import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Config } from '../config';
import { offboardTenant, readOffboarding, type Offboarding } from './offboard';
import { publishedProgress } from './read-model';
import { amendmentErrors, closedOrMissing, crossChecked, refusalOf } from './refusals';
import { countByStatus, runsAwaitingTestCall, waitingSteps, type WaitingStepView } from './visibility';
import type { OnboardingsOptions, Started, Starter, UpdateOptions } from './types';
import { CURRENT_CATALOGUE_VERSION } from '../domain/steps';
import { workflowIdFor, type TenantFile } from '../domain/tenant';
import { tenantOutboundErrors } from '../integrations/outbound-url';
import { storeInlineSecretChanges } from '../secret-changes';
import { secretRefErrors, storeInlineSecrets, type SecretRefOrigin } from '../secret-store';
import { connectClient } from '../temporal/client';
import { loadKeyring } from '../temporal/codec';
import { listOnboardings, PageTokens, type ListQuery, type OnboardingSummary } from '../temporal/list';
import {
  amendTenantUpdate,
  cancelUpdate,
  completeStepSignal,
  completeStepUpdate,
  DEFAULT_ONBOARDING_OPTIONS,
  OnboardingMemo,
  progressQuery,
  recordRefusalSignal,
  reopenStepUpdate,
  retryStepUpdate,
  SearchAttributes,
  skipStepUpdate,
  WORKFLOW_TYPE,
  type AmendTenantInput,
  type AuditAction,
  type AuditPage,
  type CancelInput,
  type CompleteStepInput,
  type OnboardingInput,
  type OnboardingOptions,
  type OnboardingStatus,
  type Progress,
  type ReopenAnswer,
  type ReopenStepInput,
  type RetryStepInput,
  type SkipStepInput,
  type UpdateAnswer,
  type RefusalReport,
  Via,
} from '../../workflows/contract';
import type { tenantOnboarding } from '../../workflows/onboarding';
import { readAudit, type AuditQuery } from './audit';
import { OnboardingConflict, OnboardingNotFound, Refused, TenantRejected } from './errors';
import { buildRecord, type SignOffRecord } from './record';
import { stopHealth } from './health-stop';

type Handle = WorkflowHandle<typeof tenantOnboarding>;

/** How long a consistent read waits for the run's worker to answer its query. */
export const CONSISTENT_READ_DEADLINE_MS = 10_000;
/**
 * The one way in: every start, read and action on an onboarding, for the CLI, the API, the
 * scripted people, the benchmark and the tests alike. It runs every check a start needs, speaks
 * the workflow contract, and turns Temporal's errors into ours (not found, conflict, refused) once.
 */
export class Onboardings {
  readonly #taskQueue: string;
  readonly #options: OnboardingOptions;
  #pageTokens?: PageTokens;

  constructor(
    readonly client: Client,
    readonly config: Config,
    opts: OnboardingsOptions = {},
  ) {
    this.#taskQueue = opts.taskQueue ?? config.temporal.taskQueue;
    this.#options = opts.onboardingOptions ?? DEFAULT_ONBOARDING_OPTIONS;
  }

  /** Connects to Temporal as configured; close() when done. */
  static async connect(config: Config, opts: OnboardingsOptions = {}): Promise<{ onboardings: Onboardings; close: () => Promise<void> }> {
    const { client, close } = await connectClient(config);
    return { onboardings: new Onboardings(client, config, opts), close };
  }

  /**
   * Starts a tenant's onboarding after every check: outbound URLs allowed here, secret references this caller may give
   * (`secretRefs`: an API caller gives secrets inline or as `store:` references of its own tenant; an operator may also use
   * the configured `env:`/`file:` allow-lists), inline secrets moved to new store files (the workflow only ever sees
   * references), then the run on today's step catalogue. A finished onboarding may be started again, a running one may
   * not, and a refused start leaves the running one's secrets as they are.
   */
  async start(file: TenantFile, opts: { options?: OnboardingOptions; secretRefs?: SecretRefOrigin; startedBy?: Starter } = {}): Promise<Started> {
    const refused = [
      ...tenantOutboundErrors(file, { allowLocal: this.config.outbound.allowLocalWebhooks }),
      ...secretRefErrors(file, { origin: opts.secretRefs ?? 'caller', policy: this.config.secrets }),
    ];
    if (refused.length) throw new TenantRejected(refused);
    const stored = storeInlineSecrets(file, this.config.secrets.storeDir);
    const { tenant } = stored;
    const input: OnboardingInput = {
      tenant,
      options: opts.options ?? this.#options,
      catalogueVersion: CURRENT_CATALOGUE_VERSION,
      ...(opts.startedBy ? { startedBy: opts.startedBy } : {}),
    };
    const workflowId = workflowIdFor(tenant.tenantId);
    const memo: OnboardingMemo = { zoomAccountId: tenant.zoom.accountId };
    let runId: string;
    try {
      const handle = await this.client.workflow.start<typeof tenantOnboarding>(WORKFLOW_TYPE, {
        taskQueue: this.#taskQueue,
        workflowId,
        args: [input],
        typedSearchAttributes: [
          { key: SearchAttributes.TenantId, value: tenant.tenantId },
          { key: SearchAttributes.ZoomAccountId, value: tenant.zoom.accountId },
        ],
        memo,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      });
      runId = handle.firstExecutionRunId;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        // Certainly not started: this start's files go. (After any other error the run may have
        // started all the same, so its files stay; the tenant's next start removes them.)
        stored.discard();
        throw new OnboardingConflict(
          `an onboarding for tenant ${tenant.tenantId} is already running (${workflowId}); see \`onboard status ${tenant.tenantId}\`, or cancel it first`,
        );
      }
      throw err;
    }
    // The tenant's earlier health checks stop (they would use the files pruned next); best effort, as the prune.
    await stopHealth(this.client, tenant.tenantId, { reason: 'a new onboarding started', by: opts.startedBy?.by ?? 'unknown' }).catch(() => false);
    // With the conflict policy FAIL no earlier run of this tenant is running now: its files can go.
    try {
      stored.pruneOlder();
    } catch {
      // Best effort: a file left over is pruned by the next start.
    }
    return { tenantId: tenant.tenantId, workflowId, runId, tenant };
  }

  /** The run's progress as it last published it (a lookup, no replay); `consistent` asks the run itself, to see an Update still in flight. */
  progress(tenantId: string, opts: { consistent?: boolean } = {}): Promise<Progress> {
    // A query waits for the run's worker: one down or swamped is a 503 after the deadline, not a request hung for good.
    const ask = (h: WorkflowHandle) => this.client.withDeadline(Date.now() + CONSISTENT_READ_DEADLINE_MS, () => h.query(progressQuery));
    return this.#on(tenantId, async (h) => (!opts.consistent && (await publishedProgress(h))) || ask(h));
  }

  /** The sign-off record of a tenant's run (running or finished), built from its progress: render it with src/app/record.ts. */
  async record(tenantId: string): Promise<SignOffRecord> {
    const progress = await this.progress(tenantId);
    // Only the run that was offboarded: a tenant onboarded again later has a record of its own.
    const note = readOffboarding(this.config.secrets.storeDir, tenantId);
    return buildRecord(progress, { offboarding: note?.runStartedAt === progress.startedAt ? note : undefined });
  }

  /** `tenantIds`: only these tenants (an API token scoped to them). */
  list(q: ListQuery & { tenantIds?: readonly string[] }): Promise<{ items: OnboardingSummary[]; nextPageToken?: string }> {
    this.#pageTokens ??= PageTokens.of(loadKeyring(this.config)); // signed with a key derived from the payload key
    return listOnboardings(this.client, this.#pageTokens, q);
  }

  /** How many onboardings have each status (Temporal visibility). */
  countByStatus(): Promise<Record<OnboardingStatus, number>> {
    return countByStatus(this.client);
  }

  /** The steps waiting on people across open runs, with since when (one visibility list). */
  waitingSteps = (): Promise<{ steps: WaitingStepView[]; withoutDetail: number }> => waitingSteps(this.client);

  /** The runs of a Zoom account whose test call is awaited, with the ZCC flow each was verified to route (src/app/visibility.ts). */
  awaitingTestCall(accountId: string): Promise<Array<{ tenantId: string; flowId?: string }>> {
    return runsAwaitingTestCall(this.client, accountId, (tenantId) => this.progress(tenantId));
  }

  /** What the starter put in the run's memo (the Zoom account), without reading its input. */
  memo(tenantId: string): Promise<Partial<OnboardingMemo>> {
    return this.#on(tenantId, async (h) => OnboardingMemo.partial().parse((await h.describe()).memo ?? {}));
  }

  complete(tenantId: string, msg: CompleteStepInput, opts: UpdateOptions = {}): Promise<UpdateAnswer> {
    const update = (h: Handle, updateId: string) => h.executeUpdate(completeStepUpdate, { args: [msg], updateId });
    return crossChecked(msg, this.#update(tenantId, 'complete', msg, opts, update), () => this.progress(tenantId));
  }

  /** Fire-and-forget completion (a webhook, `--signal`): a refusal is recorded in the run, not answered. */
  completeBySignal(tenantId: string, msg: CompleteStepInput): Promise<void> {
    return this.#on(tenantId, (h) => h.signal(completeStepSignal, msg));
  }

  retry(tenantId: string, msg: RetryStepInput, opts: UpdateOptions = {}): Promise<UpdateAnswer> {
    return this.#update(tenantId, 'retry', msg, opts, (h, updateId) => h.executeUpdate(retryStepUpdate, { args: [msg], updateId }));
  }

  skip(tenantId: string, msg: SkipStepInput, opts: UpdateOptions = {}): Promise<UpdateAnswer> {
    return this.#update(tenantId, 'skip', msg, opts, (h, updateId) => h.executeUpdate(skipStepUpdate, { args: [msg], updateId }));
  }

  /** A done or skipped step goes back (open for its person, or run again), with every finished step that depends on it. */
  reopen(tenantId: string, msg: ReopenStepInput, opts: UpdateOptions = {}): Promise<ReopenAnswer> {
    return this.#update(tenantId, 'reopen', msg, opts, (h, updateId) => h.executeUpdate(reopenStepUpdate, { args: [msg], updateId }));
  }

  /**
   * Amends a running tenant (a JSON merge patch in `changes`); the workflow validates the merged
   * tenant and sends back the finished steps that read a changed field. Secret references are
   * checked as for a start (`secretRefs`), and inline secrets go to new store files first, so the
   * Update holds references only; a refused amendment removes the files it wrote.
   */
  async amend(tenantId: string, msg: AmendTenantInput, opts: { secretRefs?: SecretRefOrigin } & UpdateOptions = {}): Promise<ReopenAnswer<null>> {
    const refused = amendmentErrors(tenantId, msg.changes, this.config, opts.secretRefs ?? 'caller');
    if (refused.length) {
      const err = new TenantRejected(refused);
      // Refused here rather than by the workflow, but a refusal of this run all the same.
      await this.#reportRefusal(tenantId, 'amend', msg, opts.updateId, 'InvalidTenant', err.message);
      throw err;
    }
    // Not before the run is known: an unknown tenant leaves no file behind.
    await this.memo(tenantId);
    const stored = storeInlineSecretChanges(tenantId, msg.changes, this.config.secrets.storeDir);
    try {
      const sent = { ...msg, changes: stored.changes };
      return await this.#update(tenantId, 'amend', sent, opts, (h, updateId) => h.executeUpdate(amendTenantUpdate, { args: [sent], updateId }));
    } catch (err) {
      // Refused (or the run is gone): nothing references the new files. After any other error the
      // amendment may have been accepted all the same, so they stay (the next start prunes them).
      if (err instanceof Refused || err instanceof OnboardingNotFound) stored.discard();
      throw err;
    }
  }

  cancel(tenantId: string, msg: CancelInput, opts: UpdateOptions = {}): Promise<UpdateAnswer<null>> {
    return this.#update(tenantId, 'cancel', msg, opts, (h, updateId) => h.executeUpdate(cancelUpdate, { args: [msg], updateId }));
  }

  /** One page of the run's audit trail, read from its history (no query, so it works once the run has ended and with no worker). */
  audit(tenantId: string, q: AuditQuery): Promise<AuditPage> {
    return this.#on(tenantId, (h) => readAudit((runId) => this.client.workflow.getHandle(h.workflowId, runId), q));
  }

  /**
   * An Update with an id of its own (Temporal's default is a fresh one per call, which the
   * workflow records), and a refusal by the workflow's validator reported back to the run, since
   * a rejected Update leaves nothing in history.
   */
  async #update<T>(tenantId: string, action: AuditAction, msg: unknown, opts: UpdateOptions, call: (h: Handle, updateId: string) => Promise<T>): Promise<T> {
    const updateId = opts.updateId ?? randomUUID();
    try {
      return await this.#on(tenantId, (h) => call(h, updateId));
    } catch (err) {
      if (err instanceof Refused && err.code !== 'RunFinished') await this.#reportRefusal(tenantId, action, msg, updateId, err.code, err.message);
      throw err;
    }
  }

  /** Best effort: a report that does not arrive loses the record of a refusal, never the refusal itself. */
  async #reportRefusal(tenantId: string, action: AuditAction, msg: unknown, updateId: string | undefined, code: string, message: string): Promise<void> {
    const m = (msg ?? {}) as { stepId?: unknown; by?: unknown; via?: unknown; byVerified?: unknown };
    const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);
    const report: RefusalReport = {
      action,
      stepId: text(m.stepId, 80),
      by: text(m.by, 120) ?? '?',
      via: Via.safeParse(m.via).data,
      byVerified: m.byVerified === true,
      updateId,
      code: code.slice(0, 40),
      message: message.slice(0, 2000),
    };
    await this.client.workflow
      .getHandle(workflowIdFor(tenantId))
      .signal(recordRefusalSignal, report)
      .catch(() => undefined);
  }

  /**
   * Offboards a tenant (src/app/offboard.ts): cancels its run if it still runs, deletes its stored
   * secrets and notes who and why; its history, record and audit stay readable.
   */
  offboard(tenantId: string, msg: CancelInput): Promise<Offboarding> {
    return offboardTenant(this, this.config.secrets.storeDir, tenantId, msg);
  }

  /** Waits for the run to end and returns its final progress. */
  async result(tenantId: string): Promise<Progress> {
    return (await this.#on(tenantId, (h) => h.result())).progress;
  }

  /** One call on the tenant's run, with Temporal's errors turned into ours. */
  async #on<T>(tenantId: string, call: (h: Handle) => Promise<T>): Promise<T> {
    const handle = this.client.workflow.getHandle<typeof tenantOnboarding>(workflowIdFor(tenantId));
    try {
      return await call(handle);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) throw await closedOrMissing(tenantId, handle);
      throw refusalOf(err) ?? err;
    }
  }
}
