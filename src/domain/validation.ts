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

/**
 * RFC 3261's shape, kept to what a trunk needs: `sip:`/`sips:`, an optional user (unreserved,
 * `%XX` or user-unreserved characters), a host of DNS labels (an IPv4 literal has that shape), a
 * port 1-65535 and `;name[=value]` parameters of token characters. Nothing else, so no control
 * character or line break can ride along into a SIP message.
 */
const SIP_USER = String.raw`(?:[A-Za-z0-9\-_.!~*'()&=+$,?/]|%[0-9A-Fa-f]{2})+`;
const SIP_HOST = String.raw`(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*`;
const SIP_PARAM = String.raw`;[A-Za-z0-9\-_.!~*'%+]+(?:=[A-Za-z0-9\-_.!~*'%+\[\]/:&$]+)?`;
const SIP_URI = new RegExp(`^sips?:(?:${SIP_USER}@)?${SIP_HOST}(?::(\\d{1,5}))?(?:${SIP_PARAM})*$`);
export const SipUri = z
  .string()
  .trim()
  .regex(SIP_URI, 'is not a SIP URI (expected sip:user@host or sips:host)')
  .refine((v) => {
    const port = SIP_URI.exec(v)?.[1];
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  }, 'has a port outside 1-65535');

/** RFC 3261 `token` characters: what a SIP header name may contain. */
export const SipHeaderName = z.string().regex(/^[A-Za-z0-9\-.!%*_+`'~]{1,64}$/, "is not a valid SIP header name (letters, digits and -.!%*_+`'~ only)");
/** RFC 3261 TEXT-UTF8 with LWS: tab is the only control character a header value may hold. */
export const SipHeaderValue = z
  .string()
  .max(256, 'is longer than 256 characters')
  .refine((v) => !/[\r\n\0]/.test(v), 'must not contain line breaks (header injection)')
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .refine((v) => !/[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\p{Cs}/u.test(v), 'must not contain control characters or broken unicode');

/** Where a call is transferred: an E.164 number or a SIP URI. */
export const TransferTarget = z.union([E164, SipUri], { error: 'is neither an E.164 number nor a sip:/sips: URI' });

/** Any line break, including the Unicode ones a terminal or a log viewer honours. */
const LINE_BREAK = /[\r\n\v\f\x85\u2028\u2029]/;
/**
 * What has no place in a name a person typed: control characters (an ANSI escape repaints the
 * terminal `onboard status` prints to), bidi overrides and isolates (they reorder what is shown,
 * "Trojan Source"), and lone surrogates (not text; no UTF-8 form).
 */
const UNPRINTABLE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

export const NonBlank = (max = 200) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `is longer than ${max} characters`)
    .refine((v) => !LINE_BREAK.test(v), 'must be one line')
    .refine((v) => !UNPRINTABLE.test(v), 'must not contain control characters, bidi overrides or broken unicode');

/**
 * A JSON object of named values. zod drops an own `__proto__` key silently (assigning it would
 * replace the result's prototype); something a person sent must not vanish without a word, so
 * such a key is refused by name instead.
 */
export const NamedValues = <V extends z.ZodTypeAny>(value: V, protoMessage: string) =>
  z.preprocess(
    (raw, ctx) => {
      if (raw && typeof raw === 'object' && Object.hasOwn(raw, '__proto__')) ctx.addIssue({ code: 'custom', path: ['__proto__'], message: protoMessage });
      return raw;
    },
    z.record(z.string(), value),
  );

/**
 * A key as an error line shows it: as written when it is plain printable ASCII, otherwise (empty,
 * a line break, a control character, any non-ASCII, very long) quoted as JSON and cut short, so
 * a key someone sent can neither split the one-line error nor flood it.
 */
export function shownKey(key: PropertyKey): string {
  const s = String(key);
  return /^[\x20-\x7e]{1,64}$/.test(s) && !s.includes('"') ? s : quoted(s);
}

/**
 * A value someone sent, quoted for an error line: JSON (which escapes C0 controls and lone
 * surrogates), cut at 60, with what JSON leaves raw but a terminal or log viewer acts on (DEL, C1,
 * U+2028/2029, bidi overrides) escaped too.
 */
export function quoted(s: string): string {
  return escapeInvisible(JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s));
}
export const escapeInvisible = (s: string): string =>
  s.replace(/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `a.b.c` from a zod issue path, each key shown as `shownKey` does. */
export const fieldPath = (segments: readonly PropertyKey[]): string => segments.map(shownKey).join('.');

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
    const where = [...(prefix ? [prefix] : []), ...i.path.map(shownKey)].join('.');
    // zod quotes unknown keys raw; someone's key may hold a line break, so quote it ourselves.
    const message = i.code === 'unrecognized_keys' ? `Unrecognized key${i.keys.length > 1 ? 's' : ''}: ${i.keys.map(quoted).join(', ')}` : i.message;
    return `${where || '(value)'}: ${message}`;
  });
}
