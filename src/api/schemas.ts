import { z } from 'zod';
import { Progress, StepProgress } from '../app';
import { NamedValues, NonBlank } from '../domain/validation';
import { OnboardingSummary } from '../app';

/** Request and response bodies of the HTTP API: validated with these, documented from these. */
export const TenantIdParam = z.object({ tenantId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'is not a tenant id') });
export const StepParams = TenantIdParam.extend({ stepId: z.string().regex(/^[a-z][a-z-]{1,60}$/, 'is not a step id') });

export const CompleteBody = z.object({ evidence: NamedValues(z.unknown(), 'is not a field of any step').default({}) }).strict();
export const SkipBody = z.object({ reason: NonBlank(500) }).strict();
export const CancelBody = z.object({ reason: NonBlank(500) }).strict();
export const EmptyBody = z.object({}).strict();

export const Started = z.object({ tenantId: z.string(), workflowId: z.string(), runId: z.string() });
export const StepResult = z.object({ step: StepProgress, progress: Progress });
export const OnboardingPage = z.object({ items: z.array(OnboardingSummary), nextPageToken: z.string().optional() });
export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  temporal: z.object({ address: z.string(), reachable: z.boolean(), detail: z.string().optional() }),
});
export const Me = z.object({ name: z.string(), role: z.enum(['viewer', 'engineer', 'admin']) });
export const Session = Me.extend({ expiresInHours: z.number() });

/** The remote codec's body (Temporal's proto-JSON payloads: metadata values and data in base64). */
const Base64 = z
  .string()
  .max(4 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
export const CodecBody = z
  .object({
    payloads: z
      .array(z.object({ metadata: z.record(z.string().max(256), Base64).optional(), data: Base64.optional() }))
      .max(1000, 'at most 1000 payloads per call'),
  })
  .strict();
