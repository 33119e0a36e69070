import { Refused, OnboardingNotFound } from '../app';
import { STEPS, type HumanStepId } from '../domain/steps';
import type { PublicTenant } from '../domain/tenant';
import type { SimAdminClient } from '../sim/admin-client';
import { doInConsoles, type ConsoleMemory, type Evidence, type Slips } from './consoles';

/**
 * The scripted people of one tenant: they read where the onboarding stands, do each open human
 * step in the simulated consoles, and hand the evidence in through the same Update a person uses.
 * One driver for the rehearsal, the tests, the fault tests and the benchmark; options say how the
 * people behave (in parallel or one step at a time, pauses, what they report), and `person` is
 * where one of them can do something differently.
 */

/** What people need to see of a run: its status and its steps' states. */
export interface ProgressView {
  status: string;
  /** `kind` is how the step is done in this run (a console step an API does reads `auto`). */
  steps: ReadonlyArray<{ id: string; state: string; lastError?: string; kind?: string }>;
}

/** Where people read progress and hand evidence in: the application layer (src/app) satisfies it. */
export interface Desk<P extends ProgressView = ProgressView> {
  progress(tenantId: string): Promise<P>;
  complete(
    tenantId: string,
    msg: { stepId: string; evidence: Record<string, unknown>; by: string; via?: 'people' },
  ): Promise<{ step: { state: string; lastError?: string } | null }>;
  /** Waits for the run to end (used with `until: 'human-steps-done'`). */
  result?(tenantId: string): Promise<unknown>;
}

export interface PeopleEvent {
  atMs: number;
  stepId: string;
  /** A step state seen, or what a person did: `acted` (console work done), `rejected` (the run refused), `transient` (no answer; tried again). */
  state: string;
  note?: string;
}

export interface PeopleStats {
  updatesInFlight: number;
  completions: number;
  transientErrors: number;
}

export interface PeopleOptions<P extends ProgressView = ProgressView> {
  desk: Desk<P>;
  consoles: SimAdminClient;
  tenant: PublicTenant;
  by?: string;
  /** Every open step gets its person at once (default), or one step at a time. */
  parallel?: boolean;
  /** Think time before a person starts a step. */
  pauseMs?: () => number;
  /** How often people look at the run when there is nothing for them (default 150 ms). */
  pollMs?: number;
  /** Give up after this long (default 5 minutes). */
  deadlineMs?: number;
  /** Console work for one step at most this many times (a claim rejected sends the person back); default 3. */
  maxTries?: number;
  /** A step that needs attention ends the play: `throw` (default) or `return` the progress. */
  onNeedsAttention?: 'throw' | 'return';
  /** Play until the run finishes (default), or until people have done every human step and then wait for the result. */
  until?: 'finished' | 'human-steps-done';
  summaryDelayMs?: number;
  /** What the people already did for this tenant outside this play (e.g. a test's earlier steps). */
  memory?: ConsoleMemory;
  onEvent?: (e: PeopleEvent) => void;
  /** What the people get wrong in the consoles (src/people/mistakes.ts). */
  slips?: Slips;
  /** End the play with the progress as soon as this holds (e.g. the step that should catch a mistake reopened with a finding). */
  stopWhen?: (progress: P) => boolean;
  /** Where a person can do something differently: gets the step and the scripted console work, returns the evidence to hand in. */
  person?: (step: HumanStepId, script: () => Promise<Evidence>) => Promise<Evidence>;
  stats?: PeopleStats;
}

export class PeopleStuck extends Error {
  override readonly name = 'PeopleStuck';
  constructor(
    message: string,
    readonly progress: unknown,
  ) {
    super(message);
  }
}

const HUMAN_STEPS = new Set(STEPS.filter((s) => s.kind === 'human').map((s) => s.id));
const DEPENDS_ON = new Map<string, readonly string[]>(STEPS.map((s) => [s.id, s.dependsOn]));
/** A step whose dependencies are all done or skipped (one left open while a dependency went back waits for it). */
const depsFinished = (id: string, p: ProgressView) =>
  (DEPENDS_ON.get(id) ?? []).every((d) => ['done', 'skipped'].includes(p.steps.find((s) => s.id === d)?.state ?? 'done'));
