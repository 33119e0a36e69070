import { z } from 'zod';
import { lazySchema } from '../../src/domain/lazy-schema';

/**
 * The audit trail: one entry per accepted action and per refusal, kept for the whole run. Each
 * entry also goes into the run's history (the memo key AUDIT_MEMO_KEY, upserted with that entry
 * alone), where readers page through it without a query (src/app, `Onboardings.audit`).
 */
export const AUDIT_MEMO_KEY = 'audit';

/** Where a message came from, as its sender declares it (the workflow cannot check it). */
export const VIAS = ['api', 'cli', 'webhook', 'people', 'other'] as const;
export const Via = lazySchema(() => z.enum(VIAS));
export type Via = z.infer<typeof Via>;

/** Who sent a message and through what: declared by the sender; only the API, which takes `by` from the token, says `byVerified: true`. */
export const Caller = lazySchema(() => z.object({ via: Via.optional(), byVerified: z.boolean().optional() }));
export type Caller = z.infer<typeof Caller>;

export const AUDIT_ACTIONS = ['start', 'complete', 'reopen', 'amend', 'retry', 'skip', 'cancel', 'verify', 'run-step', 'remind', 'escalate'] as const;
export const AuditAction = lazySchema(() => z.enum(AUDIT_ACTIONS));
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = lazySchema(() =>
  z.object({
    /** 1, 2, 3 ... in the order the run recorded them. */
    seq: z.number().int().positive(),
    at: z.string(),
    action: AuditAction,
    /** People's messages are accepted or refused; a verifier or an automatic step passed, failed (the claim reopens) or needs attention. */
    outcome: z.enum(['accepted', 'refused', 'passed', 'failed', 'needs-attention']),
    stepId: z.string().optional(),
    by: z.string(),
    /** True only when the sender vouched for `by` (the API's token); a CLI user names themselves. */
    byVerified: z.boolean(),
    /** The message kind: an Update, a Signal, the run's start, or the workflow itself (verdicts, reminders). */
    channel: z.enum(['update', 'signal', 'start', 'workflow']),
    via: Via.optional(),
    /** Temporal's Update id: a repeated id is answered with the first answer and recorded once. */
    updateId: z.string().optional(),
    code: z.string().optional(),
    /** A refusal's or a verdict's one line (never a secret: the same words a person is shown). */
    message: z.string().optional(),
    reason: z.string().optional(),
    /** `sha256:<hex>` of the canonical JSON of the evidence (or the amendment's changes, or the start's public tenant). */
    digest: z.string().optional(),
    /** Amendments: the tenant fields changed. */
    fields: z.array(z.string()).optional(),
    /** Reopen and amend: the steps sent back. */
    reopened: z.array(z.string()).optional(),
  }),
);
export type AuditEntry = z.infer<typeof AuditEntry>;

/**
 * An Update the workflow's validator refused leaves nothing in history, so the app reports it with
 * this Signal (src/app); the workflow records it once per Update id. Lenient on purpose: the
 * refused message may have been malformed, and the report says so rather than being dropped.
 */
export const RefusalReport = lazySchema(() =>
  z.object({
    action: AuditAction,
    stepId: z.string().max(80).optional(),
    by: z.string().max(120),
    via: Via.optional(),
    byVerified: z.boolean().optional(),
    updateId: z.string().max(200).optional(),
    code: z.string().max(40),
    message: z.string().max(2000),
  }),
);
export type RefusalReport = z.infer<typeof RefusalReport>;

export const AuditPage = lazySchema(() => z.object({ entries: z.array(AuditEntry), nextPageToken: z.string().optional() }));
export type AuditPage = z.infer<typeof AuditPage>;
