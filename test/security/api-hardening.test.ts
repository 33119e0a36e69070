import { createHash, hkdfSync } from 'node:crypto';
import { Writable } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import pino from 'pino';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { Sessions } from '../../src/api/session';
import * as zoomWebhook from '../../src/api/routes/zoom-webhook';
import { Onboardings } from '../../src/app';
import type { Config } from '../../src/config';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { registerTenant } from '../../src/people';
import { loadKeyring } from '../../src/temporal/codec';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * What a security probe of a running dev stack found (issue 12), each as the request that showed
 * it: evidence nested too deep, a non-ASCII webhook signature, replayed and future-dated webhooks,
 * session cookies without (or with a far) expiry and no server-side sign-out, unmetered and open
 * /metrics, client-chosen request ids, and a dashboard that any page may frame.
 */
const ENGINEER = 'hardening-engineer-token-0123456789';
const VIEWER = 'hardening-viewer-token-0123456789ab';
const WEBHOOK_SECRET = 'hardening-zoom-webhook-secret';
const METRICS_TOKEN = 'hardening-metrics-scrape-token-0123';

let h: Harness;
let api: FastifyInstance;
const apis: FastifyInstance[] = [];
const tokens = () =>
  new TokenBook([
    { name: 'Hana Engineer', role: 'engineer', token: ENGINEER },
    { name: 'Vic Viewer', role: 'viewer', token: VIEWER },
  ]);

async function build(opts: { config?: (c: Config) => Config; lines?: string[] } = {}) {
  const base: Config = { ...h.config, api: { ...h.config.api, zoomWebhookSecret: WEBHOOK_SECRET } };
  const logger = opts.lines
    ? pino(
        { level: 'debug' },
        new Writable({
          write(chunk, _enc, done) {
            opts.lines!.push(...String(chunk).trim().split('\n'));
            done();
          },
        }),
      )
    : createLogger({ name: 'api-hardening' });
  const a = await buildApi({
    config: opts.config ? opts.config(base) : base,
    client: h.client,
    logger,
    tokens: tokens(),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
  apis.push(a);
  return a;
}

beforeAll(async () => {
  h = await startHarness();
  api = await build();
});
afterAll(async () => {
  for (const a of apis) await a.close();
  await h?.stop();
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('5: evidence is bounded in depth and size at the API', () => {
  const completeUrl = (tenantId: string) => `/api/v1/onboardings/${tenantId}/steps/create-zoom-connector/complete`;
  let tenantId: string;
  beforeAll(async () => {
    const file = tenantFile();
    await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
    const res = await api.inject({ method: 'POST', url: '/api/v1/onboardings', headers: bearer(ENGINEER), payload: file });
    expect(res.statusCode).toBe(201);
    tenantId = file.tenantId;
  });
  afterAll(async () => {
    await api.inject({ method: 'POST', url: `/api/v1/onboardings/${tenantId}/cancel`, headers: bearer(ENGINEER), payload: { reason: 'test over' } });
  });

  it('evidence nested 30,000 deep is a 422 naming body.evidence, never a 500', async () => {
    const deep = `{"evidence":{"connectorName":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`;
    const res = await api.inject({
      method: 'POST',
      url: completeUrl(tenantId),
      headers: { ...bearer(ENGINEER), 'content-type': 'application/json' },
      payload: deep,
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = res.json();
    expect(p).toMatchObject({
      status: 422,
      code: 'EvidenceTooLarge',
      errors: [{ field: 'body.evidence', message: expect.stringMatching(/nested more than \d+ levels deep/) }],
    });
    expect(p.detail).toContain('body.evidence');
  });

  it('evidence larger than the cap is a 422 naming body.evidence; ordinary evidence still reaches the workflow', async () => {
    const big = await api.inject({
      method: 'POST',
      url: completeUrl(tenantId),
      headers: bearer(ENGINEER),
      payload: { evidence: { connectorName: 'x'.repeat(20_000) } },
    });
    expect(big.statusCode).toBe(422);
    expect(big.json()).toMatchObject({
      code: 'EvidenceTooLarge',
      errors: [{ field: 'body.evidence', message: expect.stringMatching(/larger than \d+ bytes/) }],
    });
    // Within the bounds, the workflow decides, as before (the step may not be open yet: 409 or 422).
    const small = await api.inject({
      method: 'POST',
      url: completeUrl(tenantId),
      headers: bearer(ENGINEER),
      payload: { evidence: { connectorName: 'Acme', nested: { a: [1, 2] } } },
    });
    expect([409, 422]).toContain(small.statusCode);
    expect(small.json().code).not.toBe('EvidenceTooLarge');
  });

  it('the OpenAPI document states the bounds: a validator built from it refuses evidence nested too deep', async () => {
    const doc = (await api.inject({ method: 'GET', url: '/openapi.json' })).json();
    const schema = doc.paths['/api/v1/onboardings/{tenantId}/steps/{stepId}/complete'].post.requestBody.content['application/json'].schema;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate({ evidence: { connectorName: 'Acme', domain: 'zoom.example.com', did: '+14155550142' } })).toBe(true);
    expect(validate({ evidence: { a: [[[[['too deep']]]]] } })).toBe(false);
    expect(JSON.stringify(schema.properties.evidence)).toMatch(/bytes/);
  });
});

describe('6 and 7: the Zoom webhook', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const post = (body: string, ts: number | string, signature: string) =>
    api.inject({
      method: 'POST',
      url: '/webhooks/zoom',
      payload: body,
      headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(ts), 'x-zm-signature': signature },
    });
  let n = 0;
  /** A signed event no onboarding acts on (a 204 when accepted), different each call. */
  const event = () => JSON.stringify({ event: 'meeting.started', event_ts: Date.now(), payload: { account_id: `acc-probe-${++n}` } });

  it('6: a signature with non-ASCII characters (same length in characters, not in bytes) is a 401 BadSignature, not a 500', async () => {
    const res = await post(event(), now(), `v0=${'\u00e9'.repeat(64)}`);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'BadSignature' });
  });

  it('7: the same signed event twice: the second is refused as a replay', async () => {
    const body = event();
    const ts = now();
    const signature = zoomWebhook.sign(WEBHOOK_SECRET, ts.toString(), body);
    expect((await post(body, ts, signature)).statusCode).toBe(204);
    const again = await post(body, ts, signature);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'ReplayedEvent' });
  });

  it('7: a timestamp more than 30 s ahead is refused; a small clock skew is not', async () => {
    const ahead = (s: number) => {
      const body = event();
      const ts = now() + s;
      return post(body, ts, zoomWebhook.sign(WEBHOOK_SECRET, String(ts), body));
    };
    const future = await ahead(290);
    expect(future.statusCode).toBe(401);
    expect(future.json()).toMatchObject({ code: 'FutureTimestamp' });
    expect((await ahead(60)).json()).toMatchObject({ code: 'FutureTimestamp' });
    expect((await ahead(10)).statusCode).toBe(204);
  });

  it('7: the replay memory is bounded: when full, fresh events wait (429) until the oldest entry expires, and nothing is forgotten early', () => {
    const guard = new zoomWebhook.ReplayGuard({ capacity: 2, windowSeconds: 300 });
    const t0 = 1_000_000;
    expect(guard.admit(t0, 'v0=a', t0)).toEqual({ ok: true });
    expect(guard.admit(t0, 'v0=a', t0 + 1)).toEqual({ ok: false, reason: 'replay' });
    expect(guard.admit(t0 + 10, 'v0=b', t0 + 10)).toEqual({ ok: true });
    expect(guard.admit(t0 + 20, 'v0=c', t0 + 20)).toEqual({ ok: false, reason: 'full', retryAfterSeconds: 280 });
    expect(guard.size).toBe(2);
    // Once a's timestamp is out of the window it cannot be replayed anyway (it is stale), so it is dropped.
    expect(guard.admit(t0 + 301, 'v0=c', t0 + 301)).toEqual({ ok: true });
    expect(guard.size).toBe(2);
    expect(guard.admit(t0 + 10, 'v0=b', t0 + 301)).toEqual({ ok: false, reason: 'replay' });
  });
});

