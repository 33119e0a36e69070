/**
 * One error taxonomy for both vendors, shaped for what an activity must decide: retry now, retry
 * after a wait, or stop and ask a person. Messages name the vendor operation and what to do, and
 * never carry a credential, a token, a request config or a raw response.
 */
export type Vendor = 'kore' | 'zoom';

export const ERROR_KINDS = ['AuthRejected', 'ScopeMissing', 'NotFound', 'RateLimited', 'Transient', 'InvalidRequest', 'UnexpectedResponse'] as const;
export type IntegrationErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds Temporal should retry; every other kind needs a person (or a code fix). */
const RETRYABLE: ReadonlySet<IntegrationErrorKind> = new Set(['RateLimited', 'Transient']);

export interface IntegrationErrorDetails {
  vendor: Vendor;
  /** e.g. `kore.getSessions`, `zoom.listFlows`. */
  operation: string;
  status?: number;
  /** The vendor's own error code (Kore `errors[0].code`, Zoom `code`), when it gave one. */
  vendorCode?: number | string;
  /** RateLimited: how long the vendor asked us to wait, when it said. */
  retryAfterMs?: number;
  /** ScopeMissing: the scope(s) that would be accepted. */
  scopes?: string[];
}

export class IntegrationError extends Error {
  readonly kind: IntegrationErrorKind;
  readonly vendor: Vendor;
  readonly operation: string;
  readonly status?: number;
  readonly vendorCode?: number | string;
  readonly retryAfterMs?: number;
  readonly scopes?: string[];

  constructor(kind: IntegrationErrorKind, message: string, details: IntegrationErrorDetails) {
    super(message);
    this.name = kind;
    this.kind = kind;
    this.vendor = details.vendor;
    this.operation = details.operation;
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.retryAfterMs = details.retryAfterMs;
    this.scopes = details.scopes;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      vendor: this.vendor,
      operation: this.operation,
      status: this.status,
      vendorCode: this.vendorCode,
      retryAfterMs: this.retryAfterMs,
      scopes: this.scopes,
    };
  }
}

export function isIntegrationError(err: unknown, kind?: IntegrationErrorKind): err is IntegrationError {
  return err instanceof IntegrationError && (kind === undefined || err.kind === kind);
}
