import fs from 'node:fs';
import path from 'node:path';
import type { Progress } from '../../src/app';
import { publicTenant, type TenantInput } from '../../src/domain/tenant';
import { playPeople as play, type PeopleStats } from '../../src/people';
import type { Simulators } from '../../src/sim';
import type { Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

/** Where each fault test leaves its numbers (quoted in SECURITY.md). */
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'faults');

/** Writes `test-results/faults/<name>.json` and prints a one-line summary. */
export function recordResult(name: string, numbers: Record<string, unknown>): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify({ test: name, at: new Date().toISOString(), ...numbers }, null, 2)}\n`);
  const line = Object.entries(numbers)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(`[faults] ${name}: ${line}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type { PeopleStats };

/**
 * The people of one tenant, one step at a time: the scripted people of src/people (what they did
 * in the consoles is remembered, so a completion whose answer was lost is sent again with the
 * same evidence, not done twice; errors that are not the workflow's answer are waited out, as a
 * person would try again later).
 */
export async function playPeople(o: { h: Harness; tenant: TenantInput; pauseMs?: () => number; deadlineMs?: number }, stats?: PeopleStats): Promise<Progress> {
  const { progress } = await play({
    desk: o.h.onboardings,
    consoles: o.h.consoles,
    tenant: publicTenant(o.tenant),
    by: 'pat@acme.example',
    parallel: false,
    pauseMs: o.pauseMs,
    deadlineMs: o.deadlineMs ?? 240_000,
    stats,
  });
  return progress;
}

/** Steps of a finished run that were not done exactly once. */
export function notDoneOnce(p: Progress): string[] {
  // A step the API tried and handed to its person (the vendor refused a permission) is done in two: the API's try, the person's.
  const once = (s: Progress['steps'][number]) => (s.automation?.mode === 'human' && s.startedAt !== undefined ? 2 : 1);
  return p.steps.filter((s) => s.state !== 'done' || s.attempts !== once(s)).map((s) => `${s.id}:${s.state}x${s.attempts}`);
}

/** Per tenant, what the people's side left in the vendors' worlds: one of each, or the run did something twice. */
export function worldOf(sims: Simulators, tenant: TenantInput) {
  const account = sims.zoom.world.mustAccount(tenant.zoom.accountId);
  const bot = sims.kore.world.bots.get(tenant.kore.botId);
  return {
    connectors: account.connectors.length,
    flows: account.flows.length,
    engagements: account.engagements.length,
    sessions: bot?.sessions.length ?? 0,
  };
}
