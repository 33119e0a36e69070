import type { Onboardings, OnboardingOptions, Progress } from '../app';
import { publicTenant, type TenantFile } from '../domain/tenant';
import type { SimAdminClient } from '../sim/admin-client';
import { registerTenant, type ConsoleMemory } from './consoles';
import { playPeople, type PeopleEvent } from './driver';
import type { Mistake } from './mistakes';

/** One onboarding played with a mistake (src/people/mistakes.ts): where it was caught, the fix, the end. */
export interface MistakeRehearsal {
  mistake: string;
  /** Where the run stopped and what it said. */
  caught?: { step: string; state: string; message: string };
  /** Progress when the run ended (completed after the fix, or where it got stuck). */
  progress: Progress;
  timeline: PeopleEvent[];
  /** What the person remembers (the connector, flow and trunk they made). */
  memory: ConsoleMemory;
}

/** Options a mistake rehearsal runs with: the summary wait short enough for `summary-off` to be caught in seconds. */
export const MISTAKE_OPTIONS: OnboardingOptions = { summaryPollInterval: '1s', summaryWaitLimit: '8s' };

/**
 * One onboarding in which the scripted people make `m`: registers the tenant (with the mistake's
 * Zoom scopes), plays the people until the run catches it (a step reopened with a finding, or
 * needing attention), lets the person fix it as told, and plays on until the run completes.
 */
export async function rehearseMistake(o: {
  onboardings: Onboardings;
  consoles: SimAdminClient;
  /** With secret values inline (the simulators are registered with them). */
  tenant: TenantFile;
  mistake: Mistake;
  options?: OnboardingOptions;
  by?: string;
  deadlineMs?: number;
  onEvent?: (e: PeopleEvent) => void;
}): Promise<MistakeRehearsal> {
  const m = o.mistake;
  const by = o.by ?? 'rehearsal';
  const file = m.tenant ? m.tenant(o.tenant) : o.tenant;
  const tenant = publicTenant(file);
  await registerTenant(
    o.consoles,
    tenant,
    { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret, koreAdmin: file.kore.adminApp?.clientSecret },
    { zoomScopes: m.zoomScopes ? [...m.zoomScopes] : undefined },
  );
  await o.onboardings.start(file, { options: o.options ?? MISTAKE_OPTIONS });
  const memory: ConsoleMemory = {};
  const timeline: PeopleEvent[] = [];
  const common = {
    desk: o.onboardings,
    consoles: o.consoles,
    tenant,
    by,
    memory,
    summaryDelayMs: 0,
    deadlineMs: o.deadlineMs ?? 3 * 60_000,
    onNeedsAttention: 'return' as const,
    onEvent: (e: PeopleEvent) => {
      timeline.push(e);
      o.onEvent?.(e);
    },
  };
  const typo = m.typo;
  const first = await playPeople({
    ...common,
    slips: m.slips(tenant),
    // The typo is made on the connector's own values, once the person has seen them.
    person: typo
      ? async (step, script) => {
          const evidence = await script();
          if (step !== typo.step || !memory.connector) return evidence;
          const typed = typo.value(memory.connector);
          Object.assign(memory, typed);
          return { ...evidence, ...typed };
        }
      : undefined,
    stopWhen: (p) => p.steps.some((s) => s.state === 'needs-attention' || (s.state === 'open' && s.lastError !== undefined)),
  });
  const stopped = first.progress.steps.find((s) => s.state === 'needs-attention' || (s.state === 'open' && s.lastError !== undefined));
  if (!stopped || first.progress.status === 'completed') return { mistake: m.name, progress: first.progress, timeline, memory };
  const caught = { step: stopped.id, state: stopped.state, message: stopped.lastError ?? '' };
  if (stopped.id !== m.caught.step) return { mistake: m.name, caught, progress: first.progress, timeline, memory };
  await m.fix({ tenant, consoles: o.consoles, memory, onboardings: o.onboardings, by });
  const second = await playPeople({ ...common, onNeedsAttention: 'throw' });
  return { mistake: m.name, caught, progress: second.progress, timeline, memory };
}
