import { z } from 'zod';
import { lazySchema } from './lazy-schema';

/**
 * Field rules shared by the tenant schema, the evidence schemas and the message payloads, each with
 * a message a person can act on. Workflow-safe: zod only.
 */

/**
 * The one set of character rules for text a person gives us (names, comments, SIP header values,
 * numbers, domains, URIs): what has no place in it, whatever the field.
 * - control characters (C0, DEL, C1; tab too): an ANSI escape repaints the terminal `onboard
 *   status` prints to, a NUL or CR ends a SIP header early;
 * - line breaks of any kind (LF, CR, VT, FF, NEL U+0085, U+2028, U+2029): they split a log line, an
 *   error line or a SIP header;
 * - bidi controls (overrides, embeddings, isolates, marks): they reorder what is shown ("Trojan
 *   Source"), so what a reviewer reads is not what is stored;
 * - invisible format characters (zero-width space/joiners, word joiner, BOM, soft hyphen, tag
 *   characters: all of Unicode's Cf) and the Hangul fillers (letters that render as nothing): two
 *   values that look the same would differ;
 * - lone surrogates: not text, with no UTF-8 form.
 * Surrounding whitespace is trimmed first where a field trims (so a pasted name's trailing newline
 * goes); inside the value, each of these is refused by name and code point.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]|\p{Cs}/u;
const LINE_BREAKS = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029]);
const isBidiControl = (cp: number) => cp === 0x061c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
const codePoint = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` is not acceptable from a person (one line, naming the first bad character), or undefined when it is. */
export function forbiddenCharacter(text: string): string | undefined {
  const found = FORBIDDEN.exec(text)?.[0];
  if (found === undefined) return undefined;
  const cp = found.codePointAt(0)!;
  if (LINE_BREAKS.has(cp)) return `must be one line (it holds a line break, ${codePoint(cp)})`;
  if (cp < 0xa0) return `must not contain control characters (it holds ${codePoint(cp)})`;
  if (cp >= 0xd800 && cp <= 0xdfff) return `must not contain broken unicode (it holds a lone surrogate, ${codePoint(cp)})`;
  if (isBidiControl(cp)) return `must not contain bidi controls, which reorder what is shown (it holds ${codePoint(cp)})`;
  return `must not contain invisible characters (it holds ${codePoint(cp)})`;
}

/** `forbiddenCharacter` as a zod check, for any string schema. */
export const personText = (value: string, ctx: z.core.$RefinementCtx<string>): void => {
  const why = forbiddenCharacter(value);
  if (why) ctx.addIssue({ code: 'custom', message: why, input: value });
};

/**
 * How the OpenAPI document states these rules for a string (its `x-text`, which src/api/openapi-text.ts
 * turns into a pattern, since JSON Schema cannot run a refinement): `line`, the value as given holds
 * no refused character; `trimmed-line`, the same once surrounding whitespace is trimmed, and
 * something besides whitespace. (A value that must match a pattern of its own, like E164 or SipUri,
 * is documented by that pattern alone: the whitespace they trim is a courtesy the document leaves out.)
 */
export type TextRule = 'line' | 'trimmed-line';
export const textRule = (rule: TextRule) => ({ 'x-text': rule });

/**
 * At most `max` characters, counted as JSON Schema's maxLength counts them (code points: an emoji
 * is one, not the two UTF-16 units zod's `.max` would count), so the document's maxLength is the rule.
 */
const atMostChars = <S extends z.ZodString>(s: S, max: number) =>
  s.refine((v) => v.length <= max || [...v].length <= max, { error: `is longer than ${max} characters`, abort: true });

