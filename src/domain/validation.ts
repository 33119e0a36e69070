import { z } from 'zod';

/**
 * Field rules shared by the tenant schema and the evidence schemas, each with a message a person
 * can act on. Workflow-safe: zod only.
 */
export const E164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{7,14}$/, 'is not an E.164 number (expected + and 8-15 digits, no spaces)');

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
export const Fqdn = z
  .string()
  .trim()
  .max(253, 'is longer than 253 characters')
  .refine((v) => !v.endsWith('.'), 'must not end with a dot')
  .refine((v) => !/^[\d.]+$/.test(v) && !v.includes(':') && !v.startsWith('['), 'must be a domain name, not an IP address')
  .refine((v) => {
    const labels = v.split('.');
    return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /^[a-z][a-z0-9-]*$/i.test(labels.at(-1)!);
  }, 'is not a fully qualified domain name (like abc123.zoomcc.example.com)');

export const SipUri = z
  .string()
  .trim()
  .regex(/^sips?:(?:[^@\s:;]+@)?[A-Za-z0-9.-]+(?::\d{1,5})?(?:;[^\s]*)?$/, 'is not a SIP URI (expected sip:user@host or sips:host)');

/** RFC 3261 `token` characters: what a SIP header name may contain. */
export const SipHeaderName = z.string().regex(/^[A-Za-z0-9\-.!%*_+`'~]{1,64}$/, 'is not a valid SIP header name (letters, digits and -.!%*_+`\'~ only)');
export const SipHeaderValue = z
  .string()
  .max(256, 'is longer than 256 characters')
  .refine((v) => !/[\r\n\0]/.test(v), 'must not contain line breaks (header injection)');

/** Where a call is transferred: an E.164 number or a SIP URI. */
export const TransferTarget = z.union([E164, SipUri], { error: 'is neither an E.164 number nor a sip:/sips: URI' });

export const NonBlank = (max = 200) =>
  z.string().trim().min(1, 'is required').max(max, `is longer than ${max} characters`).refine((v) => !/[\0\r\n]/.test(v), 'must be one line');

/** The first issue for each field: one message per wrong field, in the order zod found them. */
export function firstIssuePerField(error: z.ZodError): z.core.$ZodIssue[] {
  const seen = new Set<string>();
  return error.issues.filter((i) => {
    const key = i.path.map(String).join('.');
    if (seen.has(key) && i.code !== 'unrecognized_keys') return false;
    seen.add(key);
    return true;
  });
}

/** `a.b: message` lines, one per wrong field. */
export function issueLines(error: z.ZodError, prefix = ''): string[] {
  return firstIssuePerField(error).map((i) => {
    const where = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return `${where || '(value)'}: ${i.message}`;
  });
}
