import { z } from 'zod';
import { AuditPage, HealthView, Progress, RecordFormat, RunSummary, StepProgress, TenantChanges } from '../app';
import { HealthEvery } from '../domain/health';
import { NamedValues, NonBlank } from '../domain/validation';
import { OnboardingSummary } from '../app';
import { EVIDENCE_TOO_LARGE } from './problems';

/** Request and response bodies of the HTTP API: validated with these, documented from these. */
export const TenantIdParam = z.object({ tenantId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'is not a tenant id') });
export const StepParams = TenantIdParam.extend({ stepId: z.string().regex(/^[a-z][a-z-]{1,60}$/, 'is not a step id') });

/**
 * Evidence is a few named strings; anything the workflow is sent must also survive the payload
 * converter (JSON) and sit in history. So the API bounds it before Temporal sees it: at most
 * MAX_EVIDENCE_DEPTH levels of objects and arrays (the evidence object is the first) and at most
 * MAX_EVIDENCE_BYTES as JSON. Too deep or too big is a 422 `EvidenceTooLarge` naming body.evidence;
 * inside the bounds the step's own schema decides, in the workflow, as before.
 */
export const MAX_EVIDENCE_DEPTH = 5;
export const MAX_EVIDENCE_BYTES = 16 * 1024;

/** How deep `value` nests, counted without recursion (so a hostile depth cannot overflow the stack), stopping past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * How the OpenAPI document states the depth bound: a JSON value nested at most `levels` more
 * objects or arrays deep. Validation is the preprocess below (one clear message, no recursion);
 * inside the bounds any JSON value passes on to the workflow, which judges the step's fields.
 */
const JSON_LEAF = { type: ['string', 'number', 'boolean', 'null'] };
const jsonUpTo = (levels: number): Record<string, unknown> =>
  levels === 0
    ? JSON_LEAF
    : { anyOf: [JSON_LEAF, { type: 'array', items: jsonUpTo(levels - 1) }, { type: 'object', additionalProperties: jsonUpTo(levels - 1) }] };

export const Evidence = z
  .preprocess(
    (raw, ctx) => {
      if (nestingDepth(raw, MAX_EVIDENCE_DEPTH) > MAX_EVIDENCE_DEPTH) {
        ctx.addIssue({ code: 'custom', message: `is nested more than ${MAX_EVIDENCE_DEPTH} levels deep`, params: { [EVIDENCE_TOO_LARGE]: true } });
      } else if (raw !== undefined && Buffer.byteLength(JSON.stringify(raw) ?? '') > MAX_EVIDENCE_BYTES) {
        ctx.addIssue({ code: 'custom', message: `is larger than ${MAX_EVIDENCE_BYTES} bytes as JSON`, params: { [EVIDENCE_TOO_LARGE]: true } });
      }
      return raw;
    },
    NamedValues(z.unknown(), 'is not a field of any step'),
  )
  .meta({
    description:
      `The step's evidence, by field name. At most ${MAX_EVIDENCE_DEPTH} levels of objects and arrays deep (this object included) ` +
      `and at most ${MAX_EVIDENCE_BYTES} bytes as JSON; beyond either, a 422 EvidenceTooLarge.`,
    additionalProperties: jsonUpTo(MAX_EVIDENCE_DEPTH - 1),
    'x-max-depth': MAX_EVIDENCE_DEPTH,
    'x-max-bytes': MAX_EVIDENCE_BYTES,
  });

/**
 * Optional on every action: Temporal's Update id, so a client that lost the answer can send the
 * same request again and get the first answer (recorded once). Who acts is never in a body: `by`
 * is the token's person.
 */
export const UpdateId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, 'must be 8-100 letters, digits or . _ : - (e.g. a UUID)')
  .optional()
  .meta({ description: 'Your id for this action: the same id again is answered with the first answer and recorded once' });
