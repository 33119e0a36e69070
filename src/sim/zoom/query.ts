import type { FastifyRequest } from 'fastify';
import { ZoomFailure } from './errors';

/**
 * Query parameter limits from Zoom's Contact Center OpenAPI document (enums, required parameters,
 * date formats). A value outside them is refused as Zoom refuses it: 400 `{code, message}`, code 300
 * unless the operation documents its own (3210 for `flows_entry_points`' channel). Parameters the
 * document does not name are ignored, as Zoom ignores them.
 */
export interface ParamRule {
  oneOf?: readonly string[];
  required?: boolean;
  /** `yyyy-mm-dd` or `yyyy-MM-ddTHH:mm:ssZ`, the two forms Zoom documents for engagement windows. */
  dateOrInstant?: boolean;
  /** An array parameter (`channel_sources`): repeated, each value checked. */
  many?: boolean;
  code?: number;
}

export const CHANNELS = ['voice', 'video', 'messaging', 'email'] as const;
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

export function invalidParam(name: string, why: string, code = 300): ZoomFailure {
  return new ZoomFailure(400, { code, message: `Invalid parameter ${name}: ${why}.` });
}

export function checkQuery(req: FastifyRequest, rules: Record<string, ParamRule>): void {
  const q = req.query as Record<string, unknown>;
  for (const [name, rule] of Object.entries(rules)) {
    const value = q[name];
    if (value === undefined || value === '') {
      if (rule.required) throw invalidParam(name, 'required', rule.code);
      continue;
    }
    if (typeof value !== 'string' && !(rule.many && Array.isArray(value))) throw invalidParam(name, 'given more than once', rule.code);
    const values = ([] as unknown[]).concat(value).map(String);
    if (rule.oneOf && values.some((v) => !rule.oneOf!.includes(v))) throw invalidParam(name, `must be one of ${rule.oneOf.join(', ')}`, rule.code);
    if (typeof value !== 'string') continue;
    if (rule.dateOrInstant && (!DATE_OR_INSTANT.test(value) || Number.isNaN(Date.parse(value)))) {
      throw invalidParam(name, 'must be yyyy-mm-dd or yyyy-MM-ddTHH:mm:ssZ', rule.code);
    }
  }
}
