import type { WorkflowHandle } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';
import { AUDIT_MEMO_KEY, AuditEntry, type AuditPage } from '../../workflows/contract';

/**
 * The audit trail, read from the run's history rather than by a query: the workflow upserts each
 * entry alone into its memo (key AUDIT_MEMO_KEY), so every entry sits once in a
 * WorkflowPropertiesModified event, in order, encrypted like any payload, and readable after the
 * run ended and without a worker. Page tokens are base64url JSON of the run id and an offset, so
 * every page of one listing comes from the same run even if the tenant starts again meanwhile.
 */
const Token = z.object({ r: z.string().min(1).max(100), o: z.number().int().min(0) });

const decodeToken = (t: string) => {
  try {
    return Token.safeParse(JSON.parse(Buffer.from(t, 'base64url').toString('utf8'))).data;
  } catch {
    return undefined;
  }
};

export const AuditQuery = z.object({
  pageSize: z
    .string({ error: 'must be a number' })
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(500, 'must be at most 500'))
    .default(100)
    .describe('entries per page, 1 to 500 (default 100)'),
  pageToken: z
    .string()
    .max(400, 'is not a page token from this API')
    .refine((t) => t === '' || decodeToken(t) !== undefined, 'is not a page token from this API; start from the first page')
    .optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** One page of the trail of the tenant's latest run (or the run a page token names). */
export async function readAudit(handleOf: (runId?: string) => WorkflowHandle, q: { pageSize: number; pageToken?: string }): Promise<AuditPage> {
  const token = q.pageToken ? decodeToken(q.pageToken) : undefined;
  const runId = token?.r ?? (await handleOf().describe()).runId;
  const handle = handleOf(runId);
  const events = (await handle.fetchHistory()).events ?? [];
  const converter = handle.client.options.loadedDataConverter;
  const entries: AuditEntry[] = [];
  for (const e of events) {
    const fields = e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields;
    if (!fields?.[AUDIT_MEMO_KEY]) continue;
    const memo = await decodeMapFromPayloads(converter, { [AUDIT_MEMO_KEY]: fields[AUDIT_MEMO_KEY] });
    const entry = AuditEntry.safeParse(memo?.[AUDIT_MEMO_KEY]);
    if (entry.success) entries.push(entry.data);
  }
  const from = token?.o ?? 0;
  const page = entries.slice(from, from + q.pageSize);
  const next = from + page.length;
  return {
    entries: page,
    nextPageToken: next < entries.length ? Buffer.from(JSON.stringify({ r: runId, o: next })).toString('base64url') : undefined,
  };
}
