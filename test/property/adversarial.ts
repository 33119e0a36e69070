import fc from 'fast-check';

/**
 * Bad input, on purpose: generators of the values people (and attackers) send, and independent
 * oracles of what a valid value is. The oracles are written without the schemas' regexes (char by
 * char), so a schema that drifts from the rule is caught rather than copied.
 */

/** `FUZZ_RUNS=2000 npx jest test/property` for a deep run; the default keeps the suite quick. */
export const runs = (fallback: number): number => {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** Strings that have broken parsers before: controls, line breaks, bidi, zero-width, emoji, lone surrogates. */
export const NASTY_FRAGMENTS = [
  '',
  ' ',
  '\t',
  '\r\n',
  '\n',
  '\r',
  '\0',
  '\x07',
  '\x1b[31m',
  '\x7f',
  '\x85',
  '\u2028',
  '\u2029',
  '\v',
  '\f',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u180e',
  '\u3164',
  '\u{e0041}',
  '\u00a0',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u061c',
  'مرحبا',
  'שלום',
  '👨‍👩‍👧',
  '🦄',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  'é',
  '%0d%0a',
  '\r\nX-Injected: 1',
  '__proto__',
  'constructor',
  'prototype',
  '"',
  "'",
  '\\',
  '<script>',
  '${x}',
  '.',
  '-',
  ':',
  ';',
  '@',
  '[::1]',
  '127.0.0.1',
] as const;

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Any string, weighted towards the nasty ones and towards huge ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY_FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '+1', 'x.', '9', '\u200b'), fc.integer({ min: 250, max: 70_000 })).map(([c, n]) => c.repeat(n)) },
);

/** A value of the wrong JSON type, or no value at all. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(Number.NaN),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** `depth` levels of `{ a: { a: ... } }` or `[[...]]`: parsers that recurse must not fall over. */
export function deeplyNested(depth: number, kind: 'object' | 'array'): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
}
export const deep: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), fc.constantFrom('object', 'array') as fc.Arbitrary<'object' | 'array'>)
  .map(([d, k]) => deeplyNested(d, k));

/** An object with an *own* `__proto__` key, as JSON.parse makes it (an object literal would set the prototype instead). */
export const withProtoKey = (inner: unknown): Record<string, unknown> => JSON.parse(`{"__proto__": ${JSON.stringify(inner ?? null)}}`);

/** Anything a field might be sent: a nasty string, a wrong type, deep nesting, a prototype-pollution object. */
export const anyFieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: nastyString },
  { weight: 2, arbitrary: wrongType },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS).map((k) => JSON.parse(`{"${k}": {"polluted": "yes"}}`)) },
);

// ---------------------------------------------------------------------------------------------
// Oracles: what a valid value is, char by char.

const isDigit = (c: string) => c >= '0' && c <= '9';
const isAsciiLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string) => isDigit(c) || isAsciiLetter(c);
/** No lone surrogate: every high surrogate is followed by a low one, and every low one follows a high one. */
function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (u >= 0xdc00 && u <= 0xdfff) return false;
  }
  return true;
}
const isTrimSpace = (s: string) => s !== s.trim();

/** E.164 as a person may paste it (surrounding whitespace is trimmed): + then 8-15 digits, the first not 0. */
export function isE164(raw: string): boolean {
  const s = raw.trim();
  const digits = s.slice(1);
  return s[0] === '+' && digits.length >= 8 && digits.length <= 15 && digits[0] !== '0' && [...digits].every(isDigit);
}

/** A DNS label for a host: 1-63 letters, digits or dashes, not starting or ending with a dash. */
function isLabel(l: string): boolean {
  return l.length >= 1 && l.length <= 63 && [...l].every((c) => isAlnum(c) || c === '-') && l[0] !== '-' && l.at(-1) !== '-';
}

/** A fully qualified domain name: at least two labels, no trailing dot, an alphabetic TLD (so never an IP literal), at most 253 characters. */
export function isFqdn(raw: string): boolean {
  const s = raw.trim();
  if (s.length > 253) return false;
  const labels = s.split('.');
  const tld = labels.at(-1) ?? '';
  return labels.length >= 2 && labels.every(isLabel) && isAsciiLetter(tld[0] ?? '');
}

/** RFC 3261 `token`: what a SIP header name is made of (capped at 64). */
export function isSipHeaderName(s: string): boolean {
  return s.length >= 1 && s.length <= 64 && [...s].every((c) => isAlnum(c) || "-.!%*_+`'~".includes(c));
}

/**
 * A SIP header value, kept as given (not trimmed): at most 256 characters (code points), valid UTF-16 (a lone
 * surrogate has no UTF-8 form), and none of the characters a person's text may not hold (below):
 * no CR/LF or other line break to start a new header, no tab either, no bidi control, nothing invisible.
 */
