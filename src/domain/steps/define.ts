import type { z } from 'zod';
import type { AutoActivity, VerifierActivity } from '../activity-contract';
import type { PublicTenant } from '../tenant';
import type { InstructionContext, TenantField } from './context';

/** The guide's phases, for grouping the checklist on screen. */
export const PHASES = ['Setup', 'Channel integration', 'Routing', 'Agent interaction'] as const;
export type Phase = (typeof PHASES)[number];
export type Side = 'kore' | 'zoom';

/**
 * What a step reads: the tenant fields and earlier evidence ('step-id.field') its instructions,
 * cross-checks and verifier use. A later amendment reopens exactly the steps that read what changed.
 */
export interface Reads {
  tenant: readonly TenantField[];
  evidence: readonly string[];
}

interface StepBase<Id extends string, D extends readonly string[]> {
  id: Id;
  title: string;
  phase: Phase;
  side: Side;
  /** Step ids that must be done or skipped first (checked against the catalogue at compile time). */
  dependsOn: D;
  skippable: boolean;
  reads: Reads;
  /** The words a person reads, filled in with the tenant's values and earlier evidence; never a secret. */
  instructions: (ctx: InstructionContext) => string[];
}

export interface AutoStep<Id extends string = string, D extends readonly string[] = readonly string[]> extends StepBase<Id, D> {
  kind: 'auto';
  /** The activity that does the step. */
  activity: AutoActivity;
}

/** A finding of a cross-check: which evidence field is wrong and what to do. */
export interface Mismatch {
  field: string;
  message: string;
}

export interface HumanStep<Id extends string = string, E extends z.ZodObject = z.ZodObject, D extends readonly string[] = readonly string[]> extends StepBase<
  Id,
  D
> {
  kind: 'human';
  /** What the person hands back (a strict object: an unknown field is a mistake worth reporting). */
  evidence: E;
  /** A check against other steps' evidence or the tenant, before anything uses the evidence. */
  crossCheck?: (evidence: z.infer<E>, ctx: InstructionContext) => Mismatch | undefined;
  /** Checks the person's claim by API; `when` limits it to tenants that make it possible. */
  verifier?: { activity: VerifierActivity; when?: (tenant: PublicTenant) => boolean };
  /**
   * A vendor API that can do the step instead of its person, when the tenant grants what it needs:
   * the step is then run by the activity and checked by the same verifier a person's claim gets.
   */
  automation?: Automation;
}

/** How a console step can be done by API (src/domain/steps/modes.ts decides, per run, whether it is). */
export interface Automation {
  activity: AutoActivity;
  /** The credentials and permissions it needs, in words (the README's table and the "would automate" note). */
  needs: string;
  /** What of that the tenant file shows; a permission it cannot show (a scope) is found at run time. */
  possible: (tenant: PublicTenant) => boolean;
  /** What the step says while it is done automatically. */
  instructions: (ctx: InstructionContext) => string[];
}

export type StepDefinition = AutoStep | HumanStep;

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** An automatic step: an activity does it. */
export const auto = <const Id extends string, const D extends readonly string[]>(s: Optional<Omit<AutoStep<Id, D>, 'kind'>, 'skippable'>): AutoStep<Id, D> => ({
  skippable: false,
  ...s,
  kind: 'auto',
});

/** A console step: a person does it and hands back evidence, which we check (and verify where an API can). */
export const human = <const Id extends string, E extends z.ZodObject, const D extends readonly string[]>(
  s: Optional<Omit<HumanStep<Id, E, D>, 'kind'>, 'skippable'>,
): HumanStep<Id, E, D> => ({
  skippable: false,
  ...s,
  kind: 'human',
});
