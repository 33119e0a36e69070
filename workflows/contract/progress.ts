import { z } from 'zod';
import { lazySchema } from '../../src/domain/lazy-schema';
import { AuditEntry } from './audit';

/**
 * Step states (shared/design.md): a human step is `open` until a reminder has gone out, then
 * `waiting-for-human`; a step a vendor API does waits in `awaiting-approval` while the vendor holds
 * the work for an administrator's approval (Kore.ai's publish can).
 */
export const STEP_STATES = ['blocked', 'open', 'running', 'awaiting-approval', 'waiting-for-human', 'verifying', 'needs-attention', 'done', 'skipped'] as const;
export const StepState = lazySchema(() => z.enum(STEP_STATES));
export type StepState = z.infer<typeof StepState>;

export const ONBOARDING_STATUSES = ['running', 'waiting-for-human', 'needs-attention', 'escalated', 'completed', 'cancelled'] as const;
export const OnboardingStatus = lazySchema(() => z.enum(ONBOARDING_STATUSES));
export type OnboardingStatus = z.infer<typeof OnboardingStatus>;

/** One set of evidence handed in for a step, with who, when and its digest: the run keeps every one, readers see them redacted. */
export const EvidenceVersion = lazySchema(() => z.object({ at: z.string(), by: z.string(), digest: z.string(), evidence: z.record(z.string(), z.unknown()) }));
export type EvidenceVersion = z.infer<typeof EvidenceVersion>;

/** What a step had when it went back (reopened): the run keeps it, readers see it with its evidence redacted. */
export const PreviousRound = lazySchema(() =>
  z.object({
    evidence: z.record(z.string(), z.unknown()).optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    completedBy: z.string().optional(),
    completedAt: z.string().optional(),
    skipReason: z.string().optional(),
    /** That round's times, so its duration stays known. */
    openedAt: z.string().optional(),
    startedAt: z.string().optional(),
    claimedAt: z.string().optional(),
  }),
);
export type PreviousRound = z.infer<typeof PreviousRound>;

export const StepProgress = lazySchema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    phase: z.string(),
    side: z.enum(['kore', 'zoom']),
    /** How the step is done in this run: a console step an API does (issue 15) reads `auto`. */
    kind: z.enum(['auto', 'human']),
    /**
     * For a console step an API can do: how it is done in this run, what the API needs, and, when a
     * person does it, why and what would automate it next time.
     */
    automation: z.object({ mode: z.enum(['auto', 'human']), needs: z.string(), note: z.string().optional() }).optional(),
    skippable: z.boolean(),
    dependsOn: z.array(z.string()),
    state: StepState,
    /** Blocked: the steps it still waits for. */
    waitingFor: z.array(z.string()),
    instructions: z.array(z.string()),
    /** The evidence fields a person fills in (human steps), for forms and `--set` hints. */
    evidenceFields: z.array(z.string()),
    openedAt: z.string().optional(),
    startedAt: z.string().optional(),
    completedAt: z.string().optional(),
    /** When its person last handed in evidence (human steps; a verifier may finish it later). */
    claimedAt: z.string().optional(),
    attempts: z.number(),
    lastError: z.string().optional(),
    completedBy: z.string().optional(),
    evidence: z.record(z.string(), z.unknown()).optional(),
    /** What an automatic step or a verifier found (e.g. the summary excerpt). */
    result: z.record(z.string(), z.unknown()).optional(),
    skipReason: z.string().optional(),
    /** Why the step went back after it was finished: reopened by hand, with a step it depends on, or by an amendment of the tenant. */
    reopened: z.object({ at: z.string(), by: z.string(), reason: z.string(), origin: z.string() }).optional(),
    /** What the step had when it went back (evidence redacted as above): shown to its person, who may hand it in again unchanged. */
    previous: PreviousRound.optional(),
    /** Every set of evidence handed in for the step, oldest first (redacted as above), with who, when and its digest. */
    versions: z.array(EvidenceVersion),
    reminders: z.number(),
    escalated: z.boolean(),
  }),
);
export type StepProgress = z.infer<typeof StepProgress>;

