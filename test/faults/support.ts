import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { HumanStepId } from '../../src/domain/evidence';
import type { Progress } from '../../src/domain/progress';
import { publicTenant, type TenantInput } from '../../src/domain/tenant';
import type { Simulators } from '../../src/sim';
import { actOut, type PeopleMemory } from '../../src/sim/people';
import { onboardingHandle, rejectionOf } from '../../src/temporal/client';
import { completeStepUpdate, progressQuery } from '../../workflows/messages';
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

/** What the people of all tenants are doing, for choosing the moment of a fault. */
export interface PeopleStats {
  updatesInFlight: number;
  completions: number;
  transientErrors: number;
}

const isHumanTurn = (state: string) => state === 'open' || state === 'waiting-for-human';

/**
 * The people of one tenant: they do each open step in the simulated consoles once (what they did
 * is remembered, so a completion whose answer was lost is sent again with the same evidence, not
 * done twice), then complete it through the Update. Errors that are not the workflow's refusal
 * (no worker, no server) are waited out, as a person would try again later.
 */
export async function playPeople(
  o: { client: Client; sims: Simulators; tenant: TenantInput; pauseMs?: () => number; deadlineMs?: number },
  stats: PeopleStats = { updatesInFlight: 0, completions: 0, transientErrors: 0 },
): Promise<Progress> {
  const handle = onboardingHandle(o.client, o.tenant.tenantId);
  const memory: PeopleMemory = {};
  const evidence = new Map<string, Record<string, unknown>>();
  const deadline = Date.now() + (o.deadlineMs ?? 240_000);
  let last: Progress | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(progressQuery);
    } catch {
      stats.transientErrors++;
      await sleep(500);
      continue;
    }
    if (last.status === 'completed' || last.status === 'cancelled') return last;
    const stuck = last.steps.find((s) => s.state === 'needs-attention');
    if (stuck) throw new Error(`${o.tenant.tenantId}: ${stuck.id} needs attention: ${stuck.lastError}`);
    const open = last.steps.filter((s) => isHumanTurn(s.state));
    if (open.length === 0) {
      await sleep(150);
      continue;
    }
    for (const s of open) {
      const stepId = s.id as HumanStepId;
      if (o.pauseMs) await sleep(o.pauseMs());
      let ev = evidence.get(stepId);
      if (!ev) evidence.set(stepId, (ev = await actOut(stepId, publicTenant(o.tenant), o.sims, memory)));
      stats.updatesInFlight++;
      try {
        await handle.executeUpdate(completeStepUpdate, { args: [{ stepId, evidence: ev, by: 'pat@acme.example' }] });
        stats.completions++;
      } catch (err) {
        // A refusal (already done, busy verifying) is an answer; anything else is tried again.
        if (!rejectionOf(err)) {
          stats.transientErrors++;
          await sleep(500);
        }
      } finally {
        stats.updatesInFlight--;
      }
    }
  }
  throw new Error(`${o.tenant.tenantId}: not completed in time; last: ${JSON.stringify(last?.steps.map((s) => [s.id, s.state, s.lastError]))}`);
}

/** Steps of a finished run that were not done exactly once. */
export function notDoneOnce(p: Progress): string[] {
  return p.steps.filter((s) => s.state !== 'done' || s.attempts !== 1).map((s) => `${s.id}:${s.state}x${s.attempts}`);
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
