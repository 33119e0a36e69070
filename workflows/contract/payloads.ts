import { z } from 'zod';
import { lazySchema } from '../../src/domain/lazy-schema';
import { Duration } from '../../src/domain/duration';
import { HealthOptions } from '../../src/domain/health';
import { TenantInput } from '../../src/domain/tenant';
import { jsonDepth, MAX_PATCH_DEPTH } from '../../src/domain/tenant-patch';
import { NamedValues, NonBlank } from '../../src/domain/validation';
import { Caller } from './audit';
import { CarriedState } from './carried';

/** Payloads of the workflow's messages and its input: one zod source for workflow, CLI and API. */
export const Person = lazySchema(() => NonBlank(120));

export const CompleteStepInput = lazySchema(() =>
  z.object({
    stepId: z.string().min(1, 'is required'),
    evidence: NamedValues(z.unknown(), 'is not a field of any step').default({}),
    by: Person,
    ...Caller.shape,
  }),
);
export type CompleteStepInput = z.infer<typeof CompleteStepInput>;

export const RetryStepInput = lazySchema(() => z.object({ stepId: z.string().min(1, 'is required'), by: Person, ...Caller.shape }));
export type RetryStepInput = z.infer<typeof RetryStepInput>;

export const SkipStepInput = lazySchema(() => z.object({ stepId: z.string().min(1, 'is required'), reason: NonBlank(500), by: Person, ...Caller.shape }));
export type SkipStepInput = z.infer<typeof SkipStepInput>;

export const ReopenStepInput = lazySchema(() => z.object({ stepId: z.string().min(1, 'is required'), reason: NonBlank(500), by: Person, ...Caller.shape }));
export type ReopenStepInput = z.infer<typeof ReopenStepInput>;

/**
 * A JSON merge patch of the tenant (null removes an optional field). Secrets only as references:
 * the app moves an inline secret to the store before it sends this.
 */
export const TenantChanges = lazySchema(() =>
  NamedValues(z.unknown(), 'is not a tenant field').superRefine((changes, ctx) => {
    if (jsonDepth(changes, MAX_PATCH_DEPTH) > MAX_PATCH_DEPTH)
      ctx.addIssue({ code: 'custom', message: `is nested deeper than any tenant field (${MAX_PATCH_DEPTH} levels)` });
    else if (Object.keys(changes).length === 0) ctx.addIssue({ code: 'custom', message: 'is empty; name at least one field to change' });
  }),
);
export const AmendTenantInput = lazySchema(() => z.object({ changes: TenantChanges, reason: NonBlank(500), by: Person, ...Caller.shape }));
export type AmendTenantInput = z.infer<typeof AmendTenantInput>;

export const CancelInput = lazySchema(() => z.object({ reason: NonBlank(500), by: Person, ...Caller.shape }));
export type CancelInput = z.infer<typeof CancelInput>;

/** Production run timings: the summary appears minutes after a call. Tests shorten them. */
export const DEFAULT_ONBOARDING_OPTIONS = { summaryPollInterval: '30s', summaryWaitLimit: '20m' } as const;
/** A run continues as new once its history passes this many events (or Temporal suggests it sooner), well before history limits bite. */
export const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 2000;

export const OnboardingOptions = lazySchema(() =>
  z
    .object({
      /** First wait between summary polls; each wait is 1.5x the last, up to 5x the first. */
      summaryPollInterval: Duration.default(DEFAULT_ONBOARDING_OPTIONS.summaryPollInterval),
      /** Give up on the summary (needs attention) after this long. */
      summaryWaitLimit: Duration.default(DEFAULT_ONBOARDING_OPTIONS.summaryWaitLimit),
      /**
       * Continue as new once the run's history has this many events (default
       * DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS). At least 50: a fresh run writes a few dozen before it waits.
       */
      continueAsNewAfterEvents: z.number().int().min(50).max(50_000).optional(),
      /** First wait between reads of a publish held for an administrator's approval (default 1 minute; each wait 1.5x the last, up to 15x the first). */
      approvalPollInterval: Duration.optional(),
      /** Give up waiting for the approval (needs attention) after this long (default 3 days). */
      approvalWaitLimit: Duration.optional(),
      /** The health checks the completed onboarding starts: their cadence (default daily) and history bound. */
      health: HealthOptions.optional(),
    })
    .default(DEFAULT_ONBOARDING_OPTIONS),
);
export type OnboardingOptions = z.infer<typeof OnboardingOptions>;

export const OnboardingInput = lazySchema(() =>
  z.object({
    tenant: TenantInput,
    options: OnboardingOptions,
    /** The step catalogue the run follows to its end (src/domain/steps); runs from before versions have none. */
    catalogueVersion: z.number().int().positive().optional(),
    /** Who started it, for the audit trail's first entry; runs from before the audit trail have none. */
    startedBy: z.object({ by: Person, ...Caller.shape }).optional(),
    /** Set by a run that continued as new: where it left off (the start is not recorded again). */
    carried: CarriedState.optional(),
  }),
);
export type OnboardingInput = z.infer<typeof OnboardingInput>;
