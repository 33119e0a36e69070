import { Offboarding } from './offboard';
import { z } from 'zod';
import { Amendment, OnboardingStatus, ShownTenant, StepState, type Progress, type StepProgress } from '../../workflows/contract';

/**
 * The sign-off record: what a customer or a change board signs once an onboarding is done, built
 * from the run's progress alone (so it holds nothing progress does not: no secret, evidence
 * redacted as progress redacts it). buildRecord is pure; the renderers turn the record into
 * Markdown or a self-contained, printable HTML page, escaping every value (evidence is typed by people).
 */
export const RECORD_FORMATS = ['json', 'md', 'html'] as const;
export const RecordFormat = z.enum(RECORD_FORMATS, { error: `must be one of ${RECORD_FORMATS.join(', ')}` });
export type RecordFormat = z.infer<typeof RecordFormat>;

export const CONTENT_TYPES: Record<RecordFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

const Values = z.record(z.string(), z.unknown());
/** Who works a step: a person in the Kore.ai console, one in Zoom's, or the automation. */
export const Side = z.enum(['kore', 'zoom', 'automatic']);
export type Side = z.infer<typeof Side>;
const SIDES: readonly Side[] = Side.options;

export const RecordStep = z.object({
  id: z.string(),
  title: z.string(),
  phase: z.string(),
  side: Side,
  state: StepState,
  /** When it opened for its person (human) or its activity last started (automatic). */
  openedAt: z.string().optional(),
  /** When its person handed in the evidence (a verifier may have finished it later). */
  handedInAt: z.string().optional(),
  /** Who finished it (a person, or the automation) and when. */
  by: z.string().optional(),
  at: z.string().optional(),
  /** From its (last) opening to its finish. */
  durationMs: z.number().optional(),
  attempts: z.number(),
  evidence: Values.optional(),
  result: Values.optional(),
  skipReason: z.string().optional(),
});
export type RecordStep = z.infer<typeof RecordStep>;

/** A check by API: what Kore.ai or Zoom answered (the step's result). */
export const Verification = z.object({
  stepId: z.string(),
  title: z.string(),
  side: Side,
  state: StepState,
  by: z.string().optional(),
  at: z.string().optional(),
  answers: Values,
  skipReason: z.string().optional(),
});
export type Verification = z.infer<typeof Verification>;

/** A step sent back after it was finished, with what it had then. */
export const Reopen = z.object({
  stepId: z.string(),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  /** The step reopened by hand (its own id, or the one it depends on), or `amendTenant (fields)`. */
  origin: z.string(),
  before: z.object({
    by: z.string().optional(),
    at: z.string().optional(),
    durationMs: z.number().optional(),
    evidence: Values.optional(),
    result: Values.optional(),
    skipReason: z.string().optional(),
  }),
});
export type Reopen = z.infer<typeof Reopen>;

export const SideDurations = z.object({
  side: Side,
  steps: z.number(),
  finished: z.number(),
  /** The steps' durations added up (what the side spent on them). */
  workMs: z.number(),
  /** From the side's first opening to its last finish (its steps overlap, so this is less than the sum). */
  spanMs: z.number().optional(),
  firstOpenedAt: z.string().optional(),
  lastFinishedAt: z.string().optional(),
});
export type SideDurations = z.infer<typeof SideDurations>;

export const SignOffRecord = z.object({
  record: z.literal('kore-zcc-onboarding sign-off record'),
  version: z.literal(1),
  generatedAt: z.string(),
  tenant: z.object({ tenantId: z.string(), displayName: z.string(), details: ShownTenant.optional() }),
  run: z.object({
    status: OnboardingStatus,
    percent: z.number(),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    durationMs: z.number().optional(),
    cancelReason: z.string().optional(),
    cancelledBy: z.string().optional(),
  }),
  /** When the tenant was offboarded here (src/app/offboard.ts). */
  offboarding: Offboarding.optional(),
  steps: z.array(RecordStep),
  verifications: z.array(Verification),
  reopens: z.array(Reopen),
  amendments: z.array(Amendment),
  durations: z.array(SideDurations),
});
export type SignOffRecord = z.infer<typeof SignOffRecord>;

