import { createHash, createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { sign } from '../../src/api/routes/zoom-webhook';
import type { HumanStepId } from '../../src/domain/steps';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, registerTenant, type ConsoleMemory } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

const ENGINEER = 'engineer-token-0123456789abcdef';
const VIEWER = 'viewer-token-0123456789abcdef';
const WEBHOOK_SECRET = 'zoom-webhook-secret-token';

let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  h = await startHarness();
  const tokens = new TokenBook([
    { name: 'Pat Engineer', role: 'engineer', token: ENGINEER },
    { name: 'Val Viewer', role: 'viewer', token: VIEWER },
  ]);
  api = await buildApi({
    config: { ...h.config, api: { ...h.config.api, zoomWebhookSecret: WEBHOOK_SECRET } },
    client: h.client,
    logger: createLogger({ name: 'api-test' }),
    tokens,
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const call = (method: 'GET' | 'POST', url: string, opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) =>
  api.inject({
    method,
    url,
    headers: { ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? ENGINEER}` }), ...opts.headers },
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });

async function startTenant() {
  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const res = await call('POST', '/api/v1/onboardings', { body: file });
  expect(res.statusCode).toBe(201);
  return file;
}

async function waitFor(tenantId: string, pred: (p: any) => boolean) {
  let p: any;
  for (let i = 0; i < 200; i++) {
    p = (await call('GET', `/api/v1/onboardings/${tenantId}`, { token: VIEWER })).json();
    if (pred(p)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out; steps: ${JSON.stringify(p?.steps?.map((s: any) => [s.id, s.state, s.lastError]))}`);
}

describe('HTTP API', () => {
  it("a full onboarding through HTTP alone; completedBy is the token's person", async () => {
    const file = await startTenant();
    const memory: ConsoleMemory = {};
    let p = await waitFor(file.tenantId, (x) => x.steps.some((s: any) => s.state === 'open'));
    while (p.status !== 'completed') {
      for (const s of p.steps.filter((x: any) => x.state === 'open')) {
        const evidence = await doInConsoles(s.id as HumanStepId, publicTenant(file), h.consoles, memory);
        const res = await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/${s.id}/complete`, { body: { evidence } });
        expect(res.statusCode).toBe(200);
        expect(res.json().step).toMatchObject({ state: 'done', completedBy: 'Pat Engineer' });
      }
      p = await waitFor(file.tenantId, (x) => x.status === 'completed' || x.steps.some((s: any) => s.state === 'open'));
    }
    expect(p.percent).toBe(100);
    expect(JSON.stringify(p)).not.toContain(file.kore.clientSecret);
    const metrics = await api.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/onboard_human_step_wait_seconds_count\{step="create-zoom-connector"\} 1/);
    expect(metrics.body).toMatch(/onboard_onboardings\{status="completed"\} [1-9]/);
    expect(metrics.body).toMatch(/onboard_api_request_duration_seconds_bucket\{.*route="\/api\/v1\/onboardings\/:tenantId"/);
  });

  it('400 with per-field errors for a bad tenant', async () => {
    const res = await call('POST', '/api/v1/onboardings', { body: { ...tenantFile(), tenantId: 'Bad Id', kore: { region: 'mars' } } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, code: 'InvalidInput', title: 'Bad request', requestId: expect.any(String) });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.tenantId', message: 'must be a lowercase slug of 3-40 letters, digits and dashes (e.g. acme-corp)' },
        { field: 'body.kore.region', message: 'must be one of us, us-legacy, jp, de, eu, in' },
      ]),
    );
    expect(res.headers['x-request-id']).toBe(body.requestId);
  });

  it("401 without or with an unknown token, 403 for a viewer doing an engineer's work", async () => {
    expect((await call('GET', '/api/v1/onboardings', { token: null })).json()).toMatchObject({
      status: 401,
      code: 'Unauthenticated',
      detail: 'send Authorization: Bearer <token>',
    });
    expect((await call('GET', '/api/v1/onboardings', { token: 'nope-nope-nope-nope' })).statusCode).toBe(401);
    const res = await call('POST', '/api/v1/onboardings', { token: VIEWER, body: tenantFile() });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('Val Viewer is a viewer; this needs the engineer role');
    expect((await call('GET', '/api/v1/me', { token: VIEWER })).json()).toEqual({ name: 'Val Viewer', role: 'viewer' });
  });

  it('404 for an unknown tenant, an unknown step, an unknown route', async () => {
    expect((await call('GET', '/api/v1/onboardings/no-such-tenant')).json()).toMatchObject({ status: 404, code: 'UnknownTenant' });
    const file = await startTenant();
    const r = await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/make-coffee/complete`, { body: { evidence: {} } });
    expect(r.json()).toMatchObject({ status: 404, code: 'UnknownStep' });
    expect((await call('GET', '/api/v1/nothing')).statusCode).toBe(404);
    await call('POST', `/api/v1/onboardings/${file.tenantId}/cancel`, { body: { reason: 'done' } });
  });

  it('409 for a running tenant and for a step not open; 422 with fields for evidence the workflow refuses', async () => {
    const file = await startTenant();
    const again = await call('POST', '/api/v1/onboardings', { body: file });
    expect(again.json()).toMatchObject({ status: 409, code: 'OnboardingRunning' });
    const early = await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/configure-sip-trunk/complete`, { body: { evidence: {} } });
    expect(early.json()).toMatchObject({
      status: 409,
      code: 'StepNotOpen',
      detail: 'configure-sip-trunk is not open yet: it waits for create-zoom-connector, associate-experience-flow',
    });
    await waitFor(file.tenantId, (x) => x.steps.find((s: any) => s.id === 'create-zoom-connector').state === 'open');
    const bad = await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/create-zoom-connector/complete`, {
      body: { evidence: { connectorName: 'Acme', domain: 'zoom.example.com', did: '+1 415' } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      code: 'InvalidEvidence',
      detail: 'create-zoom-connector: evidence.did "+1 415" is not an E.164 number (expected + and 8-15 digits, no spaces)',
      errors: [{ field: 'evidence.did', message: '"+1 415" is not an E.164 number (expected + and 8-15 digits, no spaces)' }],
    });
    const notSkippable = await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/publish-app/skip`, { body: { reason: 'x' } });
    expect(notSkippable.json()).toMatchObject({ status: 409, code: 'NotSkippable' });
    const skip = await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/configure-agent-transfer/skip`, { body: { reason: 'no agents' } });
    expect(skip.json().step).toMatchObject({ state: 'skipped', completedBy: 'Pat Engineer', skipReason: 'no agents' });
    const retry = await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/publish-app/retry`, { body: {} });
    expect(retry.json()).toMatchObject({ status: 409, code: 'NotRetryable' });
    const cancel = await call('POST', `/api/v1/onboardings/${file.tenantId}/cancel`, { body: { reason: 'test over' } });
    expect(cancel.json()).toMatchObject({ status: 'cancelled', cancelReason: 'test over' });
  });

  it('413 for a body over the limit, 400 for a body that is not JSON', async () => {
    const big = await call('POST', '/api/v1/onboardings', { body: { ...tenantFile(), displayName: 'x'.repeat(70 * 1024) } });
    expect(big.json()).toMatchObject({ status: 413, code: 'BodyTooLarge' });
    const junk = await call('POST', '/api/v1/onboardings', { body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(junk.statusCode).toBe(400);
    expect(junk.headers['content-type']).toMatch(/problem\+json/);
  });

  it('lists from visibility with filters and paging', async () => {
    const a = await startTenant();
    const b = await startTenant();
    for (const t of [a, b]) await waitFor(t.tenantId, (x) => x.status === 'waiting-for-human');
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await call('GET', `/api/v1/onboardings?waiting=true&pageSize=1${token ? `&pageToken=${token}` : ''}`, { token: VIEWER });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((x: any) => x.tenantId));
      token = page.nextPageToken;
      if (!token) break;
    }
    // Other test files change their runs on the same server meanwhile, and visibility pages are not a
    // snapshot (a run that closes moves), so only this test's two quiet runs must appear exactly once.
    expect([a, b].map((t) => seen.filter((id) => id === t.tenantId).length)).toEqual([1, 1]);
    const bad = await call('GET', '/api/v1/onboardings?status=sleeping&pageSize=0', { token: VIEWER });
    expect(bad.json().errors).toEqual([
      { field: 'query.status', message: 'must be one of running, waiting-for-human, needs-attention, escalated, completed, cancelled' },
      { field: 'query.pageSize', message: 'must be at least 1' },
    ]);
    for (const t of [a, b]) await call('POST', `/api/v1/onboardings/${t.tenantId}/cancel`, { body: { reason: 'done' } });
  });

  it('a forged page token (well-formed, checksum right, not signed with our key) is a 400 at once, never sent to Temporal', async () => {
    // The old scheme's token: the bytes' own SHA-256 prefix, which anyone can compute.
    const raw = Buffer.from('forged visibility token bytes');
    const forged = Buffer.concat([createHash('sha256').update(raw).digest().subarray(0, 16), raw]).toString('base64url');
    const started = Date.now();
    const res = await call('GET', `/api/v1/onboardings?pageToken=${forged}`, { token: VIEWER });
    expect(Date.now() - started).toBeLessThan(2000);
    expect([res.statusCode, res.json().errors]).toEqual([
      400,
      [{ field: 'query.pageToken', message: expect.stringMatching(/^is not a page token from this API/) }],
    ]);
  });

  it('healthz says Temporal answers; /openapi.json is valid OpenAPI 3 and /docs serves the interactive docs', async () => {
    expect((await api.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok', temporal: { reachable: true } });
    const doc = (await api.inject({ method: 'GET', url: '/openapi.json' })).json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/onboardings', '/api/v1/onboardings/{tenantId}/steps/{stepId}/complete']));
    const docs = await api.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });

  it('the Zoom webhook checks the signature and timestamp, answers URL validation, and an engagement completes the open test call', async () => {
    const ts = () => String(Math.floor(Date.now() / 1000));
    const post = (body: object, headers: Record<string, string>) =>
      api.inject({ method: 'POST', url: '/webhooks/zoom', payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
    const validation = { event: 'endpoint.url_validation', payload: { plainToken: 'abc123' } };
    const t = ts();
    const ok = await post(validation, { 'x-zm-request-timestamp': t, 'x-zm-signature': sign(WEBHOOK_SECRET, t, JSON.stringify(validation)) });
    expect(ok.json()).toEqual({ plainToken: 'abc123', encryptedToken: createHmac('sha256', WEBHOOK_SECRET).update('abc123').digest('hex') });
    expect((await post(validation, { 'x-zm-request-timestamp': t, 'x-zm-signature': 'v0=deadbeef' })).json()).toMatchObject({
      status: 401,
      code: 'BadSignature',
    });
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    expect(
      (await post(validation, { 'x-zm-request-timestamp': old, 'x-zm-signature': sign(WEBHOOK_SECRET, old, JSON.stringify(validation)) })).json(),
    ).toMatchObject({ code: 'StaleTimestamp' });

    // A tenant walked up to the test call; Zoom then reports the call's engagement.
    const file = await startTenant();
    const memory: ConsoleMemory = {};
    let p = await waitFor(file.tenantId, (x) => x.steps.some((s: any) => s.state === 'open'));
    while (p.steps.find((s: any) => s.id === 'place-test-call').state !== 'open') {
      for (const s of p.steps.filter((x: any) => x.state === 'open' && x.id !== 'place-test-call')) {
        await call('POST', `/api/v1/onboardings/${file.tenantId}/steps/${s.id}/complete`, {
          body: { evidence: await doInConsoles(s.id as HumanStepId, publicTenant(file), h.consoles, memory) },
        });
      }
      p = await waitFor(file.tenantId, (x) => x.steps.some((s: any) => s.state === 'open'));
    }
    await h.sims.zoom.app.inject({ method: 'POST', url: '/__sim/test-calls', payload: { accountId: file.zoom.accountId, number: memory.entryNumber } });
    for (let i = 0; i < 30; i++) {
      const list = (await call('GET', '/api/v1/onboardings?waiting=true&pageSize=200', { token: VIEWER })).json();
      if (list.items.some((x: any) => x.tenantId === file.tenantId && x.openSteps.includes('place-test-call'))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const event = {
      event: 'contact_center.engagement_ended',
      event_ts: Date.now(),
      payload: { account_id: file.zoom.accountId, object: { engagement_id: 'eng_1' } },
    };
    const t2 = ts();
    const res = await post(event, { 'x-zm-request-timestamp': t2, 'x-zm-signature': sign(WEBHOOK_SECRET, t2, JSON.stringify(event)) });
    expect(res.statusCode).toBe(204);
    const done = await waitFor(file.tenantId, (x) => x.steps.find((s: any) => s.id === 'place-test-call').state === 'done');
    expect(done.steps.find((s: any) => s.id === 'place-test-call').completedBy).toBe('zoom-webhook (engagement eng_1)');
  });

  it("the Zoom simulator's signed sender passes URL validation and is refused when it forges or replays", async () => {
    const url = `${await api.listen({ host: '127.0.0.1', port: 0 })}/webhooks/zoom`;
    const send = async (extra: object) =>
      (
        await h.sims.zoom.app.inject({
          method: 'POST',
          url: '/__sim/webhooks/send',
          payload: { url, secret: WEBHOOK_SECRET, event: 'contact_center.engagement_started', accountId: 'acc-nobody', ...extra },
        })
      ).json();
    expect(await send({ validateFirst: true })).toEqual({ status: 204, validated: true });
    expect(await send({ fault: 'bad-signature' })).toEqual({ status: 401 });
    expect(await send({ fault: 'stale-timestamp' })).toEqual({ status: 401 });
    expect(await send({ secret: 'another-secret-123' })).toEqual({ status: 401 });
  });
});
