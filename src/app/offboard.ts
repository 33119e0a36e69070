import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { stopHealth } from './health-stop';
import type { CancelInput, Progress } from '../../workflows/contract';

/**
 * The end of a tenant's life here: its run cancelled if it still runs, its stored secrets deleted,
 * and a note of who did it and why kept in the store (the run's history, its record and its
 * audit stay in Temporal, readable as before). The store is shared by every API and worker replica
 * (ONBOARD_SECRET_STORE_DIR), so each sees the note. The tenant's health checks stop here as well.
 */
export const Offboarding = z.object({
  tenantId: z.string(),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  /** What the run was when offboarded (`cancelled` if it was still running). */
  runStatus: z.string(),
  /** When that run started: the note belongs to it, not to a later onboarding of the same tenant. */
  runStartedAt: z.string(),
  secretFilesDeleted: z.number().int(),
});
export type Offboarding = z.infer<typeof Offboarding>;

/** In the store, beside the tenants' directories (a tenant id never starts with a dot). */
const offboardedDir = (store: string) => path.join(store, '.offboarded');

/** Deletes every stored secret file of the tenant; returns how many there were. */
export function deleteStoredSecrets(store: string, tenantId: string): number {
  const dir = path.join(store, tenantId);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return names.length;
}

export function recordOffboarding(store: string, o: Offboarding): void {
  fs.mkdirSync(offboardedDir(store), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(offboardedDir(store), `${o.tenantId}.json`), `${JSON.stringify(o, null, 2)}\n`, { mode: 0o600 });
}

export function readOffboarding(store: string, tenantId: string): Offboarding | undefined {
  try {
    return Offboarding.parse(JSON.parse(fs.readFileSync(path.join(offboardedDir(store), `${tenantId}.json`), 'utf8')));
  } catch {
    return undefined;
  }
}

/** What offboarding needs of the app: the run's progress and its cancel, and the client that stops its health checks. */
interface Desk {
  client: Client;
  progress(tenantId: string): Promise<Progress>;
  cancel(tenantId: string, msg: CancelInput): Promise<unknown>;
}

/** Cancels a still running onboarding, deletes the tenant's stored secrets, and keeps the note. */
export async function offboardTenant(desk: Desk, store: string, tenantId: string, msg: CancelInput): Promise<Offboarding> {
  let progress = await desk.progress(tenantId);
  if (progress.status !== 'completed' && progress.status !== 'cancelled') {
    await desk.cancel(tenantId, { ...msg, reason: `offboarded: ${msg.reason}` });
    progress = await desk.progress(tenantId);
  }
  // Before the secrets go: the checks would otherwise fail on them.
  await stopHealth(desk.client, tenantId, { reason: `offboarded: ${msg.reason}`, by: msg.by });
  const done: Offboarding = {
    tenantId,
    at: new Date().toISOString(),
    by: msg.by,
    reason: msg.reason,
    runStatus: progress.status,
    runStartedAt: progress.startedAt,
    secretFilesDeleted: deleteStoredSecrets(store, tenantId),
  };
  recordOffboarding(store, done);
  return done;
}
