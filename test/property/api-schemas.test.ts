import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { z } from 'zod';
import { invalid, ProblemError } from '../../src/api/problems';
import {
  CancelBody,
  CodecBody,
  CompleteBody,
  EmptyBody,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_DEPTH,
  SkipBody,
  StepParams,
  TenantIdParam,
} from '../../src/api/schemas';
import { ONBOARDING_STATUSES } from '../../src/app';
import { ListQuery, PageTokens } from '../../src/temporal/list';
import { textKeywords } from '../../src/api/openapi-text';
import { DurationAtLeast } from '../../src/domain/duration';
import { NonBlank, SipHeaderValue } from '../../src/domain/validation';
import { AuditQuery } from '../../src/app';
import { anyFieldValue, isOneLineText, isTenantId, nastyString, PROTO_KEYS, prototypeIsClean, runs, tenantIdish, wrongType } from './adversarial';

/**
 * The HTTP API's path, query and body schemas, attacked as the routes use them: parse, and on
 * failure `invalid(part, error)`, the 400 problem (422 for evidence past its bounds). Each refusal names `part.field` in a one-line
 * detail; each accepted value is one the rule allows.
 */
function verdict<S extends z.ZodTypeAny>(schema: S, part: string, value: unknown): { ok: true; data: z.infer<S> } | { ok: false; problem: ProblemError } {
  const r = schema.safeParse(value ?? {});
  if (r.success) return { ok: true, data: r.data };
  const problem = invalid(part, r.error);
  // 400, or 422 EvidenceTooLarge for evidence past its depth or size bound.
  expect([400, 422]).toContain(problem.status);
  if (problem.status === 422) expect(problem.code).toBe('EvidenceTooLarge');
  expect(problem.message).not.toMatch(/[\r\n\u2028\u2029]/);
  for (const e of problem.errors ?? []) expect(e.field.startsWith(`${part}.`) || e.field === part).toBe(true);
  return { ok: false, problem };
}
const fields = (v: { ok: false; problem: ProblemError }) => (v.problem.errors ?? []).map((e) => e.field);

/** The evidence bounds, said again independently: objects and arrays at most 5 deep (the evidence object is 1), at most 16 KiB as JSON. */
function withinEvidenceBounds(evidence: unknown): boolean {
  let level: unknown[] = [evidence];
  for (let depth = 1; level.length; depth++) {
    const containers = level.filter((v) => typeof v === 'object' && v !== null) as object[];
    if (containers.length && depth > MAX_EVIDENCE_DEPTH) return false;
    level = containers.flatMap((c) => Object.values(c));
  }
  return Buffer.byteLength(JSON.stringify(evidence) ?? '') <= MAX_EVIDENCE_BYTES;
}

/**
 * Protobuf JSON's bytes rule, as Go's protojson decodes them (what Temporal's CLI speaks): URL-safe
 * alphabet if the value has `-` or `_`, standard otherwise; padded if its length is whole quads.
 */
function isProtoBase64(s: string): boolean {
  const alphabet = /[-_]/.test(s) ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9+/]*$/;
  if (s.length % 4 !== 0) return s.length % 4 !== 1 && alphabet.test(s);
  // Whole quads: at most two '=' at the end, completing the last quad.
  return alphabet.test(s.replace(/={1,2}$/, ''));
}

const isStepId = (s: string) => s.length >= 2 && s.length <= 61 && s[0]! >= 'a' && s[0]! <= 'z' && [...s].every((c) => (c >= 'a' && c <= 'z') || c === '-');
/** A page size as a query string carries it: decimal digits only, 1 to 200. */
const isPageSize = (s: string) => s.length >= 1 && s.length <= 3 && [...s].every((c) => c >= '0' && c <= '9') && Number(s) >= 1 && Number(s) <= 200;
/**
 * The shape of a page token this API hands out (or empty): canonical base64url of a 16-byte MAC and
 * at least one byte it signs. The schema checks the shape; the signature needs the deployment's key
 * (checked by PageTokens, below and in test/api).
 */
const isPageToken = (s: string) => {
  if (s === '') return true;
  if (s.length > 4096 || ![...s].every((c) => /^[A-Za-z0-9_-]$/.test(c))) return false;
  const b = Buffer.from(s, 'base64url');
  return b.length > 16 && b.toString('base64url') === s;
};
const TOKENS = new PageTokens([randomBytes(32)]);
/** Tokens as the API makes them, and near misses: one character changed, cut short. */
const pageTokenish = fc.uint8Array({ minLength: 1, maxLength: 40 }).chain((raw) => {
  const t = TOKENS.sign(raw);
  return fc.oneof(
    fc.constant(t),
    fc.nat(t.length - 1).map((i) => t.slice(0, i)),
    fc.tuple(fc.nat(t.length - 1), fc.constantFrom('A', 'z', '-')).map(([i, c]) => t.slice(0, i) + c + t.slice(i + 1)),
  );
});

