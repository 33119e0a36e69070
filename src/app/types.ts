import type { TenantInput } from '../domain/tenant';
import type { Caller, OnboardingOptions } from '../../workflows/contract';

/** The app's own shapes, shared by src/app/onboardings.ts and its callers. */
export interface Started {
  tenantId: string;
  workflowId: string;
  runId: string;
  /** The tenant as the run received it: secret references only. */
  tenant: TenantInput;
}

export interface OnboardingsOptions {
  /** Task queue new onboardings go to (a test's or a region's worker); default from config. */
  taskQueue?: string;
  /** Run timings for new onboardings (tests and rehearsals shorten the summary poll). */
  onboardingOptions?: OnboardingOptions;
}

/** Per call: Temporal's Update id (a repeated id is answered with the first answer and recorded once). */
export interface UpdateOptions {
  updateId?: string;
}

/** Who starts an onboarding, for the audit trail's first entry. */
export type Starter = { by: string } & Caller;
