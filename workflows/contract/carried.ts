import { z } from 'zod';
import { lazySchema } from '../../src/domain/lazy-schema';
import { AuditEntry } from './audit';
import { Amendment, EvidenceVersion, PreviousRound, Rejection, StepState } from './progress';

/**
 * What a run hands the next one when it continues as new (the next run's input, `carried`): every
 * step's runtime, the run's records, the reminder timers still open, the Update answers and a tail
 * of the audit. Bounded where it would otherwise grow with the run (answers, refusals, audit): the
 * audit entries before the tail stay in the earlier runs' histories, where the app reads them.
 */

/** Who sent finished steps back, why, and from where (the step reopened by hand, or `amendTenant`). */
export const Reopening = lazySchema(() => z.object({ by: z.string(), reason: z.string(), origin: z.string() }));
export type Reopening = z.infer<typeof Reopening>;

const Evidence = lazySchema(() => z.record(z.string(), z.unknown()));

/** One step's life in a run. */
export const StepRuntime = lazySchema(() =>
  z.object({
    state: StepState,
    /** Bumped each time the step (re)opens, so an old reminder loop knows it is stale. */
    opening: z.number().int().min(0),
    openedAt: z.string().optional(),
    startedAt: z.string().optional(),
    completedAt: z.string().optional(),
    /** When its person last handed in evidence (a verifier may take a while before completedAt). */
    claimedAt: z.string().optional(),
    attempts: z.number().int().min(0),
    lastError: z.string().optional(),
    completedBy: z.string().optional(),
    evidence: Evidence.optional(),
    result: Evidence.optional(),
    skipReason: z.string().optional(),
    reminders: z.number().int().min(0),
    escalated: z.boolean(),
    /** A console step an API can do: how it is done this round (decided when it starts), and why a person does it. */
    mode: z.enum(['auto', 'human']).optional(),
    modeNote: z.string().optional(),
    /** Why it went back after it was finished, and what it had then (kept for its person to see). */
    reopened: Reopening.extend({ at: z.string() }).optional(),
    /** Every evidence handed in (accepted by the validator), oldest first: kept for the record, never cleared. */
    versions: z.array(EvidenceVersion),
    previous: PreviousRound.optional(),
  }),
);
export type StepRuntime = z.infer<typeof StepRuntime>;

/** An open reminder loop: when the wait began (epoch ms) and when the next reminder is due, as an offset from then. */
export const ReminderPlan = lazySchema(() => z.object({ opening: z.number().int().min(0), since: z.number(), nextReminder: z.number() }));
export type ReminderPlan = z.infer<typeof ReminderPlan>;

/** How much of what grows with the run is carried: progress shows the last 20 rejections and the last 10 audit entries. */
export const CARRIED_LIMITS = { answers: 50, refusedUpdates: 200, rejections: 20, auditTail: 20 } as const;

export const CarriedState = lazySchema(() =>
  z.object({
    startedAt: z.string(),
    updatedAt: z.string(),
    /** Which run of the chain the next one is (the first is 1). */
    run: z.number().int().positive(),
    steps: z.record(z.string(), StepRuntime),
    rejections: z.array(Rejection).max(CARRIED_LIMITS.rejections),
    amendments: z.array(Amendment),
    cancelled: z.object({ reason: z.string(), by: z.string(), at: z.string() }).optional(),
    /** How many audit entries the chain holds so far (the next seq follows it), and the latest of them. */
    audit: z.object({ count: z.number().int().min(0), tail: z.array(AuditEntry).max(CARRIED_LIMITS.auditTail) }),
    /** The latest Update answers by Update id, oldest first: a repeated id is answered with its first answer in the next run too. */
    answers: z.array(z.tuple([z.string(), z.unknown()])).max(CARRIED_LIMITS.answers),
    /** Update ids whose refusal is recorded already (recorded once per id). */
    refusedUpdates: z.array(z.string()).max(CARRIED_LIMITS.refusedUpdates),
    /** Reminder loops of the steps still waiting on a person, so their timers resume with the time left. */
    reminders: z.record(z.string(), ReminderPlan),
  }),
);
export type CarriedState = z.infer<typeof CarriedState>;
