import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { decodeSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { z } from 'zod';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { ONBOARDING_STATUSES, RunSummary, SUMMARY_MEMO_KEY, WORKFLOW_TYPE } from '../../workflows/contract';

/** One page of onboardings from Temporal visibility, filtered by our search attributes. */
export const OnboardingSummary = z.object({
  tenantId: z.string(),
  workflowId: z.string(),
  status: z.string(),
  openSteps: z.array(z.string()),
  waitingOnHuman: z.boolean(),
  startTime: z.string(),
  closeTime: z.string().optional(),
  /** From the run's published summary (its memo, returned with the row): absent for runs from before the read model. */
  displayName: z.string().optional(),
  percent: z.number().optional(),
  updatedAt: z.string().optional(),
  oldestWaitSince: z.string().optional(),
});
export type OnboardingSummary = z.infer<typeof OnboardingSummary>;

/**
 * Temporal's visibility page tokens are opaque bytes, and its answer to a garbled one is an
 * UNKNOWN error that the client retries for many seconds before a 500. So the tokens we hand out
 * carry a checksum of the bytes (the first 8 bytes of their SHA-256; stable across API replicas and
 * restarts), and a token that fails it is refused at once, by name, without asking Temporal.
 */
const CHECK_BYTES = 8;
const checksum = (raw: Uint8Array) => createHash('sha256').update(raw).digest().subarray(0, CHECK_BYTES);

export function ourPageToken(raw: Uint8Array): string {
  return Buffer.concat([checksum(raw), raw]).toString('base64url');
}

/** The Temporal bytes inside one of our page tokens, or undefined when it is not one. */
export function temporalPageToken(token: string): Buffer | undefined {
  const b = Buffer.from(token, 'base64url');
  if (b.length <= CHECK_BYTES || b.toString('base64url') !== token) return undefined;
  const raw = b.subarray(CHECK_BYTES);
  return checksum(raw).equals(b.subarray(0, CHECK_BYTES)) ? raw : undefined;
}

export const ListQuery = z.object({
  status: z.enum(ONBOARDING_STATUSES, { error: `must be one of ${ONBOARDING_STATUSES.join(', ')}` }).optional(),
  waiting: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
  // Decimal digits only: Number() would also take '0x10', '1e2', ' 7' and '5.0'.
  pageSize: z
    .string({ error: 'must be a number' })
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(200, 'must be at most 200'))
    .default(50)
    .describe('onboardings per page, 1 to 200 (default 50)'),
  pageToken: z
    .string()
    .max(4096, 'is not a page token from this API')
    .regex(/^[A-Za-z0-9_-]*$/, 'is not a page token from this API')
    .refine((t) => t === '' || temporalPageToken(t) !== undefined, 'is not a page token from this API (a garbled or made-up one); start from the first page')
    .optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** `tenantIds`: only these tenants (a token scoped to them); ids are checked slugs, so they may go into the query text. */
export async function listOnboardings(
  client: Client,
  q: ListQuery & { tenantIds?: readonly string[] },
): Promise<{ items: OnboardingSummary[]; nextPageToken?: string }> {
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
  if (q.tenantIds) {
    const ids = q.tenantIds.filter((id) => /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/.test(id));
    clauses.push(ids.length ? `TenantId IN (${ids.map((id) => `'${id}'`).join(', ')})` : `TenantId = ''`);
  }
  if (q.status) clauses.push(`OnboardingStatus = '${q.status}'`);
  if (q.waiting !== undefined) clauses.push(`WaitingOnHuman = ${q.waiting}`);
  const res = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query: clauses.join(' AND '),
    pageSize: q.pageSize,
    nextPageToken: q.pageToken ? temporalPageToken(q.pageToken) : undefined,
  });
  // One visibility call per page: each row's summary comes with it, in its memo (decrypted here).
  const items = await Promise.all(
    (res.executions ?? []).map(async (e) => {
      const sa = decodeSearchAttributes(e.searchAttributes?.indexedFields) as Record<string, unknown[] | undefined>;
      const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, e.memo?.fields as Record<string, never> | undefined).catch(() => undefined);
      const summary = RunSummary.safeParse(memo?.[SUMMARY_MEMO_KEY]).data;
      const workflowId = e.execution?.workflowId ?? '';
      const seconds = (t: { seconds?: unknown } | null | undefined) => (t?.seconds ? new Date(Number(t.seconds) * 1000).toISOString() : undefined);
      return {
        tenantId: String(sa.TenantId?.[0] ?? workflowId.replace(/^onboarding-/, '')),
        workflowId,
        status: String(sa.OnboardingStatus?.[0] ?? 'running'),
        openSteps: (sa.OpenSteps as string[] | undefined) ?? [],
        waitingOnHuman: sa.WaitingOnHuman?.[0] === true,
        startTime: seconds(e.startTime) ?? '',
        closeTime: seconds(e.closeTime),
        ...(summary
          ? {
              displayName: summary.displayName,
              percent: summary.percent,
              updatedAt: summary.updatedAt,
              ...(summary.oldestWaitSince ? { oldestWaitSince: summary.oldestWaitSince } : {}),
            }
          : {}),
      };
    }),
  );
  const next = res.nextPageToken && res.nextPageToken.length ? ourPageToken(res.nextPageToken) : undefined;
  return { items, nextPageToken: next };
}
