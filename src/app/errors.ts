import type { FieldError, RefusalCode } from '../../workflows/contract';

/** The workflow refused a message: its code (./contract/refusals.ts), one-line message, per-field errors. */
export class Refused extends Error {
  override readonly name = 'Refused';
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly fields: FieldError[],
  ) {
    super(message);
  }
}

/** A start was refused before reaching Temporal: one entry per wrong tenant field. */
export class TenantRejected extends Error {
  override readonly name = 'TenantRejected';
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
  }
}

export class OnboardingConflict extends Error {
  override readonly name = 'OnboardingConflict';
}

export class OnboardingNotFound extends Error {
  override readonly name = 'OnboardingNotFound';
}

/** The tenant's onboarding is known, but no health workflow runs for it (none started yet, or stopped): a conflict with its state. */
export class HealthNotFound extends Error {
  override readonly name = 'HealthNotFound';
}

/** Health checks cannot be enabled now (the onboarding is not complete, or the tenant was offboarded). */
export class HealthConflict extends Error {
  override readonly name = 'HealthConflict';
}
