import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { openApiDocument } from '../../src/api/openapi';
import { Problem } from '../../src/api/problems';
import { sign } from '../../src/api/routes/zoom-webhook';
import { STEP_IDS } from '../../src/domain/steps';
import { publicTenant, type TenantFile } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { registerTenant } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';
import { anyFieldValue, nastyString, PROTO_KEYS, prototypeIsClean, runs, tenantIdish, wrongType } from '../property/adversarial';

/**
 * The HTTP API fuzzed from its own OpenAPI document: for every operation, requests with random and
 * adversarial path parameters, query strings, bodies (shaped by the operation's schema, and
 * garbage: other content types, broken JSON, bodies over the limit, `__proto__` keys, deep
 * nesting), with no token, a viewer's and an engineer's. Against a real Temporal with two real
 * onboardings, so valid-looking ids reach real workflows. Never a 5xx; every 4xx is problem+json
 * whose one-line detail names each wrong field it lists.
 */
const ENGINEER = 'fuzz-engineer-token-0123456789';
const VIEWER = 'fuzz-viewer-token-0123456789ab';
const WEBHOOK_SECRET = 'fuzz-zoom-webhook-secret';
/** The Web UI origin allowed to call /codec; preflights from any other origin are refused. */
const UI_ORIGIN = 'http://127.0.0.1:8233';

type Json = Record<string, any>;
const DOC = openApiDocument() as Json;
// An event stream stays open by design, so inject() would wait for it forever: test/api/events.test.ts holds it to its document.
const streams = (op: Json) => Boolean(op.responses?.['200']?.content?.['text/event-stream']);
const OPERATIONS: Array<[string, string, Json]> = Object.entries(DOC.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json)
    .filter(([, op]) => !streams(op as Json))
    .map(([method, op]) => [method.toUpperCase(), path, op as Json] as [string, string, Json]),
);

let h: Harness;
let api: FastifyInstance;
let tenants: TenantFile[] = [];
let bodyLimit = 65536;
/** A page token the API really handed out, to fuzz around. */
let realPageToken = '';

