import fs from 'node:fs';
import { z } from 'zod';
import type { Simulators } from './index';

/** A demo tenant for the simulators, so a person can rehearse an onboarding with no real tenant. */
export const SimSeed = z.object({
  kore: z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    botId: z.string().min(1),
    botName: z.string().optional(),
    scopes: z.array(z.string()).optional(),
  }),
  zoom: z.object({
    accountId: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scopes: z.array(z.string()).optional(),
  }),
});
export type SimSeed = z.infer<typeof SimSeed>;

export function readSeed(file: string): SimSeed {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = SimSeed.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${file}: ${i.path.join('.')}: ${i.message}`);
  }
  return parsed.data;
}

export function applySeed(sims: Simulators, seed: SimSeed): void {
  sims.kore.world.addTenant(seed.kore);
  sims.zoom.world.addAccount(seed.zoom);
}