const isPersonTurn = (state: string) => state === 'open' || state === 'waiting-for-human';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function playPeople<P extends ProgressView>(o: PeopleOptions<P>): Promise<{ progress: P; timeline: PeopleEvent[] }> {
  const started = Date.now();
  const deadline = started + (o.deadlineMs ?? 5 * 60_000);
  const by = o.by ?? 'rehearsal';
  const stats = o.stats ?? { updatesInFlight: 0, completions: 0, transientErrors: 0 };
  const tenantId = o.tenant.tenantId;
  const memory: ConsoleMemory = o.memory ?? {};
  const timeline: PeopleEvent[] = [];
  const seen = new Map<string, string>();
  /** Evidence a person prepared and has not had answered: sent again as is, never re-done in the consoles. */
  const prepared = new Map<string, Evidence>();
  const tries = new Map<string, number>();
  const done = new Set<string>();
  const inFlight = new Set<string>();
  const event = (stepId: string, state: string, note?: string) => {
    const e = { atMs: Date.now() - started, stepId, state, note };
    timeline.push(e);
    o.onEvent?.(e);
  };

  /** One person doing one step: console work (once per try), then the completion. */
  async function doStep(stepId: HumanStepId, last: P): Promise<void> {
    let evidence = prepared.get(stepId);
    if (!evidence) {
      const n = (tries.get(stepId) ?? 0) + 1;
      if (n > (o.maxTries ?? 3))
        throw new PeopleStuck(`${stepId} was not verified after ${n - 1} tries: ${last.steps.find((s) => s.id === stepId)?.lastError ?? ''}`, last);
      tries.set(stepId, n);
      if (o.pauseMs) await sleep(o.pauseMs());
      const script = () =>
        doInConsoles(stepId, o.tenant, o.consoles, memory, {
          summaryDelayMs: o.summaryDelayMs,
          slips: o.slips,
          steps: last.steps.map((s) => s.id),
        });
      evidence = await (o.person ? o.person(stepId, script) : script());
      prepared.set(stepId, evidence);
      event(stepId, 'acted');
    }
    stats.updatesInFlight++;
    try {
      const { step } = await o.desk.complete(tenantId, { stepId, evidence, by, via: 'people' });
      stats.completions++;
      // Answered: done, or the claim did not hold and the person goes back to the consoles.
      prepared.delete(stepId);
      if (step?.state === 'done') done.add(stepId);
    } catch (err) {
      if (err instanceof Refused || err instanceof OnboardingNotFound) {
        // An answer (already done after a lost reply, busy verifying): nothing to resend.
        prepared.delete(stepId);
        event(stepId, 'rejected', err.message);
      } else {
        // No answer (no worker, no server): the same evidence goes again later, as a person would retry.
        stats.transientErrors++;
        event(stepId, 'transient', (err as Error).message.split('\n')[0]);
        await sleep(500);
      }
    } finally {
      stats.updatesInFlight--;
    }
  }

  let last: P | undefined;
  const failures: unknown[] = [];
  while (Date.now() < deadline) {
    if (failures.length) throw failures[0];
    try {
      last = await o.desk.progress(tenantId);
    } catch (err) {
      if (err instanceof OnboardingNotFound) throw err;
      stats.transientErrors++;
      await sleep(500);
      continue;
    }
    for (const s of last.steps) {
      if (seen.get(s.id) === s.state) continue;
      seen.set(s.id, s.state);
      if (s.state !== 'blocked') event(s.id, s.state, s.state === 'needs-attention' || s.state === 'open' ? s.lastError : undefined);
    }
    if (last.status === 'completed' || last.status === 'cancelled') {
      // The progress says so as the last step finishes; the run itself closes a moment later (its
      // notice, the tenant's health checks): wait for that, so nobody stops a worker under it.
      await o.desk.result?.(tenantId).catch(() => undefined);
      return { progress: last, timeline };
    }
    if (o.stopWhen?.(last)) {
      // Let answers in flight land before handing the run back.
      while (inFlight.size) await sleep(20);
      return { progress: await o.desk.progress(tenantId), timeline };
    }
    // The steps people do in this run: those an API does (progress says kind auto) are not theirs.
    const byApi = new Set(last.steps.filter((s) => s.kind === 'auto').map((s) => s.id));
    if (o.until === 'human-steps-done' && [...HUMAN_STEPS].filter((id) => !byApi.has(id)).every((id) => done.has(id))) {
      await o.desk.result?.(tenantId);
      return { progress: last, timeline };
    }
    const stuck = last.steps.find((s) => s.state === 'needs-attention');
    if (stuck) {
      if (o.onNeedsAttention === 'return') return { progress: last, timeline };
      throw new PeopleStuck(`${stuck.id} needs attention: ${stuck.lastError ?? ''}`, last);
    }
    const snap = last;
    const open = last.steps.filter(
      (s) => isPersonTurn(s.state) && HUMAN_STEPS.has(s.id) && s.kind !== 'auto' && !inFlight.has(s.id) && depsFinished(s.id, snap),
    );
    if (open.length === 0) {
      await sleep(o.pollMs ?? 150);
      continue;
    }
    if (o.parallel === false) {
      for (const s of open) await doStep(s.id as HumanStepId, last);
      continue;
    }
    const snapshot = last;
    for (const s of open) {
      inFlight.add(s.id);
      void doStep(s.id as HumanStepId, snapshot)
        .catch((err) => failures.push(err))
        .finally(() => inFlight.delete(s.id));
    }
    await sleep(o.pollMs ?? 150);
  }
  throw new PeopleStuck(`${tenantId}: not finished in time; last: ${JSON.stringify(last?.steps.map((s) => [s.id, s.state, s.lastError]))}`, last);
}
