import type { z } from 'zod';
import { KORE_REGIONS } from '../kore-regions';
import type { PublicTenant, TenantInput } from '../tenant';

/**
 * What instructions and cross-checks are rendered from: the tenant's own values and the evidence
 * earlier steps handed back (the connector's domain and DID reach the SIP-trunk step this way).
 */
export interface InstructionContext {
  tenant: PublicTenant;
  /** Evidence of the steps done so far, by step id. */
  evidence: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * One earlier step's evidence, typed by that step's own schema (read through it, so a value the
 * schema no longer accepts reads as absent rather than as the wrong type).
 */
export function evidenceOf<E extends z.ZodObject>(ctx: InstructionContext, step: { id: string; evidence: E }): z.infer<E> | undefined {
  const raw = ctx.evidence[step.id];
  if (raw === undefined) return undefined;
  const r = step.evidence.safeParse(raw);
  return r.success ? r.data : undefined;
}

/** Shown where a value an earlier step hands over is not there yet. */
export const pending = (what: string, step: string) => `<${what} from step ${step}>`;

export const koreBaseUrlOf = (ctx: InstructionContext) => KORE_REGIONS[ctx.tenant.kore.region].baseUrl;

type Leaf = string | number | boolean | null | undefined | readonly unknown[];
type Paths<T> = {
  [K in keyof T & string]: NonNullable<T[K]> extends Leaf ? K : string extends keyof NonNullable<T[K]> ? K : K | `${K}.${Paths<NonNullable<T[K]>>}`;
}[keyof T & string];
/** A tenant field as a dotted path ('kore.botId'); secret fields too, by name, since verifiers use them. */
export type TenantField = Paths<TenantInput>;