export const Rejection = lazySchema(() =>
  z.object({ at: z.string(), stepId: z.string(), by: z.string(), via: z.enum(['update', 'signal']), message: z.string() }),
);
export type Rejection = z.infer<typeof Rejection>;

/** An accepted amendment of the tenant: the fields it changed (paths only: a secret's value is never shown) and the steps it sent back. */
export const Amendment = lazySchema(() =>
  z.object({ at: z.string(), by: z.string(), reason: z.string(), fields: z.array(z.string()), reopened: z.array(z.string()) }),
);
export type Amendment = z.infer<typeof Amendment>;

/** The tenant as readers see it: no secret (references are dropped), the notify webhook's origin only, sensitive SIP header values redacted. */
export const ShownTenant = lazySchema(() =>
  z.object({
    tenantId: z.string(),
    displayName: z.string(),
    kore: z.object({
      region: z.string(),
      botId: z.string(),
      clientId: z.string(),
      smartAssistLegacy: z.boolean(),
      adminAppClientId: z.string().optional(),
      goldenBotId: z.string().optional(),
    }),
    zoom: z.object({ accountId: z.string(), clientId: z.string() }),
    agentTransfer: z.object({ option: z.string(), target: z.string(), sipHeaders: z.record(z.string(), z.string()) }),
    contacts: z.object({ owner: z.string(), notifyWebhookUrl: z.string().optional() }),
    reminders: z.object({ firstAfter: z.string(), every: z.string(), escalateAfter: z.string() }),
    /** How each automatable step is done, where the tenant file says (absent: automatically where it can). */
    stepModes: z.record(z.string(), z.enum(['auto', 'human'])).optional(),
  }),
);
export type ShownTenant = z.infer<typeof ShownTenant>;

export const Progress = lazySchema(() =>
  z.object({
    tenantId: z.string(),
    displayName: z.string(),
    status: OnboardingStatus,
    percent: z.number(),
    startedAt: z.string(),
    /** When the run last changed (not when it was asked). */
    updatedAt: z.string(),
    /** When the run ended: its last step finished, or it was cancelled. */
    endedAt: z.string().optional(),
    cancelReason: z.string().optional(),
    cancelledBy: z.string().optional(),
    /** The tenant as amended so far (optional: workers before it did not show it). */
    tenant: ShownTenant.optional(),
    steps: z.array(StepProgress),
    /** Recent rejected completions (signals cannot answer their sender, so they are recorded here). */
    rejections: z.array(Rejection),
    amendments: z.array(Amendment),
    /** The audit trail's size and its latest entries; the whole trail is paged from history (GET .../audit, `onboard audit`). */
    audit: z.object({ count: z.number(), tail: z.array(AuditEntry) }),
  }),
);
export type Progress = z.infer<typeof Progress>;

/** The run at a glance: what every Update answers beside its step, and what lists show. */
export const RunSummary = lazySchema(() =>
  z.object({
    tenantId: z.string(),
    displayName: z.string(),
    status: OnboardingStatus,
    percent: z.number(),
    /** Steps someone or something is working on now. */
    openSteps: z.array(z.string()),
    waitingOnHuman: z.boolean(),
    /** Since when the longest-waiting open step has waited for its person (lists show it). */
    oldestWaitSince: z.string().optional(),
    updatedAt: z.string(),
    cancelReason: z.string().optional(),
  }),
);
export type RunSummary = z.infer<typeof RunSummary>;

/**
 * What every Update answers: the step it acted on (null for the run-wide cancel) and the run's
 * summary right after, so a caller needs no follow-up query to see where things stand.
 */
export const UpdateAnswer = lazySchema(() => z.object({ step: StepProgress.nullable(), run: RunSummary }));
export interface UpdateAnswer<S extends StepProgress | null = StepProgress> {
  step: S;
  run: RunSummary;
}

/** What reopenStep and amendTenant answer: also every step they sent back (the reopened step first, then its dependents). */
export const ReopenAnswer = lazySchema(() => UpdateAnswer.extend({ reopened: z.array(z.string()) }));
export interface ReopenAnswer<S extends StepProgress | null = StepProgress> extends UpdateAnswer<S> {
  reopened: string[];
}
