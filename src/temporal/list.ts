import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { decodeSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { z } from 'zod';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { ONBOARDING_STATUSES, PROGRESS_MEMO_KEY, RunSummary, STEP_MEMO_PREFIX, SUMMARY_MEMO_KEY, WORKFLOW_TYPE } from '../../workflows/contract';
import { catalogue } from '../domain/steps';
import type { Keyring } from './codec';

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
  /** The titles of `openSteps`, by id: from the run's own catalogue (its published progress), else today's. */
  openStepTitles: z.record(z.string(), z.string()).optional(),
  /** Temporal's status of the run itself: a run failed, terminated or timed out keeps the `status` it last published. */
  runStatus: z.enum(['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed-out']).optional(),
});
export type OnboardingSummary = z.infer<typeof OnboardingSummary>;

/**
 * Temporal's visibility page tokens are opaque bytes, and its answer to a garbled or made-up one is
 * an UNKNOWN error that the client retries for many seconds before a 500. So the tokens we hand out
 * carry an HMAC of the bytes (16 bytes of HMAC-SHA256) under a key derived from the payload key
 * (HKDF, so the payload key itself never signs anything else): stable across API replicas and
 * restarts, and impossible to forge without the key. A token that fails it is refused at once, by
 * name, without asking Temporal. Every loaded key verifies, so a rotation does not break paging.
 */
const MAC_BYTES = 16;

/** The query's token when its shape can be one of ours (the signature is checked by PageTokens). */
const tokenBytes = (token: string): Buffer | undefined => {
  const b = Buffer.from(token, 'base64url');
  return b.length > MAC_BYTES && b.toString('base64url') === token ? b : undefined;
};

export class PageTokens {
  readonly #keys: Buffer[];

  /** `payloadKeys`: the keyring's keys, the one that signs new tokens last. */
  constructor(payloadKeys: readonly Buffer[]) {
    this.#keys = payloadKeys.map((k) => Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'kore-zcc-onboarding list page tokens v1', 32)));
  }

  static of(keyring: Keyring): PageTokens {
    return new PageTokens(keyring.ids.map((id) => keyring.get(id)!));
  }