export function isSipHeaderValue(s: string): boolean {
  return [...s].length <= 256 && wellFormed(s) && ![...s].some(isForbiddenInText);
}

/** A tenant id: a lowercase slug of 3-40 letters, digits and dashes, not starting or ending with a dash. */
export function isTenantId(s: string): boolean {
  return s.length >= 3 && s.length <= 40 && [...s].every((c) => isDigit(c) || (c >= 'a' && c <= 'z') || c === '-') && s[0] !== '-' && s.at(-1) !== '-';
}

/**
 * Unicode's format characters (general category Cf, as of Unicode 17): zero-width space, joiners
 * and non-joiner, word joiner and invisible operators, BOM, soft hyphen, bidi marks, embeddings,
 * overrides and isolates, Arabic and Syriac number marks, interlinear annotation, tag characters.
 * Written out here, not taken from `\p{Cf}`; a test checks the list against the runtime's Unicode.
 */
export const FORMAT_CHARACTERS: ReadonlyArray<readonly [from: number, to: number]> = [
  [0x00ad, 0x00ad],
  [0x0600, 0x0605],
  [0x061c, 0x061c],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x0890, 0x0891],
  [0x08e2, 0x08e2],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];
/** Hangul fillers: letters by category, blank on screen. */
const HANGUL_FILLERS = [0x115f, 0x1160, 0x3164, 0xffa0];

/**
 * What no text a person gives us may hold (names, comments, SIP header values): controls (C0 with
 * tab, CR and LF; DEL; C1 with NEL), the line and paragraph separators, format characters (which
 * include every bidi control and zero-width character) and the Hangul fillers.
 */
function isForbiddenInText(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    FORMAT_CHARACTERS.some(([from, to]) => cp >= from && cp <= to) ||
    HANGUL_FILLERS.includes(cp)
  );
}

/** One line of visible text, non-blank once trimmed, at most `max` characters (code points: an emoji is one) once trimmed. */
export function isOneLineText(raw: string, max: number): boolean {
  const s = raw.trim();
  return s.length >= 1 && [...s].length <= max && wellFormed(s) && ![...s].some(isForbiddenInText);
}

/** The SIP URI user part: unreserved, escaped (%XX) or user-unreserved characters (`;` is left to parameters). */
function isSipUser(u: string): boolean {
  if (!u.length) return false;
  for (let i = 0; i < u.length; i++) {
    const c = u[i]!;
    if (c === '%') {
      if (!/^[0-9A-Fa-f]{2}$/.test(u.slice(i + 1, i + 3))) return false;
      i += 2;
    } else if (!(isAlnum(c) || "-_.!~*'()&=+$,?/".includes(c))) return false;
  }
  return true;
}

const isParamChars = (s: string, extra: string) => s.length > 0 && [...s].every((c) => isAlnum(c) || "-_.!~*'%+".includes(c) || extra.includes(c));

/** At most 256 characters (once trimmed): `sip:` or `sips:`, an optional `user@`, a host (labels; an IPv4 literal has that shape), an optional port 1-65535, `;name[=value]` parameters. */
export function isSipUri(raw: string): boolean {
  const s = raw.trim();
  if (s.length > 256) return false;
  const scheme = s.startsWith('sips:') ? 'sips:' : s.startsWith('sip:') ? 'sip:' : undefined;
  if (!scheme) return false;
  const [addr = '', ...params] = s.slice(scheme.length).split(';');
  if (
    !params.every((p) => {
      const [name = '', value, ...more] = p.split('=');
      return more.length === 0 && isParamChars(name, '') && (value === undefined || isParamChars(value, '[]/:&$'));
    })
  )
    return false;
  const at = addr.lastIndexOf('@');
  if (at >= 0 && !isSipUser(addr.slice(0, at))) return false;
  const hostPort = addr.slice(at + 1);
  const [host = '', port, ...rest] = hostPort.split(':');
  if (rest.length) return false;
  if (port !== undefined && !(port.length >= 1 && port.length <= 5 && [...port].every(isDigit) && Number(port) >= 1 && Number(port) <= 65535)) return false;
  return host.split('.').every(isLabel);
}

export const isTransferTarget = (s: string) => isE164(s) || isSipUri(s);

/** Whether a value carries surrounding whitespace the schema trims away (for comparing outputs). */
export const trimmed = (s: string) => (isTrimSpace(s) ? s.trim() : s);

/** Object.prototype must never gain a key from parsing someone's input. */
export function prototypeIsClean(): boolean {
  return Object.getOwnPropertyNames(Object.prototype).every((k) => OBJECT_PROTOTYPE_KEYS.has(k)) && ({} as Record<string, unknown>).polluted === undefined;
}
const OBJECT_PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