export const CompleteBody = z.object({ evidence: Evidence.default({}), updateId: UpdateId }).strict();
export const SkipBody = z.object({ reason: NonBlank(500), updateId: UpdateId }).strict();
export const CancelBody = z.object({ reason: NonBlank(500), updateId: UpdateId }).strict();
/** The run is cancelled with "offboarded: <reason>", which must still fit the cancel's 500 characters. */
export const OffboardBody = z.object({ reason: NonBlank(488) }).strict();
export const ReopenBody = z.object({ reason: NonBlank(500), updateId: UpdateId }).strict();
export const RetryBody = z.object({ updateId: UpdateId }).strict();
/** A JSON merge patch of the tenant (null removes an optional field); secrets inline or as store: references of this tenant. */
export const AmendBody = z
  .object({
    changes: TenantChanges.meta({
      description:
        'A JSON merge patch of the tenant (null removes an optional field), validated as a whole tenant in the workflow. ' +
        "Secrets inline (they go to the server's store first) or as store: references of this tenant.",
    }),
    reason: NonBlank(500),
    updateId: UpdateId,
  })
  .strict();
export const EmptyBody = z.object({}).strict();
/** Turning a tenant's health checks on, optionally at another cadence (default: as it was, else daily). */
export const HealthEnableBody = z.object({ every: HealthEvery.optional().meta({ description: 'How often, e.g. 12h or 1d (at least 5m)' }) }).strict();
export { HealthView };
/** `?format=` of the sign-off record: JSON (the default), Markdown or printable HTML. */
export const RecordQuery = z.object({ format: RecordFormat.default('json') });
/** Progress comes from the run's read model (its memo); `consistent=true` asks the run itself, for a reader who must see an Update still in flight. */
export const ProgressQuery = z.object({
  consistent: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional()
    .describe('true: ask the run itself (a query) instead of reading what it last published'),
});

export const Started = z.object({ tenantId: z.string(), workflowId: z.string(), runId: z.string() });
/** The step as the Update answered it, the run's summary right after, and the progress the run published with that answer (no query). */
export const StepResult = z.object({ step: StepProgress, run: RunSummary, progress: Progress });
/** Reopen and amend also say every step they sent back (a reopened step first). */
export const ReopenResult = StepResult.extend({ reopened: z.array(z.string()) });
export const AmendResult = z.object({ reopened: z.array(z.string()), progress: Progress });
export { AuditPage };
export const OnboardingPage = z.object({ items: z.array(OnboardingSummary), nextPageToken: z.string().optional() });
export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  temporal: z.object({ address: z.string(), reachable: z.boolean(), detail: z.string().optional() }),
});
export const Me = z.object({
  name: z.string(),
  role: z.enum(['viewer', 'engineer', 'admin']),
  tenants: z.array(z.string()).optional().meta({ description: 'The only tenants this token sees and acts on (absent: every tenant)' }),
});
export const Session = Me.extend({ expiresInHours: z.number() });

/**
 * Protobuf JSON's bytes, as Temporal's tools send them: standard or URL-safe base64, padded or not
 * (one alphabet per value; padded means whole quads), the forms Go's protojson accepts.
 */
const base64In = (alphabet: string) => `(?:[${alphabet}]{4})*(?:[${alphabet}]{2}(?:==)?|[${alphabet}]{3}=?)?`;
const Base64 = z
  .string()
  .max(4 * 1024 * 1024)
  .regex(new RegExp(`^(?:${base64In('A-Za-z0-9+/')}|${base64In('A-Za-z0-9_-')})$`), 'must be base64 (standard or URL-safe, padded or not)');
/**
 * The remote codec's body: a Payloads message in protobuf JSON. Protobuf JSON leaves out empty
 * fields (`temporal workflow query` sends `{}` for no arguments) and reads null as absent, so an
 * absent `payloads` is an empty list and an absent `metadata` or `data` is empty.
 */
export const CodecBody = z
  .object({
    payloads: z
      .array(z.object({ metadata: z.record(z.string().max(256), Base64).nullish(), data: Base64.nullish() }))
      .max(1000, 'at most 1000 payloads per call')
      .nullish()
      .describe('absent or null: no payloads'),
  })
  .strict();
/** What the codec answers: the canonical protobuf JSON, every field present, standard padded base64. */
export const CodecAnswer = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string().describe('standard base64')), data: z.string().describe('standard base64') })),
});
export type CodecAnswer = z.infer<typeof CodecAnswer>;