afterEach(() => expect(prototypeIsClean()).toBe(true));

describe('API request schemas under bad input', () => {
  it('path: a tenant id is accepted exactly when it is a slug; a step id exactly when it is lowercase words', () => {
    fc.assert(
      fc.property(
        fc.oneof(tenantIdish, nastyString),
        fc.oneof(nastyString, fc.constantFrom('create-zoom-connector', 'make-coffee', 'A', 'a-', 'x'.repeat(62))),
        (tenantId, stepId) => {
          const t = verdict(TenantIdParam, 'path', { tenantId });
          expect(t.ok).toBe(isTenantId(tenantId));
          if (!t.ok) expect(fields(t)).toEqual(['path.tenantId']);
          const s = verdict(StepParams, 'path', { tenantId: 'acme-corp', stepId });
          expect(s.ok).toBe(isStepId(stepId));
          if (!s.ok) expect(fields(s)).toEqual(['path.stepId']);
        },
      ),
      { numRuns: runs(500) },
    );
  });

  it('query: each list parameter is refused by name unless its rule allows it; duplicates (arrays) are refused', () => {
    const pageSize = fc.oneof(
      fc.integer({ min: -5, max: 300 }).map(String),
      fc.constantFrom('0x10', '1e2', ' 7', '7 ', '+5', '5.0', '05', '٣', '２', '', '1_0', 'Infinity', 'NaN', '200', '201', '1'),
      nastyString,
    );
    const text = fc.oneof(nastyString, fc.constantFrom(...ONBOARDING_STATUSES, 'true', 'false', 'TRUE', '1'), fc.base64String({ maxLength: 40 }));
    const slot = <T>(a: fc.Arbitrary<T>) =>
      fc.option(fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fc.array(a, { minLength: 2, maxLength: 3 }) }), { nil: undefined });
    fc.assert(
      fc.property(
        slot(text),
        slot(text),
        slot(pageSize),
        slot(fc.oneof(text, pageTokenish, fc.string({ unit: fc.constantFrom(...'Ab0_-=+/'), maxLength: 50 }))),
        // Goes into the visibility query's text: only the characters of a tenant id may.
        slot(fc.oneof(text, tenantIdish, fc.string({ unit: fc.constantFrom(...`az09-A_ '"%*()=`), maxLength: 45 }))),
        (status, waiting, size, token, prefix) => {
          const q = Object.fromEntries(
            Object.entries({ status, waiting, pageSize: size, pageToken: token, tenantPrefix: prefix }).filter(([, v]) => v !== undefined),
          );
          const v = verdict(ListQuery, 'query', q);
          const expectWrong = [
            status !== undefined && !(typeof status === 'string' && (ONBOARDING_STATUSES as readonly string[]).includes(status)) && 'query.status',
            waiting !== undefined && !(waiting === 'true' || waiting === 'false') && 'query.waiting',
            size !== undefined && !(typeof size === 'string' && isPageSize(size)) && 'query.pageSize',
            token !== undefined && !(typeof token === 'string' && isPageToken(token)) && 'query.pageToken',
            prefix !== undefined && !(typeof prefix === 'string' && /^[a-z0-9-]{0,40}$/.test(prefix)) && 'query.tenantPrefix',
          ].filter(Boolean);
          if (v.ok) {
            expect(expectWrong).toEqual([]);
            expect(v.data.pageSize).toBe(size === undefined ? 50 : Number(size));
            expect(v.data.waiting).toBe(waiting === undefined ? undefined : waiting === 'true');
          } else expect(fields(v)).toEqual(expectWrong);
        },
      ),
      { numRuns: runs(600) },
    );
  });

  it("page tokens: only a token this deployment signed opens (any key it holds), never a changed or another deployment's one", () => {
    const other = new PageTokens([randomBytes(32)]);
    const [k1, k2] = [randomBytes(32), randomBytes(32)];
    const [beforeRotation, afterRotation] = [new PageTokens([k1]), new PageTokens([k1, k2])];
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (raw, at, flip) => {
        const t = TOKENS.sign(raw);
        expect(TOKENS.open(t)).toEqual(Buffer.from(raw));
        expect(other.open(t)).toBeUndefined();
        const b = Buffer.from(t, 'base64url');
        b[at % b.length]! ^= flip;
        expect(TOKENS.open(b.toString('base64url'))).toBeUndefined();
        // After a rotation the older key still opens what it signed; new tokens use the newest.
        expect(afterRotation.open(beforeRotation.sign(raw))).toEqual(Buffer.from(raw));
        expect(beforeRotation.open(afterRotation.sign(raw))).toBeUndefined();
      }),
      { numRuns: runs(300) },
    );
  });

  it('bodies: a reason is accepted exactly when it is one line of text; unknown and prototype keys are named', () => {
    const extraKey = fc.option(fc.oneof(fc.constantFrom(...PROTO_KEYS, 'by', 'evidence'), nastyString), { nil: undefined });
    fc.assert(
      fc.property(
        fc.constantFrom(['skip', SkipBody] as const, ['cancel', CancelBody] as const),
        fc.oneof(nastyString, wrongType),
        extraKey,
        anyFieldValue,
        ([, schema], reason, extra, extraValue) => {
          // Built as JSON text, as a request carries it: Object.assign would not copy an own __proto__.
          const members = [
            reason !== undefined && `"reason": ${JSON.stringify(reason)}`,
            extra !== undefined && extra !== 'reason' && `${JSON.stringify(extra)}: ${JSON.stringify(extraValue ?? null)}`,
          ];
          const body = JSON.parse(`{${members.filter(Boolean).join(', ')}}`);
          const v = verdict(schema, 'body', body);
          const reasonOk = typeof reason === 'string' && isOneLineText(reason, 500);
          if (v.ok) {
            expect(reasonOk && (extra === undefined || extra === 'reason')).toBe(true);
            expect(v.data.reason).toBe((reason as string).trim());
          } else {
            if (!reasonOk) expect(fields(v)).toContain('body.reason');
            if (extra !== undefined && extra !== 'reason') expect(fields(v)).toContain('body');
          }
        },
      ),
      { numRuns: runs(400) },
    );
  });

  it('bodies: complete takes an evidence object within its depth and size bounds (the workflow judges its fields); retry takes nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.dictionary(nastyString, anyFieldValue, { maxKeys: 4 }), anyFieldValue, fc.constant(JSON.parse('{"__proto__": {"polluted": "yes"}}'))),
        (evidence) => {
          const v = verdict(CompleteBody, 'body', { evidence });
          const isObject =
            evidence === undefined || (typeof evidence === 'object' && evidence !== null && !Array.isArray(evidence) && !Object.hasOwn(evidence, '__proto__'));
          const bounded = evidence === undefined || withinEvidenceBounds(evidence);
          expect(v.ok).toBe(isObject && bounded);
          if (!v.ok) expect(fields(v)[0]!.startsWith('body.evidence')).toBe(true);
          if (!bounded) expect(v.ok ? undefined : { status: v.problem.status, fields: fields(v) }).toEqual({ status: 422, fields: ['body.evidence'] });
          if (v.ok) expect(Object.getPrototypeOf(v.data.evidence)).toBe(Object.prototype);
          const empty = verdict(EmptyBody, 'body', evidence === undefined ? {} : { evidence });
          expect(empty.ok).toBe(evidence === undefined);
        },
      ),
      { numRuns: runs(400) },
    );
  });

  it('bodies: the codec takes a Payloads message in any protobuf-JSON form and refuses anything else by field', () => {
    // What Temporal's tools leave out or send as null means empty (`temporal workflow query` sends `{}`).
    for (const body of [{}, { payloads: null }, { payloads: [] }, { payloads: [{}] }, { payloads: [{ metadata: null, data: null }] }])
      expect(verdict(CodecBody, 'body', body).ok).toBe(true);
    expect(fields(verdict(CodecBody, 'body', { payloads: {} }) as never)).toEqual(['body.payloads']);
    expect(fields(verdict(CodecBody, 'body', { payloads: [null] }) as never)).toEqual(['body.payloads.0']);
    expect(fields(verdict(CodecBody, 'body', { payload: [] }) as never)).toEqual(['body']);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => {
        // The same bytes in each of the four spellings protobuf JSON reads, as data and as a metadata value.
        const std = Buffer.from(bytes).toString('base64');
        const url = Buffer.from(bytes).toString('base64url');
        for (const form of [std, std.replace(/=+$/, ''), url, url + '='.repeat((4 - (url.length % 4)) % 4)]) {
          const v = verdict(CodecBody, 'body', { payloads: [{ metadata: { encoding: form }, data: form }] });
          expect(v.ok).toBe(true);
          expect([...Buffer.from(form, 'base64')]).toEqual([...bytes]);
        }
      }),
      { numRuns: runs(300) },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AQgw09+/-_=.'), maxLength: 12 }), fc.boolean(), (s, inMetadata) => {
        const payload = inMetadata ? { metadata: { encoding: s } } : { data: s };
        const v = verdict(CodecBody, 'body', { payloads: [payload] });
        expect(v.ok).toBe(isProtoBase64(s));
        if (!v.ok) expect(fields(v)).toEqual([inMetadata ? 'body.payloads.0.metadata.encoding' : 'body.payloads.0.data']);
      }),
      { numRuns: runs(1000) },
    );
  });
});

