/**
 * Why the workflow refuses a message, with a machine-readable code. Each code's meaning is stated
 * once here; the API maps every code to an HTTP status with a Record keyed by RefusalCode, so a
 * new code fails to compile until it is mapped.
 */
export const REFUSALS = {
  InvalidInput: 'the message itself is malformed (a field missing or of the wrong shape)',
  UnknownStep: 'no step of this onboarding has that id',
  StepNotOpen: 'the step is not waiting for this (blocked, automatic, or needs attention first)',
  StepAlreadyDone: 'the step is already done or skipped',
  StepBusy: 'the step is running or being verified right now',
  InvalidEvidence: "the evidence does not fit the step's schema",
  EvidenceMismatch: "the evidence contradicts the tenant or an earlier step's evidence",
  NotSkippable: 'the step cannot be skipped',
  NotRetryable: 'only a step that needs attention can be retried',
  RunFinished: 'the onboarding is complete or cancelled',
  NotReopenable: 'only a done or skipped step can be reopened',
  DependentBusy: 'a step that would go back with it is running or being verified right now',
  InvalidTenant: 'the amended tenant does not fit the tenant schema',
  TenantFieldLocked: 'the field cannot change in a running onboarding (tenantId; zoom.accountId once verify-zoom-access is done)',
  TenantUnchanged: 'the amendment leaves the tenant as it is (it already holds those values)',
  EncryptionRequired: 'the message was sent without the payload codec (not encrypted with the payload key), so nothing in it is trusted',
} as const;
export type RefusalCode = keyof typeof REFUSALS;
export const REFUSAL_CODES = Object.keys(REFUSALS) as RefusalCode[];

/**
 * What a sender of unencrypted input is told (ONBOARD_REFUSE_PLAIN_INPUT). The code leads the line:
 * such a sender has no codec, so it reads the failure's message only (kept in clear for this code
 * by workflows/failure-converter.ts; it quotes nothing of the input).
 */
export const plainInputRefusal = (what: 'Update' | 'Signal' | 'start'): string =>
  `EncryptionRequired: this ${what === 'start' ? "run's start" : `${what}'s`} input was not encrypted with the payload key; send it through the codec (--codec-endpoint <api>/codec) or the onboard CLI/API`;

export const isRefusalCode = (code: string): code is RefusalCode => Object.hasOwn(REFUSALS, code);

export interface FieldError {
  field: string;
  message: string;
}

/** A refusal as the workflow raises it: code, one-line message, and one entry per wrong field. */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