describe('9: codec session cookies', () => {
  const fp = createHash('sha256').update(VIEWER).digest().subarray(0, 8).toString('hex');
  /** Someone holding the session key (derived from the payload key) signs a cookie of their own making. */
  const forge = async (build: (jwt: SignJWT) => SignJWT) => {
    const key = new Uint8Array(hkdfSync('sha256', loadKeyring(h.config).current, 'kore-zcc-onboarding', 'api-session-v1', 32));
    return build(new SignJWT({ fp }).setProtectedHeader({ alg: 'HS256' }).setIssuer('kore-zcc-onboarding').setJti(`forged-${Math.random()}`)).sign(key);
  };
  const decode = (cookie: string) =>
    api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { cookie: `onboard_session=${cookie}`, 'content-type': 'application/json' },
      payload: { payloads: [] },
    });
  const signIn = async () => {
    const res = await api.inject({ method: 'POST', url: '/api/v1/session', headers: bearer(VIEWER) });
    expect(res.statusCode).toBe(200);
    return /onboard_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;
  };

  it('a well-formed session of at most the session length is accepted (the forgery itself is sound)', async () => {
    expect((await decode(await forge((j) => j.setIssuedAt().setExpirationTime('1h')))).statusCode).toBe(200);
  });

  it('a session without exp, or signed for ten years, is refused', async () => {
    expect((await decode(await forge((j) => j.setIssuedAt()))).statusCode).toBe(401);
    expect((await decode(await forge((j) => j.setIssuedAt().setExpirationTime('3650d')))).statusCode).toBe(401);
    // Issued "in the future", or long ago with a far expiry: refused too.
    const nowS = Math.floor(Date.now() / 1000);
    expect((await decode(await forge((j) => j.setIssuedAt(nowS + 3600).setExpirationTime(nowS + 7200)))).statusCode).toBe(401);
    expect((await decode(await forge((j) => j.setIssuedAt(nowS - 9 * 3600).setExpirationTime(nowS + 3600)))).statusCode).toBe(401);
  });

  it('signing out (DELETE /codec/session, where the cookie is sent) ends that session on the server, not just in the browser', async () => {
    const cookie = await signIn();
    const other = await signIn();
    expect((await decode(cookie)).statusCode).toBe(200);
    const out = await api.inject({ method: 'DELETE', url: '/codec/session', headers: { cookie: `onboard_session=${cookie}` } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/onboard_session=;.*Max-Age=0/);
    // Someone who copied the cookie before sign-out gets nothing with it.
    expect((await decode(cookie)).statusCode).toBe(401);
    // Another browser's session of the same person is its own.
    expect((await decode(other)).statusCode).toBe(200);
  });

  it('DELETE /api/v1/session with the bearer token ends every session of that token', async () => {
    const a = await signIn();
    const b = await signIn();
    const out = await api.inject({ method: 'DELETE', url: '/api/v1/session', headers: bearer(VIEWER) });
    expect(out.statusCode).toBe(204);
    expect((await decode(a)).statusCode).toBe(401);
    expect((await decode(b)).statusCode).toBe(401);
    // Signing in again works at once.
    expect((await decode(await signIn())).statusCode).toBe(200);
  });
  it("the revocation list is bounded: past it, a sign-out ends all of that token's sessions instead", async () => {
    const s = new Sessions(Buffer.alloc(32, 7), tokens(), 1);
    const [a, b, c] = await Promise.all([s.issue(VIEWER), s.issue(VIEWER), s.issue(VIEWER)]);
    expect(await s.revoke(a!)).toBe(true);
    expect(await s.verify(a!)).toBeUndefined();
    expect(await s.verify(c!)).toMatchObject({ name: 'Vic Viewer' });
    // The list is full: this sign-out moves the token's generation on, which ends c too.
    expect(await s.revoke(b!)).toBe(true);
    expect(await s.verify(b!)).toBeUndefined();
    expect(await s.verify(c!)).toBeUndefined();
    expect(await s.verify((await s.issue(VIEWER))!)).toMatchObject({ name: 'Vic Viewer' });
  });
});