beforeAll(async () => {
  h = await startHarness();
  bodyLimit = h.config.api.bodyLimit;
  const tokens = new TokenBook([
    { name: 'Fuzz Engineer', role: 'engineer', token: ENGINEER },
    { name: 'Fuzz Viewer', role: 'viewer', token: VIEWER },
  ]);
  api = await buildApiFor(tokens);
  tenants = [tenantFile(), tenantFile()];
  for (const file of tenants) {
    await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
    const res = await api.inject({ method: 'POST', url: '/api/v1/onboardings', headers: { authorization: `Bearer ${ENGINEER}` }, payload: file });
    expect(res.statusCode).toBe(201);
  }
  for (const file of tenants) await h.until(file.tenantId, (p) => p.status === 'waiting-for-human');
  const page = (await api.inject({ method: 'GET', url: '/api/v1/onboardings?pageSize=1', headers: { authorization: `Bearer ${VIEWER}` } })).json();
  realPageToken = page.nextPageToken;
  expect(realPageToken).toEqual(expect.any(String));
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

async function buildApiFor(tokens: TokenBook) {
  const { buildApi } = await import('../../src/api/server');
  return buildApi({
    config: { ...h.config, api: { ...h.config.api, zoomWebhookSecret: WEBHOOK_SECRET }, codec: { ...h.config.codec, corsOrigins: [UI_ORIGIN] } },
    client: h.client,
    logger: createLogger({ name: 'api-fuzz' }),
    tokens,
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
}

// ---------------------------------------------------------------------------------------------
// Requests from the document.

const resolve = (s: Json): Json =>
  s.$ref
    ? resolve(
        s.$ref
          .split('/')
          .slice(1)
          .reduce((o: Json, k: string) => o[k], DOC),
      )
    : s;

/** Values shaped by a JSON schema, with adversarial leaves: the route's parser must meet all of them. */
function fromSchema(raw: Json, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(raw);
  if (depth > 4) return anyFieldValue;
  if (s.enum) return fc.oneof(fc.constantFrom(...s.enum), nastyString);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return fc.oneof(...alts.map((a: Json) => fromSchema(a, depth + 1)));
  switch (s.type) {
    case 'object': {
      const props = Object.entries((s.properties ?? {}) as Json).map(([k, v]) => [k, fromSchema(v, depth + 1)] as const);
      const extra =
        s.additionalProperties && typeof s.additionalProperties === 'object'
          ? fc.dictionary(fc.oneof(nastyString, fc.constantFrom(...PROTO_KEYS)), fromSchema(s.additionalProperties, depth + 1), { maxKeys: 3 })
          : fc.constant({});
      return fc
        .tuple(
          fc.record(Object.fromEntries(props), { requiredKeys: (s.required ?? []).filter((k: string) => s.properties?.[k]) }),
          extra,
          fc.option(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), nastyString), anyFieldValue), { freq: 4 }),
        )
        .map(([r, e, x]) => {
          const o: Json = { ...e, ...r };
          if (x) o[x[0]] = x[1];
          return o;
        });
    }
    case 'array':
      return fc.array(fromSchema(s.items ?? {}, depth + 1), { maxLength: 3 });
    case 'boolean':
      return fc.oneof(fc.boolean(), wrongType);
    case 'number':
    case 'integer':
      return fc.oneof(fc.integer(), wrongType);
    case 'string':
      return fc.oneof(nastyString, s.default !== undefined ? fc.constant(s.default) : nastyString);
    default:
      return anyFieldValue;
  }
}

/** encodeURIComponent throws on a lone surrogate; a URL cannot carry one anyway. */
const wellFormed = (v: string) => v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?');

/** A path parameter: a real tenant or step, a near miss, or garbage, percent-encoded or raw. */
function pathValue(name: string): fc.Arbitrary<string> {
  const real = name === 'tenantId' ? fc.constantFrom(...tenants.map((t) => t.tenantId), 'no-such-tenant') : fc.constantFrom(...STEP_IDS, 'make-coffee');
  const plain = fc.oneof(
    { weight: 4, arbitrary: real },
    { weight: 2, arbitrary: tenantIdish },
    { weight: 2, arbitrary: nastyString },
    { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  );
  return fc.oneof(
    { weight: 5, arbitrary: plain.map((v) => encodeURIComponent(wellFormed(v))) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%0d%0a', '..', '%2e%2e', '%2F', '%C0%AF', '%ED%A0%80', 'a'.repeat(300), '%E2%80%AE') },
  );
}

/** A query string: the operation's parameters with shaped or garbage values, duplicates, strangers. */
function queryString(op: Json): fc.Arbitrary<string> {
  const params = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query');
  if (!params.length) return fc.constantFrom('', '?x=1', '?__proto__[polluted]=yes');
  const aroundRealToken = fc.oneof(
    fc.constant(realPageToken),
    fc.nat(realPageToken.length - 1).map((i) => realPageToken.slice(0, i)),
    fc.tuple(fc.nat(realPageToken.length - 1), fc.constantFrom('A', 'b', '_', '-')).map(([i, c]) => realPageToken.slice(0, i) + c + realPageToken.slice(i + 1)),
  );
  const value = (p: Json) =>
    fc.oneof(
      fromSchema(p.schema).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
      fc.base64String({ maxLength: 60 }).map((b) => b.replace(/=/g, '')),
      p.name === 'pageToken' ? aroundRealToken : fc.constantFrom('1', '50', '200', 'true', 'running'),
    );
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...params).chain((p) => value(p).map((v) => [p.name as string, v] as const)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'x', '__proto__[polluted]', 'status[]'), nastyString) },
  );
  return fc
    .array(pair, { maxLength: 4 })
    .map((pairs) =>
      pairs.length
        ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(wellFormed(v))}`).join('&')}`
        : '',
    );
}