const FINISHED = new Set<string>(['done', 'skipped']);
const sideOf = (s: StepProgress): Side => (s.kind === 'auto' ? 'automatic' : s.side);
const between = (from?: string, to?: string) => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : undefined);
const nonEmpty = (v?: Record<string, unknown>) => (v && Object.keys(v).length ? v : undefined);

/** The record of a run, as of `generatedAt`. */
export function buildRecord(progress: Progress, opts: { generatedAt?: Date; offboarding?: Offboarding } = {}): SignOffRecord {
  const steps: RecordStep[] = progress.steps.map((s) => {
    const openedAt = s.kind === 'auto' ? s.startedAt : s.openedAt;
    const finished = FINISHED.has(s.state);
    return {
      id: s.id,
      title: s.title,
      phase: s.phase,
      side: sideOf(s),
      state: s.state,
      openedAt,
      handedInAt: s.claimedAt,
      by: finished ? s.completedBy : undefined,
      at: finished ? s.completedAt : undefined,
      durationMs: finished ? between(openedAt, s.completedAt) : undefined,
      attempts: s.attempts,
      evidence: nonEmpty(s.evidence),
      result: nonEmpty(s.result),
      skipReason: s.skipReason,
    };
  });
  const verifications: Verification[] = progress.steps
    .filter((s) => s.kind === 'auto' || nonEmpty(s.result))
    .map((s) => ({
      stepId: s.id,
      title: s.title,
      side: sideOf(s),
      state: s.state,
      by: FINISHED.has(s.state) ? s.completedBy : undefined,
      at: FINISHED.has(s.state) ? s.completedAt : undefined,
      answers: s.result ?? {},
      skipReason: s.skipReason,
    }));
  const reopens: Reopen[] = progress.steps
    .filter((s) => s.reopened)
    .map((s) => {
      const p = s.previous ?? {};
      return {
        stepId: s.id,
        ...s.reopened!,
        before: {
          by: p.completedBy,
          at: p.completedAt,
          durationMs: between(s.kind === 'auto' ? p.startedAt : p.openedAt, p.completedAt),
          evidence: nonEmpty(p.evidence),
          result: nonEmpty(p.result),
          skipReason: p.skipReason,
        },
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
  const durations = SIDES.map((side) => sideDurations(side, steps));
  return SignOffRecord.parse({
    record: 'kore-zcc-onboarding sign-off record',
    version: 1,
    generatedAt: (opts.generatedAt ?? new Date()).toISOString(),
    tenant: { tenantId: progress.tenantId, displayName: progress.displayName, details: progress.tenant },
    run: {
      status: progress.status,
      percent: progress.percent,
      startedAt: progress.startedAt,
      endedAt: progress.endedAt,
      durationMs: between(progress.startedAt, progress.endedAt),
      cancelReason: progress.cancelReason,
      cancelledBy: progress.cancelledBy,
    },
    ...(opts.offboarding ? { offboarding: opts.offboarding } : {}),
    steps,
    verifications,
    reopens,
    amendments: progress.amendments,
    durations,
  });
}

function sideDurations(side: Side, all: RecordStep[]): SideDurations {
  const steps = all.filter((s) => s.side === side);
  const finished = steps.filter((s) => FINISHED.has(s.state));
  const opened = steps.map((s) => s.openedAt).filter((t): t is string => Boolean(t));
  const ends = finished.map((s) => s.at).filter((t): t is string => Boolean(t));
  const firstOpenedAt = opened.sort()[0];
  const lastFinishedAt = ends.sort().at(-1);
  return {
    side,
    steps: steps.length,
    finished: finished.length,
    workMs: finished.reduce((sum, s) => sum + (s.durationMs ?? 0), 0),
    spanMs: finished.length === steps.length ? between(firstOpenedAt, lastFinishedAt) : undefined,
    firstOpenedAt,
    lastFinishedAt,
  };
}

// ---- rendering
