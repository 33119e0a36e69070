import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { TenantFile } from '../domain/tenant';
import { SimAdminClient } from '../sim/admin-client';

/**
 * What a running `onboard dev` tells other commands on this machine (`onboard rehearse` uses its
 * Temporal server, worker and simulators, so a rehearsal shows in the dev Web UI and dashboard).
 * A file under the state dir, 0600, removed when dev stops; it holds addresses, never a secret.
 */
export const DevStack = z.object({
  pid: z.number().int(),
  temporalAddress: z.string().min(1),
  taskQueue: z.string().min(1),
  koreUrl: z.string().min(1),
  zoomUrl: z.string().min(1),
  apiUrl: z.string().min(1),
  /** The payload key file dev encrypts with (a path; the keys stay in it), when keys come from a file. */
  codecKeysFile: z.string().min(1).optional(),
  /** Dev's keys came from ONBOARD_CODEC_KEYS (inline): only a shell with the same variable can share its stack. */
  codecKeysInline: z.boolean().optional(),
});
export type DevStack = z.infer<typeof DevStack>;

export const devStackFile = (stateDir: string) => path.join(stateDir, 'dev-stack.json');

export function writeDevStack(stateDir: string, stack: DevStack): () => Promise<void> {
  const file = devStackFile(stateDir);
  fs.writeFileSync(file, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
  return async () => {
    // Only ours: a second dev that started meanwhile owns the file now.
    try {
      if (DevStack.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).pid === stack.pid) fs.rmSync(file, { force: true });
    } catch {
      // Gone or unreadable: nothing to remove.
    }
  };
}

/** The running dev stack, if its process is alive and its simulators answer; else undefined. */
export async function runningDevStack(stateDir: string): Promise<DevStack | undefined> {
  let stack: DevStack;
  try {
    stack = DevStack.parse(JSON.parse(fs.readFileSync(devStackFile(stateDir), 'utf8')));
    process.kill(stack.pid, 0);
  } catch {
    return undefined;
  }
  try {
    const admin = new SimAdminClient({ koreUrl: stack.koreUrl, zoomUrl: stack.zoomUrl, timeoutMs: 2_000 });
    await Promise.all([admin.listFaults('kore'), admin.listFaults('zoom')]);
    return stack;
  } catch {
    return undefined;
  }
}

/**
 * The tenant with fresh ids (tenant, bot, JWT app, Zoom account) so a rehearsal on a shared
 * stack never meets an earlier one: each gets its own workflow and its own simulated apps.
 */
export function freshRehearsalTenant(t: TenantFile): TenantFile {
  const tag = `r${randomBytes(3).toString('hex')}`;
  const base = t.tenantId.slice(0, 40 - tag.length - 1).replace(/-+$/, '');
  return {
    ...t,
    tenantId: `${base}-${tag}`,
    kore: {
      ...t.kore,
      botId: `${t.kore.botId}-${tag}`,
      clientId: `${t.kore.clientId}-${tag}`,
      adminApp: t.kore.adminApp && { ...t.kore.adminApp, clientId: `${t.kore.adminApp.clientId}-${tag}` },
    },
    zoom: { ...t.zoom, accountId: `${t.zoom.accountId}-${tag}`, clientId: `${t.zoom.clientId}-${tag}` },
  };
}