interface Body {
  payload?: string;
  contentType?: string;
}
/** A body: the schema's shape as JSON, or garbage that a parser has to survive. */
function body(op: Json): fc.Arbitrary<Body> {
  const schema = op.requestBody?.content?.['application/json']?.schema ?? { type: 'object' };
  const json = (v: unknown) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' });
  const shaped = fromSchema(schema).map(json);
  const nearlyValid = schema.properties?.tenantId
    ? fc.oneof(
        // A new tenant (started for real), a running one (409), or one field spoiled.
        fc
          .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 })
          .map((hex) => json({ ...tenantFile(), tenantId: `fuzz-${hex}` })),
        fc.constant(null).map(() => json(tenants[0])),
        fc.tuple(fc.constantFrom(...Object.keys(tenantFile())), fc.oneof(anyFieldValue, fromSchema(schema))).map(([k, v]) => json({ ...tenantFile(), [k]: v })),
      )
    : op === DOC.paths['/webhooks/zoom'].post
      ? fc
          .oneof(
            fc.record({ event: fc.constant('endpoint.url_validation'), payload: fc.record({ plainToken: nastyString }) }),
            fc.record({
              event: fc.constantFrom('contact_center.engagement_ended', 'contact_center.engagement_started'),
              payload: fc.record({
                account_id: fc.oneof(fc.constant(tenants[0]!.zoom.accountId), nastyString),
                object: fc.dictionary(nastyString, anyFieldValue, { maxKeys: 2 }),
              }),
            }),
            fc.record({
              event: fc.oneof(nastyString, wrongType),
              payload: fc.oneof(anyFieldValue, fc.constant(JSON.parse('{"__proto__": {"polluted": "yes"}}'))),
            }),
          )
          .map(json)
      : fc
          .record(
            {
              reason: fc.oneof(fc.constant('fuzzing'), nastyString),
              evidence: fc.dictionary(fc.oneof(nastyString, fc.constantFrom('domain', 'did', 'experienceFlowName', 'model')), nastyString, { maxKeys: 3 }),
            },
            { requiredKeys: [] },
          )
          .map(json);
  const garbage = fc.oneof(
    fc
      .constantFrom(
        '{not json',
        '',
        'null',
        '[]',
        '"text"',
        '1',
        '{"a":',
        '\u0000',
        '{"__proto__": {"polluted": "yes"}}',
        '{"constructor": {"prototype": {"polluted": "yes"}}}',
        '{"evidence": {"__proto__": {"polluted": "yes"}}}',
        '{"reason": "\\ud800"}',
      )
      .map((p) => ({ payload: p, contentType: 'application/json' })),
    fc.constantFrom(5000, 20_000).map((d) => ({ payload: `${'['.repeat(d)}${']'.repeat(d)}`, contentType: 'application/json' })),
    fc.constant({ payload: JSON.stringify({ reason: 'x'.repeat(bodyLimit + 10) }), contentType: 'application/json' }),
    fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=utf-16',
          'application/problem+json',
          '',
        ),
        fc.oneof(fc.constant('{"reason":"ok"}'), nastyString),
      )
      .map(([contentType, payload]) => ({ payload, contentType })),
    fc.constant({}),
  );
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 2, arbitrary: nearlyValid }, { weight: 3, arbitrary: garbage });
}

const token = fc.constantFrom<string | undefined>(undefined, VIEWER, ENGINEER, ENGINEER, 'not-a-known-token-000000', '');

function request(method: string, path: string, op: Json) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return fc
    .record({
      params: fc.tuple(...names.map(pathValue)) as fc.Arbitrary<string[]>,
      query: queryString(op),
      body: method === 'GET' ? fc.constant<Body>({}) : body(op),
      token,
      signed: fc.boolean(),
      origin: fc.constantFrom<string | undefined>(undefined, UI_ORIGIN, 'https://evil.example', 'null'),
    })
    .map(({ params, query, body: b, token: t, signed, origin }) => {
      const url = names.reduce((u, n, i) => u.replace(`{${n}}`, params[i]!), path) + query;
      const headers: Record<string, string> = {};
      if (t !== undefined) headers.authorization = `Bearer ${t}`;
      if (b.contentType) headers['content-type'] = b.contentType;
      if (origin !== undefined) headers.origin = origin;
      if (path === '/webhooks/zoom' && signed) {
        const ts = String(Math.floor(Date.now() / 1000));
        Object.assign(headers, { 'x-zm-request-timestamp': ts, 'x-zm-signature': sign(WEBHOOK_SECRET, ts, b.payload ?? '') });
      }
      return { method: method as 'GET' | 'POST' | 'OPTIONS', url, headers, payload: b.payload };
    });
}