/**
 * The OpenAPI document states rules zod runs as refinements (src/api/openapi-text.ts and the metas of
 * the schemas): each pattern must take exactly what the rule takes, or schemathesis finds a request
 * the document calls valid refused, or one it calls invalid accepted.
 */
describe("the OpenAPI document's patterns say the rules exactly", () => {
  const matcher = (keywords: Record<string, any>) => {
    const patterns = [keywords.pattern, ...(keywords.allOf ?? []).map((k: { pattern: string }) => k.pattern)].map((p) => new RegExp(p, 'u'));
    const not = keywords.not ? new RegExp(keywords.not.pattern, 'u') : undefined;
    return (s: string) => patterns.every((p) => p.test(s)) && !not?.test(s) && (keywords.maxLength === undefined || [...s].length <= keywords.maxLength);
  };
  const special = fc.constantFrom(
    ' ',
    '\n',
    '\t',
    '\r',
    '\u00a0',
    '\u0085',
    '\u2028',
    '\u200b',
    '\u202e',
    '\ufeff',
    '\u3164',
    '\u{E0041}',
    '\u{1D173}',
    '😀',
    'a',
    'é',
    '-',
  );
  // Code points only: a lone surrogate has no UTF-8 form, so no JSON body carries one (the patterns leave them out).
  const text = fc
    .oneof(nastyString, fc.string({ unit: fc.oneof(special, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 }))
    .filter((s) => !/\p{Cs}/u.test(s));

  it('one line of text (NonBlank): trimmed, within its length in characters, no refused character', () => {
    for (const max of [1, 2, 5, 12]) {
      const matches = matcher(textKeywords('trimmed-line', { maxLength: max }));
      const schema = NonBlank(max);
      fc.assert(
        fc.property(text, (s) => expect([s, matches(s)]).toEqual([s, schema.safeParse(s).success])),
        { numRuns: runs(300) },
      );
    }
  });

  it('a SIP header value: as given, at most 256 characters, no refused character', () => {
    const matches = matcher({ ...textKeywords('line', {}), maxLength: 256 });
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          text.map((s) => s.repeat(40)),
        ),
        (s) => expect([s, matches(s)]).toEqual([s, SipHeaderValue.safeParse(s).success]),
      ),
      {
        numRuns: runs(300),
      },
    );
  });

  it('a duration of at least 5m: a value the pattern takes is taken; a taken one of one part matches', () => {
    const every = DurationAtLeast('5m', 'test');
    const pattern = new RegExp((z.toJSONSchema(every) as { pattern: string }).pattern);
    const part = fc.tuple(fc.nat({ max: 400 }), fc.constantFrom(...'smhdw'), fc.constantFrom('', '0', '00')).map(([n, u, zeros]) => `${zeros}${n}${u}`);
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 3 }), (parts) => {
        const s = parts.join('');
        const taken = every.safeParse(s).success;
        if (pattern.test(s)) expect(taken).toBe(true);
        if (parts.length === 1) expect(pattern.test(s)).toBe(taken);
      }),
      { numRuns: runs(500) },
    );
  });

  it('page sizes: the pattern takes exactly the sizes the query takes', () => {
    const size = fc.oneof(fc.integer({ min: -5, max: 600 }).map(String), fc.constantFrom('007', '0200', '0', '00', '201', '500', '501', '1e2', ' 7'));
    for (const [query, max] of [
      [ListQuery, 200],
      [AuditQuery, 500],
    ] as const) {
      const pattern = new RegExp((z.toJSONSchema(query, { io: 'input' }) as any).properties.pageSize.pattern);
      fc.assert(
        fc.property(size, (s) => expect([s, pattern.test(s)]).toEqual([s, query.safeParse({ pageSize: s }).success])),
        { numRuns: runs(200) },
      );
      expect(pattern.test(String(max))).toBe(true);
    }
  });
});