  #mac(key: Buffer, raw: Uint8Array): Buffer {
    return createHmac('sha256', key).update(raw).digest().subarray(0, MAC_BYTES);
  }

  sign(raw: Uint8Array): string {
    return Buffer.concat([this.#mac(this.#keys.at(-1)!, raw), raw]).toString('base64url');
  }

  /** The Temporal bytes inside one of our page tokens, or undefined when it is not one. */
  open(token: string): Buffer | undefined {
    const b = tokenBytes(token);
    if (!b) return undefined;
    const raw = b.subarray(MAC_BYTES);
    const mac = b.subarray(0, MAC_BYTES);
    return this.#keys.some((k) => timingSafeEqual(this.#mac(k, raw), mac)) ? raw : undefined;
  }
}

/** A list query the API or CLI parsed, with a page token this deployment did not sign. */
export class InvalidPageToken extends Error {
  override readonly name = 'InvalidPageToken';
  readonly field = 'pageToken';
  constructor() {
    super('is not a page token from this API (a garbled, made-up or expired one); start from the first page');
  }
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
    .meta({ pattern: '^0*(?:[1-9]\\d?|1\\d\\d|200)$' })
    .default(50)
    .describe('onboardings per page, 1 to 200 (default 50)'),
  pageToken: z
    .string()
    .max(4096, 'is not a page token from this API')
    .regex(/^[A-Za-z0-9_-]*$/, 'is not a page token from this API')
    // Its shape here; its signature in listOnboardings (the key is the deployment's).
    .refine((t) => t === '' || tokenBytes(t) !== undefined, 'is not a page token from this API (a garbled or made-up one); start from the first page')
    .meta({ description: "the last page's nextPageToken, as it was (signed by this deployment: any other is refused)" })
    .optional(),
  tenantPrefix: z
    .string()
    .max(40, 'must be at most 40 characters')
    .regex(/^[a-z0-9-]*$/, 'must be lower-case letters, digits and dashes (the start of a tenant id)')
    .optional()
    .describe('only tenants whose id starts with this'),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** Visibility's clause for a run still open and not finished by its own account. */
const STILL_OPEN = `ExecutionStatus = 'Running' AND OnboardingStatus NOT IN ('cancelled', 'completed')`;

/** Temporal's WorkflowExecutionStatus numbers, in the words lists use (continued-as-new runs are not listed). */
const RUN_STATUS: Record<number, OnboardingSummary['runStatus']> = {
  1: 'running',
  2: 'completed',
  3: 'failed',
  4: 'cancelled',
  5: 'terminated',
  7: 'timed-out',
};

/** Only what titles need of the published progress: each step's id and title. */
const StepTitles = z.object({ steps: z.array(z.object({ id: z.string(), title: z.string() })) });

function titlesOf(ids: readonly string[], memo: Record<string, unknown> | undefined): Record<string, string> {
  // The run's own titles (its catalogue version): from its step keys (compact read model) or its whole progress.
  const own = new Map(StepTitles.safeParse(memo?.[PROGRESS_MEMO_KEY]).data?.steps.map((s) => [s.id, s.title]));
  for (const id of ids) {
    const title = (memo?.[`${STEP_MEMO_PREFIX}${id}`] as { title?: unknown } | undefined)?.title;
    if (typeof title === 'string') own.set(id, title);
  }
  return Object.fromEntries(ids.map((id) => [id, own.get(id) ?? catalogue().get(id)?.title ?? id]));
}

/** `tenantIds`: only these tenants (a token scoped to them); ids are checked slugs, so they may go into the query text. */
export async function listOnboardings(
  client: Client,
  tokens: PageTokens,
  q: ListQuery & { tenantIds?: readonly string[] },
): Promise<{ items: OnboardingSummary[]; nextPageToken?: string }> {
  const pageToken = q.pageToken ? tokens.open(q.pageToken) : undefined;
  if (q.pageToken && !pageToken) throw new InvalidPageToken();
  // A run that continued as new is listed by its latest run only.
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (q.tenantIds) {
    const ids = q.tenantIds.filter((id) => /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/.test(id));
    clauses.push(ids.length ? `TenantId IN (${ids.map((id) => `'${id}'`).join(', ')})` : `TenantId = ''`);
  }
  if (q.status) clauses.push(`OnboardingStatus = '${q.status}'`);
  if (q.tenantPrefix) clauses.push(`TenantId STARTS_WITH '${q.tenantPrefix}'`);
  // A cancelled run keeps the WaitingOnHuman its steps had (and a run failed or terminated keeps
  // every attribute it last set): only an open, unfinished run waits on anyone.
  if (q.waiting === true) clauses.push(`WaitingOnHuman = true AND ${STILL_OPEN}`);
  if (q.waiting === false) clauses.push(`(WaitingOnHuman = false OR ExecutionStatus != 'Running' OR OnboardingStatus IN ('cancelled', 'completed'))`);
  const res = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query: clauses.join(' AND '),
    pageSize: q.pageSize,
    nextPageToken: pageToken,
  });
  // One visibility call per page: each row's summary comes with it, in its memo (decrypted here).
  const items = await Promise.all(
    (res.executions ?? []).map(async (e) => {
      const sa = decodeSearchAttributes(e.searchAttributes?.indexedFields) as Record<string, unknown[] | undefined>;
      const openSteps = (sa.OpenSteps as string[] | undefined) ?? [];
      // Only the keys a row shows are decrypted: the summary and the open steps' titles.
      const fields = (e.memo?.fields ?? {}) as Record<string, never>;
      const wanted = [SUMMARY_MEMO_KEY, PROGRESS_MEMO_KEY, ...openSteps.map((id) => `${STEP_MEMO_PREFIX}${id}`)].filter((k) => fields[k]);
      const shown = Object.fromEntries(wanted.map((k) => [k, fields[k]])) as Record<string, never>;
      const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, shown).catch(() => undefined);
      const summary = RunSummary.safeParse(memo?.[SUMMARY_MEMO_KEY]).data;
      const runStatus = RUN_STATUS[e.status ?? 0];
      const status = String(sa.OnboardingStatus?.[0] ?? 'running');
      const workflowId = e.execution?.workflowId ?? '';
      const seconds = (t: { seconds?: unknown } | null | undefined) => (t?.seconds ? new Date(Number(t.seconds) * 1000).toISOString() : undefined);
      return {
        tenantId: String(sa.TenantId?.[0] ?? workflowId.replace(/^onboarding-/, '')),
        workflowId,
        status,
        openSteps,
        waitingOnHuman: sa.WaitingOnHuman?.[0] === true && runStatus === 'running' && status !== 'cancelled' && status !== 'completed',
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
        ...(openSteps.length ? { openStepTitles: titlesOf(openSteps, memo) } : {}),
        ...(runStatus ? { runStatus } : {}),
      };
    }),
  );
  const next = res.nextPageToken && res.nextPageToken.length ? tokens.sign(res.nextPageToken) : undefined;
  return { items, nextPageToken: next };
}