describe('10b: /metrics', () => {
  afterEach(() => jest.restoreAllMocks());

  it('scrapes share one cached count of onboardings (a short TTL, one refresh at a time)', async () => {
    const a = await build();
    const counts = jest.spyOn(Onboardings.prototype, 'countByStatus');
    const scrape = async () => {
      const res = await a.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/onboard_onboardings\{status="running"\} \d+/);
    };
    await Promise.all([scrape(), scrape(), scrape()]);
    await scrape();
    await scrape();
    expect(counts).toHaveBeenCalledTimes(1);
    const t = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(t + 16_000);
    await scrape();
    expect(counts).toHaveBeenCalledTimes(2);
  });

  it('with ONBOARD_METRICS_TOKEN set, a scrape without that bearer token is a 401', async () => {
    const a = await build({ config: (c) => ({ ...c, api: { ...c.api, metricsToken: METRICS_TOKEN } }) });
    const none = await a.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'Unauthenticated' });
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await a.inject({ method: 'GET', url: '/metrics', headers: bearer('not-the-metrics-token-000000') })).statusCode).toBe(401);
    // An API token is not a scrape token.
    expect((await a.inject({ method: 'GET', url: '/metrics', headers: bearer(ENGINEER) })).statusCode).toBe(401);
    const ok = await a.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/onboard_api_request_duration_seconds/);
  });
});

describe('10c: request ids', () => {
  it("a client's x-request-id is not reused: the answer carries our own id, the log line the client's (sanitized, capped) as clientRequestId", async () => {
    const lines: string[] = [];
    const a = await build({ lines });
    const res = await a.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'x-request-id': 'client-chosen-id-123' } });
    expect(res.statusCode).toBe(404);
    const id = res.headers['x-request-id'];
    expect(id).not.toBe('client-chosen-id-123');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.json().requestId).toBe(id);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === id);
    expect(logged).toMatchObject({ clientRequestId: 'client-chosen-id-123' });

    const nasty = `a b"c\u00e9${'x'.repeat(300)}`;
    const res2 = await a.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'x-request-id': nasty } });
    const logged2 = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === res2.headers['x-request-id']);
    expect(logged2.clientRequestId.length).toBeLessThanOrEqual(64);
    expect(logged2.clientRequestId).toMatch(/^[A-Za-z0-9._:-]+$/);
  });
});

describe('10d: the dashboard cannot be framed', () => {
  it.each(['/', '/docs/'])('%s sends frame-ancestors none (with the CSP it had) and X-Frame-Options DENY', async (url) => {
    const res = await api.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy'] ?? '');
    expect(csp).toMatch(/(^|;)\s*frame-ancestors 'none'\s*(;|$)/);
    if (url === '/') expect(csp).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});