/** A well-formed request by an engineer, aimed at the first real onboarding. */
function seedRequest(method: string, path: string) {
  const url = path.replace('{tenantId}', tenants[0]!.tenantId).replace('{stepId}', 'associate-experience-flow');
  const payload =
    method === 'GET'
      ? undefined
      : path === '/api/v1/onboardings'
        ? JSON.stringify(tenants[0])
        : path.startsWith('/codec/')
          ? '{"payloads":[]}'
          : /skip|cancel|reopen|offboard/.test(path)
            ? '{"reason":"fuzz seed"}'
            : path.endsWith('/tenant')
              ? '{"changes":{"displayName":"Fuzz Seed"},"reason":"fuzz seed"}'
              : '{}';
  const headers: Record<string, string> = {
    authorization: `Bearer ${ENGINEER}`,
    origin: UI_ORIGIN,
    ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
  };
  if (path === '/webhooks/zoom') {
    const ts = String(Math.floor(Date.now() / 1000));
    const validation = JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'fuzz-seed' } });
    return {
      method: 'POST' as const,
      url,
      headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': ts, 'x-zm-signature': sign(WEBHOOK_SECRET, ts, validation) },
      payload: validation,
    };
  }
  return { method: method as 'GET' | 'POST' | 'OPTIONS', url, headers, payload };
}

// ---------------------------------------------------------------------------------------------

afterEach(() => expect(prototypeIsClean()).toBe(true));

describe('the HTTP API, fuzzed from its OpenAPI document', () => {
  it('serves the document it is fuzzed from', async () => {
    const served = (await api.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(served).toEqual(JSON.parse(JSON.stringify(DOC)));
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(OPERATIONS.map(([m, p, op]) => [`${m} ${p}`, m, p, op] as const))(
    '%s: never a 5xx; every refusal is problem+json naming the fields it lists',
    async (_name, method, path, op) => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request(method, path, op), async (req) => {
          // A request Temporal cannot answer must not hang: the client's retries would hold it for many seconds.
          const res = await Promise.race([
            api.inject(req),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within 15 s: ${req.method} ${req.url}`)), 15_000).unref()),
          ]);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            const p = Problem.parse(res.json());
            expect(p.status).toBe(res.statusCode);
            expect(p.requestId).toBe(res.headers['x-request-id']);
            expect(p.detail).not.toMatch(/[\r\n\u2028\u2029]/);
            for (const e of p.errors ?? []) expect(p.detail).toContain(e.field);
            if (p.code === 'InvalidInput' && p.status === 400)
              expect(p.errors?.length ?? (/^body is not a Zoom event$/.test(p.detail) ? 1 : 0)).toBeGreaterThan(0);
          }
          // Auth comes first for anything that reached a route and that the parser let through: no
          // token is 401, a viewer writing is 403. (A path no route matches, e.g. `..` or an empty
          // segment, is a 404 and a parameter over 2048 characters a 414, before any route's auth.)
          const secured = Array.isArray(op.security) && op.security.length > 0;
          const code = res.statusCode >= 400 ? res.json().code : undefined;
          const parsedFine = ![400, 413, 414, 415].includes(res.statusCode) && code !== 'NotFound';
          if (secured && parsedFine && ![VIEWER, ENGINEER].includes(req.headers.authorization?.replace(/^Bearer /, '') ?? '')) expect(res.statusCode).toBe(401);
          if (secured && parsedFine && op['x-required-role'] === 'engineer' && req.headers.authorization === `Bearer ${VIEWER}`)
            expect(res.statusCode).toBe(403);
          if (method === 'OPTIONS' && parsedFine) expect(res.statusCode).toBe(req.headers.origin === UI_ORIGIN ? 204 : 403);
        }),
        // One well-formed engineer request per operation first, so "reached past the front door" below never hangs on luck.
        { numRuns: runs(60), examples: [[seedRequest(method, path)]] },
      );
      if (process.env.FUZZ_DEBUG) process.stderr.write(`${method} ${path}: ${JSON.stringify([...statuses])}\n`);
      // The fuzz reached past the front door: some answer other than 401/403/400.
      if (path !== '/metrics' && path !== '/healthz') expect([...statuses.keys()].filter((s) => ![400, 401, 403, 413, 415].includes(s))).not.toEqual([]);
    },
  );
});
