import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { RefusalCode } from '../app';
import { fieldPath, shownKey } from '../domain/validation';

/**
 * One error shape for every refusal (RFC 9457 problem details): what went wrong in one line
 * (`detail`), a machine-readable `code`, the wrong fields, and the request id to find the log line.
 */
export const FieldError = z.object({ field: z.string(), message: z.string() });
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(FieldError).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  422: 'Unprocessable evidence',
  429: 'Too many requests',
  503: 'Temporal unavailable',
};

/** The workflow's refusal codes as HTTP statuses: a new code fails to compile until it is mapped here. */
export const STATUS_OF_REFUSAL: Record<RefusalCode, number> = {
  InvalidInput: 400,
  InvalidEvidence: 422,
  EvidenceMismatch: 422,
  UnknownStep: 404,
  StepNotOpen: 409,
  StepAlreadyDone: 409,
  StepBusy: 409,
  NotSkippable: 409,
  NotRetryable: 409,
  RunFinished: 409,
  NotReopenable: 409,
  DependentBusy: 409,
  InvalidTenant: 422,
  TenantFieldLocked: 409,
  TenantUnchanged: 409,
  // The API encrypts what it sends, so only a misbuilt client could meet it.
  EncryptionRequired: 400,
};

/** The longest path segment the router takes as a parameter; longer is a 414 (the OpenAPI document says so). */
export const MAX_PARAM_LENGTH = 2048;

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: Array<{ field: string; message: string }>,
  ) {
    super(detail);
  }
}

export function problem(status: number, code: string, detail: string, errors?: Array<{ field: string; message: string }>, requestId?: string): Problem {
  return {
    type: `https://kore-zcc-onboarding.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

/** A zod issue parameter: the value broke a bound on evidence (too deep, too big), a 422 `EvidenceTooLarge` rather than a 400. */
export const EVIDENCE_TOO_LARGE = 'evidenceTooLarge';

/** zod issues of a request part (`body`, `query`) as per-field errors. */
export function invalid(part: string, error: z.ZodError): ProblemError {
  const seen = new Set<string>();
  const errors = error.issues
    .map((i) => ({
      field: fieldPath([part, ...i.path]),
      message: i.code === 'unrecognized_keys' ? `has unknown field(s) ${i.keys.map(shownKey).join(', ')}` : i.message,
    }))
    .filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  // Only when nothing else is wrong: a body with unknown fields as well is a plain 400.
  if (error.issues.every((i) => i.code === 'custom' && (i.params as Record<string, unknown> | undefined)?.[EVIDENCE_TOO_LARGE]))
    return new ProblemError(422, 'EvidenceTooLarge', detail, errors);
  return new ProblemError(400, 'InvalidInput', detail, errors);
}