// ---------------------------------------------------------------------------------------------
// Almost-valid values: the shape of the real thing with one part off, so the rules' edges get hit.

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const alnumChars = fc.string({ unit: pick(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 12 });
/** A part of a name: mostly ordinary characters, sometimes a nasty one. */
const part = fc.oneof(
  { weight: 4, arbitrary: alnumChars },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

/** Labels joined by dots, with trailing dots, IP literals (v4, v6, bracketed), dashes at the edges, long labels. */
export const hostish: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: alnumChars },
        { weight: 1, arbitrary: part },
        { weight: 1, arbitrary: pick('-a', 'a-', 'a-b', 'xn--80ak6aa92e', '', 'a'.repeat(64), '1') },
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((ls) => ls.join('.')),
  fc.ipV4().map((ip) => ip),
  fc.ipV6().map((ip) => ip),
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.tuple(alnumChars, alnumChars).map(([a, b]) => `${a}.${b}.`),
  fc.domain(),
  fc.domain().map((d) => `${d}.`),
  pick('localhost', '0x7f.1', 'a.b.c.d.e.f.g.example', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.com`, 'zoom.example.com\r\n'),
);

export const fqdnish: fc.Arbitrary<string> = fc.oneof(
  hostish,
  fc.tuple(pick('', ' ', '\t', '\u200b'), hostish, pick('', ' ', '\n', '\u200b', '.')).map(([a, h, b]) => `${a}${h}${b}`),
);

/** `+` and digits, with spaces, letters, too few or too many digits, a leading 0, full-width or Arabic-Indic digits. */
export const didish: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(pick('+', '', '00', '+0', '++', ' +'), fc.string({ unit: pick(...'0123456789'), minLength: 0, maxLength: 18 })).map(([p, d]) => p + d),
  fc
    .tuple(
      pick('+1', '+44'),
      fc.array(
        fc.oneof(fc.string({ unit: pick(...'0123456789'), minLength: 1, maxLength: 4 }), pick(' ', '-', 'a', 'O', '\u200b', '٣', '３', '\n', '.', '(', ')')),
        { maxLength: 6 },
      ),
    )
    .map(([p, xs]) => p + xs.join('')),
  fc.integer({ min: 1_000_000, max: Number.MAX_SAFE_INTEGER }).map((n) => `+${n}`),
);

/** A well-formed SIP URI of exactly `n` characters (n >= 20), for the length cap's edge. */
const sipUriOfLength = (n: number) => `sip:${'u'.repeat(n - 'sip:@zcc.example.com'.length)}@zcc.example.com`;

/** `sip:`/`sips:` URIs with odd users, hosts, ports and parameters, and well-formed ones around the length cap. */
export const sipUriish: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 240, max: 272 }).map(sipUriOfLength) },
  { weight: 1, arbitrary: fc.constantFrom(60_000, 257, 256).map(sipUriOfLength) },
  { weight: 8, arbitrary: oddSipUri() },
);
function oddSipUri(): fc.Arbitrary<string> {
  return fc
    .tuple(
      pick('sip:', 'sips:', 'SIP:', 'sip', 'tel:', 'sip:sip:', ''),
      fc.option(
        fc.oneof(alnumChars, part, pick('+14155550142', 'a%20b', 'a%zz', 'a:b', 'a@b', 'bob;x', 'bob\r\nVia: evil')).map((u) => `${u}@`),
        { nil: '' },
      ),
      hostish,
      fc.option(
        fc.oneof(fc.integer({ min: 0, max: 100_000 }).map(String), pick('', 'abc', '5061 ', '-1')).map((p) => `:${p}`),
        { nil: '' },
      ),
      fc
        .array(
          fc.oneof(
            pick(';transport=tls', ';lr', ';x', ';=', ';a=b=c', ';x=\r\n', ';x= y', ';maddr=[::1]'),
            part.map((p) => `;${p}`),
          ),
          { maxLength: 2 },
        )
        .map((ps) => ps.join('')),
    )
    .map(([s, u, h, p, ps]) => `${s}${u}${h}${p}${ps}`);
}

/** Tenant ids: slugs of every length, with capitals, underscores, dots, dashes at the edges, unicode look-alikes. */
export const tenantIdish: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: pick(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 0, maxLength: 45 }),
  fc
    .tuple(
      fc.string({ unit: pick(...'abc012-'), minLength: 1, maxLength: 12 }),
      pick('A', '_', '.', ' ', '\u0430', 'é', '\n', '%2F', '/', '..'),
      fc.string({ unit: pick(...'abc012-'), minLength: 1, maxLength: 12 }),
    )
    .map(([a, x, b]) => a + x + b),
);

/** A header name: tokens, separators that are not token characters, controls, prototype keys. */
export const headerNameish: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: pick(...'AZaz09-.!%*_+`\'~ :;@()<>/[]?={}"\\\t'), minLength: 0, maxLength: 70 }),
  pick(...PROTO_KEYS, 'X-Acme-Queue', 'X-Evil\r\n', 'X-Evil\r\nVia', 'x'.repeat(65)),
  nastyString,
);
