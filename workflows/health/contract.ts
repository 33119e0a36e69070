import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { lazySchema } from '../../src/domain/lazy-schema';
import { z } from 'zod';
import { CheckResult, HealthCheckId, HealthEvery, HealthFeatures, HealthOptions, HealthOutcome } from '../../src/domain/health';
export { DEFAULT_HEALTH_EVERY, HealthEvery, HealthOptions } from '../../src/domain/health';
import { TenantInput } from '../../src/domain/tenant';
import { Caller } from '../contract/audit';
import { NonBlank } from '../../src/domain/validation';

const Person = lazySchema(() => NonBlank(120));

/**
 * The per-tenant health workflow's public interface: its type and id, input, messages, what it
 * shows (query, memo) and what lists filter on (the HealthStatus search attribute). Clients reach
 * it only through this (src/app/health.ts).
 */
export const HEALTH_WORKFLOW_TYPE = 'tenantHealth';
export const healthWorkflowIdFor = (tenantId: string) => `tenant-health-${tenantId}`;

/** A health workflow continues as new after this many history events (about six weeks of daily runs). */
export const DEFAULT_HEALTH_CONTINUE_AFTER_EVENTS = 2000;

/**
 * HealthStatus values: `pending` (no run yet), the worst outcome of the last run, `disabled`, and
 * for a closed run `stopped` or `continued` (so `HealthStatus='failing'` lists live tenants only).
 */
export const HEALTH_STATUSES = ['pending', 'ok', 'warning', 'failing', 'disabled', 'stopped', 'continued'] as const;
export const HealthStatusValue = lazySchema(() => z.enum(HEALTH_STATUSES));
export type HealthStatusValue = z.infer<typeof HealthStatusValue>;
export { HealthStatus } from '../contract/search-attributes';
export const HEALTH_MEMO_KEY = 'health';

/** One run in the trend: when, its worst outcome, and the checks not ok. */
export const TrendEntry = lazySchema(() =>
  z.object({ at: z.string(), status: HealthOutcome, failing: z.array(HealthCheckId), warning: z.array(HealthCheckId) }),
);
export type TrendEntry = z.infer<typeof TrendEntry>;
export const NoticeEntry = lazySchema(() => z.object({ at: z.string(), checks: z.array(HealthCheckId), delivered: z.boolean() }));
export type NoticeEntry = z.infer<typeof NoticeEntry>;
export const ChangeEntry = lazySchema(() => z.object({ at: z.string(), by: z.string(), what: z.string() }));

/** What a run hands the next when it continues as new. */
export const HealthCarried = lazySchema(() =>
  z.object({
    enabled: z.boolean(),
    every: z.string(),
    /** The next run is due at anchor + every (the last run, or when health was started or enabled). */
    anchor: z.string(),
    runs: z.number().int().min(0),
    lastRunAt: z.string().optional(),
    results: z.array(CheckResult),
    trend: z.array(TrendEntry),
    notices: z.array(NoticeEntry),
    changes: z.array(ChangeEntry),
    startedAt: z.string(),
  }),
);
export type HealthCarried = z.infer<typeof HealthCarried>;

export const HealthInput = lazySchema(() =>
  z.object({
    tenant: TenantInput,
    features: HealthFeatures,
    options: HealthOptions.default({}),
    carried: HealthCarried.optional(),
  }),
);
export type HealthInput = z.input<typeof HealthInput>;

/** What readers see (the `health` query and the memo). */
export const HealthView = lazySchema(() =>
  z.object({
    tenantId: z.string(),
    displayName: z.string(),
    status: HealthStatusValue,
    enabled: z.boolean(),
    every: z.string(),
    startedAt: z.string(),
    runs: z.number(),
    lastRunAt: z.string().optional(),
    nextRunAt: z.string().optional(),
    results: z.array(CheckResult),
    notChecked: z.array(z.object({ check: HealthCheckId, why: z.string() })),
    trend: z.array(TrendEntry),
    notices: z.array(NoticeEntry),
    changes: z.array(ChangeEntry),
    stopped: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
  }),
);
export type HealthView = z.infer<typeof HealthView>;

export const ConfigureHealthInput = lazySchema(() => z.object({ enabled: z.boolean().optional(), every: HealthEvery.optional(), by: Person, ...Caller.shape }));
export type ConfigureHealthInput = z.infer<typeof ConfigureHealthInput>;
export const RunHealthInput = lazySchema(() => z.object({ by: Person, ...Caller.shape }));
export type RunHealthInput = z.infer<typeof RunHealthInput>;
export const StopHealthInput = lazySchema(() => z.object({ reason: z.string().min(1).max(500), by: Person }));
export type StopHealthInput = z.infer<typeof StopHealthInput>;

/** Enable, disable or change the cadence; answers the view. */
export const configureHealthUpdate = defineUpdate<HealthView, [ConfigureHealthInput]>('configureHealth');
/** Run the checks now; answers the view once that run is done. */
export const runHealthUpdate = defineUpdate<HealthView, [RunHealthInput]>('runHealthChecks');
/** Ends the health workflow (offboarding, a new onboarding): a signal, so it needs no worker to be accepted. */
export const stopHealthSignal = defineSignal<[StopHealthInput]>('stopHealth');
export const healthQuery = defineQuery<HealthView>('health');

/** What the workflow returns when it stops. */
export interface HealthEnd {
  stopped: { at: string; by: string; reason: string };
  view: HealthView;
}
