import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { shownKey } from '../../src/domain/validation';
import { parseTenantFile, TenantFile, TenantInput, TenantInvalid } from '../../src/domain/tenant';
import {
  anyFieldValue,
  didish,
  FORMAT_CHARACTERS,
  headerNameish,
  sipUriish,
  tenantIdish,
  isOneLineText,
  isSipHeaderName,
  isSipHeaderValue,
  isTenantId,
  isTransferTarget,
  nastyString,
  PROTO_KEYS,
  prototypeIsClean,
  runs,
  withProtoKey,
  wrongType,
} from './adversarial';

/**
 * The tenant file, attacked one field at a time: each bad value is refused with a line naming that
 * field, each value the rule allows is kept as given, and nothing ever throws past the parser.
 */
const example = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8'));

/** `parseTenantFile`'s verdict: the tenant, or its one-line-per-field errors. Anything else thrown fails the property. */
function verdict(raw: unknown): { ok: true; tenant: TenantFile } | { ok: false; lines: string[] } {
  try {
    return { ok: true, tenant: parseTenantFile(raw) };
  } catch (err) {
    if (err instanceof TenantInvalid) {
      // One line per wrong field, whatever the input held.
      for (const line of err.lines) expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
      return { ok: false, lines: err.lines };
    }
    throw err;
  }
}

function withField(fieldPath: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(example);
  copy.kore.adminApp = { clientId: 'cs-admin-0001', clientSecret: 'admin-secret-not-real' };
  const keys = fieldPath.split('.');
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k] ??= {};
  at[keys.at(-1)!] = value;
  return copy;
}

const get = (o: unknown, fieldPath: string) => fieldPath.split('.').reduce<any>((v, k) => v?.[k], o);

/** Fields with an independent rule of what is valid (string values); the schema must agree exactly. */
const RULED: Array<[string, (s: string) => boolean, fc.Arbitrary<string>]> = [
  ['tenantId', isTenantId, fc.oneof(nastyString, tenantIdish)],
  ['displayName', (s) => isOneLineText(s, 120), nastyString],
  ['agentTransfer.target', isTransferTarget, fc.oneof(nastyString, didish, sipUriish, sipUriish)],
  ['zoom.accountId', (s) => isOneLineText(s, 64), nastyString],
  ['zoom.clientId', (s) => isOneLineText(s, 64), nastyString],
];

/** Every field a person must give: a wrong type there is always refused, by name. */
const REQUIRED = [
  'tenantId',
  'displayName',
  'kore.region',
  'kore.botId',
  'kore.clientId',
  'kore.clientSecret',
  'zoom.accountId',
  'zoom.clientId',
  'zoom.clientSecret',
  'agentTransfer.option',
  'agentTransfer.target',
  'contacts.owner',
];
const OTHER_STRINGS = [
  ...REQUIRED,
  'contacts.notifyWebhookUrl',
  'reminders.firstAfter',
  'reminders.every',
  'reminders.escalateAfter',
  'kore.adminApp.clientId',
];

const names = (lines: string[]) => lines.map((l) => l.slice(0, l.indexOf(': ')));

afterEach(() => expect(prototypeIsClean()).toBe(true));

