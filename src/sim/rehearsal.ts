import type { Client } from '@temporalio/client';
import type { HumanStepId } from '../domain/evidence';
import type { OnboardingOptions } from '../domain/messages';
import type { Progress } from '../domain/progress';
import { publicTenant, type TenantInput } from '../domain/tenant';
import { onboardingHandle, rejectionOf, startOnboarding } from '../temporal/client';
import { completeStepUpdate, progressQuery } from '../../workflows/messages';
import type { Simulators } from './index';
import { actOut, type PeopleMemory } from './people';

/**
 * A whole onboarding against the simulators, with the people's part played through the same
 * completeStep Update a person uses. Reports each step's state changes as they happen.
 */
export interface RehearsalEvent {
  atMs: number;
  stepId: string;
  state: string;
  note?: string;
}

export interface RehearsalOptions {
  client: Client;
  sims: Simulators;
  tenant: TenantInput;
  taskQueue: string;
  options?: OnboardingOptions;
  by?: string;
  timeoutMs?: number;
  onEvent?: (e: RehearsalEvent) => void;
}

export class RehearsalFailed extends Error {
  constructor(
    message: string,
    readonly progress: Progress,
    readonly timeline: RehearsalEvent[],
  ) {
    super(message);
  }
}

export async function rehearse(o: RehearsalOptions): Promise<{ progress: Progress; timeline: RehearsalEvent[] }> {
  const started = Date.now();
  const timeline: RehearsalEvent[] = [];
  const seen = new Map<string, string>();
  const memory: PeopleMemory = {};
  const tries = new Map<string, number>();
  const inFlight = new Set<string>();
  const by = o.by ?? 'rehearsal';
  const event = (stepId: string, state: string, note?: string) => {
    const e = { atMs: Date.now() - started, stepId, state, note };
    timeline.push(e);
    o.onEvent?.(e);
  };

  await startOnboarding(o.client, { tenant: o.tenant, options: o.options ?? { summaryPollInterval: '1s', summaryWaitLimit: '2m' } }, o.taskQueue);
  const handle = onboardingHandle(o.client, o.tenant.tenantId);
  const pub = publicTenant(o.tenant);
  const deadline = started + (o.timeoutMs ?? 5 * 60_000);

  for (;;) {
    const p = await handle.query(progressQuery);
    for (const s of p.steps) {
      if (seen.get(s.id) !== s.state) {
        seen.set(s.id, s.state);
        if (s.state !== 'blocked') event(s.id, s.state, s.state === 'needs-attention' || s.state === 'open' ? s.lastError : undefined);
      }
    }
    if (p.status === 'completed') return { progress: p, timeline };
    const stuck = p.steps.find((s) => s.state === 'needs-attention');
    if (stuck) throw new RehearsalFailed(`${stuck.id} needs attention: ${stuck.lastError ?? ''}`, p, timeline);
    if (Date.now() > deadline) throw new RehearsalFailed('the rehearsal did not finish in time', p, timeline);

    // People work in parallel: every open step gets its person at once.
    for (const s of p.steps.filter((x) => (x.state === 'open' || x.state === 'waiting-for-human') && !inFlight.has(x.id))) {
      const n = (tries.get(s.id) ?? 0) + 1;
      if (n > 3) throw new RehearsalFailed(`${s.id} was not verified after 3 tries: ${s.lastError ?? ''}`, p, timeline);
      tries.set(s.id, n);
      inFlight.add(s.id);
      void (async () => {
        try {
          const evidence = await actOut(s.id as HumanStepId, pub, o.sims, memory);
          await handle.executeUpdate(completeStepUpdate, { args: [{ stepId: s.id, evidence, by }] });
        } catch (err) {
          event(s.id, 'rejected', rejectionOf(err)?.message ?? (err as Error).message);
        } finally {
          inFlight.delete(s.id);
        }
      })();
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
