import type { Onboardings, OnboardingOptions, Progress } from '../app';
import type { TenantFile } from '../domain/tenant';
import { publicTenant } from '../domain/tenant';
import type { SimAdminClient } from '../sim/admin-client';
import { playPeople, PeopleStuck, type PeopleEvent } from './driver';

/** A rehearsal waits for the test call's summary every second, not every 30 s as production runs do. */
export const REHEARSAL_OPTIONS: OnboardingOptions = { summaryPollInterval: '1s', summaryWaitLimit: '2m' };

export class RehearsalFailed extends Error {
  override readonly name = 'RehearsalFailed';
  constructor(
    message: string,
    readonly progress: unknown,
    readonly timeline: PeopleEvent[],
  ) {
    super(message);
  }
}

/**
 * A whole onboarding against the simulators: started through the application layer like any
 * other, with the people's part played by the scripted people in parallel. Reports each step's
 * state changes as they happen.
 */
export async function rehearse(o: {
  onboardings: Onboardings;
  consoles: SimAdminClient;
  tenant: TenantFile;
  options?: OnboardingOptions;
  by?: string;
  timeoutMs?: number;
  onEvent?: (e: PeopleEvent) => void;
}): Promise<{ progress: Progress; timeline: PeopleEvent[] }> {
  const { tenant } = await o.onboardings.start(o.tenant, { options: o.options ?? REHEARSAL_OPTIONS });
  const timeline: PeopleEvent[] = [];
  try {
    return await playPeople({
      desk: o.onboardings,
      consoles: o.consoles,
      tenant: publicTenant(tenant),
      by: o.by ?? 'rehearsal',
      deadlineMs: o.timeoutMs,
      onEvent: (e) => {
        timeline.push(e);
        o.onEvent?.(e);
      },
    });
  } catch (err) {
    if (err instanceof PeopleStuck) throw new RehearsalFailed(err.message, err.progress, timeline);
    throw err;
  }
}
