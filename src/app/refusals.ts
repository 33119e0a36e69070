import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { Config } from '../config';
import { TenantFile } from '../domain/tenant';
import { secretChangeErrors } from '../secret-changes';
import type { SecretRefOrigin } from '../secret-store';
import { tenantOutboundErrors } from '../integrations/outbound-url';
import { isRefusalCode, type FieldError } from '../../workflows/contract';
import { OnboardingNotFound, Refused } from './errors';

/** Evidence refusals that name every error at once (the complete action's). */
export { crossChecked } from './cross-checks';

/** What the app refuses of an amendment before its Update: secrets, the notify webhook, fields no tenant has. */
export function amendmentErrors(tenantId: string, changes: Record<string, unknown>, config: Config, origin: SecretRefOrigin): FieldError[] {
  return [
    ...secretChangeErrors(tenantId, changes, { origin, policy: config.secrets }),
    ...webhookChangeErrors(changes, config.outbound.allowLocalWebhooks),
    ...unknownFieldErrors(changes),
  ];
}

/** A new notify webhook must pass the same outbound rules as at the start. */
export function webhookChangeErrors(changes: Record<string, unknown>, allowLocal: boolean): Array<{ field: string; message: string }> {
  const url = (changes.contacts as { notifyWebhookUrl?: unknown } | undefined)?.notifyWebhookUrl;
  if (typeof url !== 'string') return [];
  return tenantOutboundErrors({ contacts: { notifyWebhookUrl: url } }, { allowLocal }).map((e) => ({ ...e, field: `changes.${e.field}` }));
}

/** The object schema inside optional, nullable, default and pipe wrappers, if any. */
function objectOf(schema: z.ZodType): z.ZodObject | undefined {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s && i < 8; i++) {
    const def = s._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.type === 'object') return s as z.ZodObject;
    s = def.innerType ?? def.in;
  }
  return undefined;
}

/**
 * Names in a tenant merge patch that no tenant has, however deep (the top level is checked by the
 * Update's own validator; the rest only once the workflow merges). Said here, before the Update, so
 * the answer names them whatever happens next, an Update id seen before included: that would
 * answer with its first outcome and never judge this body.
 */
export function unknownFieldErrors(changes: Record<string, unknown>): Array<{ field: string; message: string }> {
  const errors: Array<{ field: string; message: string }> = [];
  const walk = (patch: Record<string, unknown>, schema: z.ZodObject, at: string) => {
    for (const [key, value] of Object.entries(patch)) {
      const field = schema.shape[key] as z.ZodType | undefined;
      if (!field) errors.push({ field: `${at}.${key}`, message: 'is not a tenant field' });
      else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const inner = objectOf(field);
        if (inner) walk(value as Record<string, unknown>, inner, `${at}.${key}`);
      }
    }
  };
  walk(changes, objectOf(TenantFile)!, 'changes');
  return errors;
}

/** What a refused Update said, as a Refused error (code, message, per-field errors). */
export function refusalOf(err: unknown): Refused | undefined {
  if (!(err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)) return undefined;
  const code = err.cause.type ?? '';
  if (!isRefusalCode(code)) return undefined;
  const fields = Array.isArray(err.cause.details?.[0]) ? (err.cause.details[0] as FieldError[]) : [];
  return new Refused(code, err.cause.message, fields);
}

/** An Update or Signal to a run that has ended is "not found" to Temporal; to a person it is a finished run, refused as such. */
export async function closedOrMissing(tenantId: string, handle: WorkflowHandle): Promise<Error> {
  const missing = new OnboardingNotFound(`no onboarding for tenant ${tenantId}; start one with \`onboard start <tenant.json>\``);
  const status = await handle.describe().then(
    (d) => d.status.name,
    () => undefined,
  );
  if (!status || status === 'RUNNING') return missing;
  const ended =
    status === 'COMPLETED'
      ? await handle.result().then(
          (r) => r.status,
          () => 'completed',
        )
      : status.toLowerCase();
  return new Refused('RunFinished', `the onboarding of ${tenantId} is ${ended}; nothing in it can change now (start a new one to redo it)`, []);
}