describe('tenant file under bad input', () => {
  it.each(RULED)('%s: refused by name exactly when its rule says invalid; kept (trimmed) when valid', (field, valid, values) => {
    fc.assert(
      fc.property(values, (value) => {
        const v = verdict(withField(field, value));
        if (valid(value)) {
          expect(v).toMatchObject({ ok: true });
          if (v.ok) expect(get(v.tenant, field)).toBe(field === 'tenantId' ? value : value.trim());
        } else {
          expect(v.ok).toBe(false);
          if (!v.ok) expect(names(v.lines)).toEqual([field]);
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it('a wrong type, deep nesting or a prototype-pollution object in any field is refused, naming that field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OTHER_STRINGS), fc.oneof(wrongType, anyFieldValue), (field, value) => {
        fc.pre(typeof value !== 'string' && !(value === undefined && !REQUIRED.includes(field)));
        const v = verdict(withField(field, value));
        expect(v.ok).toBe(false);
        if (!v.ok) expect(names(v.lines)).toEqual([field]);
      }),
      { numRuns: runs(300) },
    );
  });

  it('any string in any field: refused naming that field, or accepted; never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OTHER_STRINGS), nastyString, (field, value) => {
        const v = verdict(withField(field, value));
        if (!v.ok) expect(names(v.lines)).toEqual([field]);
      }),
      { numRuns: runs(300) },
    );
  });

  it('SIP headers: a name or value the RFC 3261 rule refuses is named; an accepted header arrives exactly as given', () => {
    fc.assert(
      fc.property(headerNameish, nastyString, (name, value) => {
        const headers = JSON.parse(`{${JSON.stringify(name)}: ${JSON.stringify(value)}}`);
        const v = verdict(withField('agentTransfer.sipHeaders', headers));
        const field = `agentTransfer.sipHeaders.${shownKey(name)}`;
        if (isSipHeaderName(name) && isSipHeaderValue(value) && name !== '__proto__') {
          expect(v).toMatchObject({ ok: true });
          if (v.ok) {
            expect(Object.entries(v.tenant.agentTransfer.sipHeaders)).toEqual([[name, value]]);
            expect(Object.getPrototypeOf(v.tenant.agentTransfer.sipHeaders)).toBe(Object.prototype);
          }
        } else {
          // `__proto__` cannot be a key of a plain object's output; it must be refused, not dropped.
          expect(v.ok).toBe(false);
          if (!v.ok) {
            expect(v.lines).toHaveLength(1);
            expect(v.lines[0]!.startsWith(`${field}: `)).toBe(true);
          }
        }
      }),
      { numRuns: runs(400) },
    );
  });

  it('unknown keys anywhere, prototype-pollution ones included, are refused in one line or ignored; Object.prototype is never touched', () => {
    const spot = fc.constantFrom('', 'kore', 'zoom', 'agentTransfer', 'contacts', 'reminders', 'kore.adminApp');
    fc.assert(
      fc.property(
        spot,
        fc.oneof(fc.constantFrom(...PROTO_KEYS), nastyString),
        fc.oneof(fc.constant({ polluted: 'yes' }), fc.constant({ tenantId: 'evil-tenant', clientSecret: 'x' }), nastyString),
        (where, key, inner) => {
          const raw = structuredClone(example);
          raw.kore.adminApp = { clientId: 'cs-admin-1', clientSecret: 'admin-secret' };
          const target = where ? get(raw, where) : raw;
          Object.assign(target, JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(inner)}}`));
          const v = verdict(raw);
          if (v.ok) {
            // Accepted only where extra keys are stripped: nothing of the pollution reaches the result.
            expect(JSON.stringify(v.tenant)).not.toContain('polluted');
            expect(v.tenant.tenantId).toBe(example.tenantId);
            expect((v.tenant as Record<string, unknown>).polluted).toBeUndefined();
          } else expect(v.lines.every((l) => /^[A-Za-z_.]+: |^\(value\): /.test(l))).toBe(true);
          expect(prototypeIsClean()).toBe(true);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('whole documents of garbage: never a throw, and every error line names a place', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ maxDepth: 4 }),
          fc.jsonValue({ maxDepth: 4 }).map((j) => ({ ...example, kore: j })),
        ),
        (raw) => {
          const v = verdict(raw);
          if (!v.ok) for (const l of v.lines) expect(l).toMatch(/^[^:]+: \S/);
          // The workflow input's schema meets the same garbage without throwing.
          expect(() => TenantInput.safeParse(raw)).not.toThrow();
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it('huge and deeply nested documents are refused quickly, by field', () => {
    const huge = withField('displayName', 'x'.repeat(1_000_000));
    expect(verdict(huge)).toEqual({ ok: false, lines: ['displayName: is longer than 120 characters'] });
    const nested = withField('agentTransfer.sipHeaders', { 'X-Deep': deepValue(10_000) });
    expect(verdict(nested)).toMatchObject({ ok: false, lines: [expect.stringMatching(/^agentTransfer\.sipHeaders\.X-Deep: /)] });
    expect(verdict(withProtoKey({ tenantId: 'evil' }))).toMatchObject({ ok: false });
  });
});

function deepValue(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('the oracles', () => {
  it("the written-out list of format characters is this runtime's Unicode Cf (when Node's Unicode grows, extend the list)", () => {
    const listed = (cp: number) => FORMAT_CHARACTERS.some(([from, to]) => cp >= from && cp <= to);
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (/\p{Cf}/u.test(String.fromCodePoint(cp)) !== listed(cp)) differ.push(`U+${cp.toString(16).toUpperCase()}`);
    }
    expect(differ).toEqual([]);
  });
});