export const E164 = lazySchema(() =>
  z
    .string()
    .trim()
    .superRefine(personText)
    .regex(/^\+[1-9]\d{7,14}$/, 'is not an E.164 number (expected + and 8-15 digits, no spaces)'),
);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
export const Fqdn = lazySchema(() =>
  z
    .string()
    .trim()
    .max(253, { error: 'is longer than 253 characters', abort: true })
    .superRefine(personText)
    .refine((v) => !v.endsWith('.'), 'must not end with a dot')
    .refine((v) => !/^[\d.]+$/.test(v) && !v.includes(':') && !v.startsWith('['), 'must be a domain name, not an IP address')
    .refine((v) => {
      const labels = v.split('.');
      return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /^[a-z][a-z0-9-]*$/i.test(labels.at(-1)!);
    }, 'is not a fully qualified domain name (like abc123.zoomcc.example.com)'),
);

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
/** 1-65535 in at most five digits, as a pattern (the OpenAPI document's; the code reads the number). */
const SIP_PORT = String.raw`(?:0{0,4}[1-9]|0{0,3}[1-9]\d|0{0,2}[1-9]\d\d|0?[1-9]\d{3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5])`;
/** The longest SIP URI (and transfer target) we take: a trunk's URI is short; 60 KB is not a URI. */
export const SIP_URI_MAX = 256;
export const SipUri = lazySchema(() =>
  z
    .string()
    .trim()
    // Not `abort`: in TransferTarget's union an aborted branch would hand the other branch's message
    // back. The checks after it stay linear (a few ms on 60 KB), and the first message per field wins.
    .max(SIP_URI_MAX, `is longer than ${SIP_URI_MAX} characters`)
    .superRefine(personText)
    .regex(SIP_URI, 'is not a SIP URI (expected sip:user@host or sips:host)')
    .refine((v) => {
      const port = SIP_URI.exec(v)?.[1];
      return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
    }, 'has a port outside 1-65535')
    .meta({ pattern: `^sips?:(?:${SIP_USER}@)?${SIP_HOST}(?::${SIP_PORT})?(?:${SIP_PARAM})*$` }),
);

/** RFC 3261 `token` characters: what a SIP header name may contain. */
export const SIP_HEADER_NAME = /^[A-Za-z0-9\-.!%*_+`'~]{1,64}$/;
export const SipHeaderName = lazySchema(() => z.string().regex(SIP_HEADER_NAME, "is not a valid SIP header name (letters, digits and -.!%*_+`'~ only)"));
/**
 * RFC 3261 TEXT-UTF8, kept as given (not trimmed), under the character rules above: no CR/LF or
 * Unicode line break to start a new header, no bidi control or invisible character to disguise the
 * value. Stricter than the RFC in one way: no tab either (LWS allows it; no header we send needs it).
 */
export const SipHeaderValue = lazySchema(() =>
  atMostChars(z.string(), 256)
    .superRefine(personText)
    .meta({ maxLength: 256, ...textRule('line') }),
);

/**
 * Where a call is transferred: an E.164 number or a SIP URI (so at most 256 characters). A union,
 * so the OpenAPI document shows both shapes; a value too long or holding a character no text may
 * hold is told that, rather than which shapes it is not.
 */
export const TransferTarget = lazySchema(() =>
  z.union([E164, SipUri], {
    error: (issue) => {
      const v = typeof issue.input === 'string' ? issue.input.trim() : undefined;
      if (v !== undefined && v.length > SIP_URI_MAX) return `is longer than ${SIP_URI_MAX} characters`;
      return (v !== undefined && forbiddenCharacter(v)) || 'is neither an E.164 number nor a sip:/sips: URI';
    },
  }),
);

/** One line of a person's text: a name, a comment, a reason. */
export const NonBlank = (max = 200) =>
  atMostChars(z.string().trim().min(1, 'is required'), max)
    .superRefine(personText)
    .meta({ maxLength: max, ...textRule('trimmed-line') });

/**
 * A JSON object of named values. zod drops an own `__proto__` key silently (assigning it would
 * replace the result's prototype); something a person sent must not vanish without a word, so
 * such a key is refused by name instead.
 */
export const NamedValues = <V extends z.ZodTypeAny>(value: V, protoMessage: string) =>
  z
    .preprocess(
      (raw, ctx) => {
        if (raw && typeof raw === 'object' && Object.hasOwn(raw, '__proto__')) ctx.addIssue({ code: 'custom', path: ['__proto__'], message: protoMessage });
        return raw;
      },
      z.record(z.string(), value),
    )
    .meta({ propertyNames: { not: { const: '__proto__' } } });

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
 * surrogates), cut at 60, with what JSON leaves raw but the character rules above refuse (DEL, C1,
 * Unicode line breaks, bidi controls, invisible characters) escaped too, so the line shows them.
 */
export function quoted(s: string): string {
  return escapeInvisible(JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s));
}
const INVISIBLE_IN_JSON = /[\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/gu;
export const escapeInvisible = (s: string): string =>
  s.replace(INVISIBLE_IN_JSON, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));

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
