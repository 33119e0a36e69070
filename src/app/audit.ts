import type { WorkflowHandle } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { AUDIT_ENTRIES_MEMO_KEY, AUDIT_MEMO_KEY, AuditEntry, type AuditPage } from '../../workflows/contract';

/**
 * The audit trail, read from history rather than by a query: the workflow upserts each entry alone
 * into its memo (key AUDIT_MEMO_KEY), so every entry sits once in a WorkflowPropertiesModified
 * event, in order, encrypted like any payload, and readable after the run ended and without a
 * worker. A long onboarding continues as new, so its trail spans a chain of runs: read from the
 * chain's first run (each continued run's first event names the run before it) forward (each
 * continued run's last event names the next). Page tokens are base64url JSON of a run id and an
 * offset into that run's entries, so a listing started before a run continued goes on into the
 * next run, and one started before the tenant started over stays in its own chain.
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
    .meta({ pattern: '^0*(?:[1-9]\\d?|[1-4]\\d\\d|500)$' })
    .default(100)
    .describe('entries per page, 1 to 500 (default 100)'),
  pageToken: z
    .string()
    .max(400, 'is not a page token from this API')
    .refine((t) => t === '' || decodeToken(t) !== undefined, 'is not a page token from this API; start from the first page')
    .meta({ description: "the last page's nextPageToken, as it was" })
    .optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One page of the trail of the tenant's latest chain of runs (or from where a page token points). */
export async function readAudit(handleOf: (runId?: string) => WorkflowHandle, q: { pageSize: number; pageToken?: string }): Promise<AuditPage> {
  const token = q.pageToken ? decodeToken(q.pageToken) : undefined;
  let runId = token?.r ?? (await firstOfChain(handleOf, (await handleOf().describe()).runId));
  let from = token?.o ?? 0;
  const converter = handleOf().client.options.loadedDataConverter;
  const entries: AuditEntry[] = [];
  const seen = new Set<string>();
  // One more than a page, so a next page token is given only when there is a next entry.
  for (;;) {
    seen.add(runId);
    const events = (await handleOf(runId).fetchHistory()).events ?? [];
    const mine = await entriesOf(events, converter);
    for (let i = from; i < mine.length; i++) {
      if (entries.length === q.pageSize) {
        return { entries, nextPageToken: Buffer.from(JSON.stringify({ r: runId, o: i })).toString('base64url') };
      }
      entries.push(mine[i]!);
    }
    const next = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next || seen.has(next)) return { entries };
    runId = next;
    from = 0;
  }
}

async function entriesOf(events: HistoryEvent[], converter: LoadedDataConverter): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (const e of events) {
    const fields = e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields;
    // One entry per upsert (AUDIT_MEMO_KEY), or a workflow task's entries with the compact read model.
    const key = fields?.[AUDIT_ENTRIES_MEMO_KEY] ? AUDIT_ENTRIES_MEMO_KEY : fields?.[AUDIT_MEMO_KEY] ? AUDIT_MEMO_KEY : undefined;
    if (!key) continue;
    const memo = await decodeMapFromPayloads(converter, { [key]: fields![key]! });
    const value = memo?.[key];
    for (const one of Array.isArray(value) ? value : [value]) {
      const entry = AuditEntry.safeParse(one);
      if (entry.success) entries.push(entry.data);
    }
  }
  return entries;
}

/** The chain's first run: back from `runId` through each run's first event, reading only that event. */
async function firstOfChain(handleOf: (runId?: string) => WorkflowHandle, runId: string): Promise<string> {
  const seen = new Set<string>([runId]);
  for (;;) {
    const { client, workflowId } = handleOf(runId);
    const first = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 1,
    });
    const before = first.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!before || seen.has(before)) return runId;
    seen.add(before);
    runId = before;
  }
}
