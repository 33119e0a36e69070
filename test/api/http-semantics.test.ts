import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { CONSISTENT_READ_DEADLINE_MS, Onboardings } from '../../src/app';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { registerTenant } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * What the API answers where the OpenAPI document and the behaviour used to differ (schemathesis found
 * them; test/api/schemathesis.test.ts keeps finding none): a method a path lacks, an over-long path
 * segment, an Update id reused for another action, an over-long Last-Event-ID, health checks asked of a
 * tenant that has none, an amendment that changes nothing, a codec call with no body.
 */
const ENGINEER = 'semantics-engineer-token-0123456789';

let h: Harness;
let api: FastifyInstance;
let tenantId = '';
beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'api-semantics' }),
    tokens: new TokenBook([{ name: 'Sam Engineer', role: 'engineer', token: ENGINEER }]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  expect((await call('POST', '/api/v1/onboardings', file)).statusCode).toBe(201);
  tenantId = file.tenantId;
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  api.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${ENGINEER}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });

describe('HTTP semantics the document states', () => {
  it('405 with Allow for a method a known path lacks (QUERY without a body too); 404 for an unknown path', async () => {
    for (const [method, url, allow] of [
      ['TRACE', '/api/v1/me', 'GET, HEAD'],
      ['DELETE', `/api/v1/onboardings/${tenantId}`, 'GET, HEAD'],
      ['QUERY', `/api/v1/onboardings/${tenantId}/health`, 'GET, HEAD'],
      ['GET', `/api/v1/onboardings/${tenantId}/tenant`, 'PATCH'],
      ['PUT', '/codec/decode', 'POST, OPTIONS'],
      ['POST', '/metrics', 'GET, HEAD'],
    ] as const) {
      const res = await call(method, url, undefined, { authorization: '' });
      expect([method, url, res.statusCode, res.headers.allow]).toEqual([method, url, 405, allow]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 405, code: 'MethodNotAllowed', requestId: res.headers['x-request-id'] });
    }
    expect((await call('TRACE', '/api/v1/nothing')).json()).toMatchObject({ status: 404, code: 'NotFound' });
  });

  it('a wrong tenant id is a 400 naming it however long; a segment past 2048 characters is a 414', async () => {
    expect((await call('GET', `/api/v1/onboardings/${'a'.repeat(300)}`)).json()).toMatchObject({ status: 400, errors: [{ field: 'path.tenantId' }] });
    expect((await call('GET', `/api/v1/onboardings/${'a'.repeat(2049)}`)).json()).toMatchObject({ status: 414, code: 'UriTooLong' });
  });

  it('an Update id already used for another action is a 409 naming it, not that action’s answer', async () => {
    const cancelUrl = `/api/v1/onboardings/${tenantId}/cancel`;
    const reuse = { updateId: 'semantics-reused-0001' };
    // A retry the workflow refuses leaves no answer behind, so it is the amendment that answers first.
    const amended = await call('PATCH', `/api/v1/onboardings/${tenantId}/tenant`, { changes: { displayName: 'Acme Amended' }, reason: 'rename', ...reuse });
    expect(amended.statusCode).toBe(200);
    // The same id for the same action: the first answer again (the progress beside it is read anew).
    const again = await call('PATCH', `/api/v1/onboardings/${tenantId}/tenant`, { changes: { displayName: 'Acme Amended' }, reason: 'rename', ...reuse });
    expect([again.statusCode, again.json().reopened]).toEqual([200, amended.json().reopened]);
    for (const [url, body] of [
      [cancelUrl, { reason: 'not this', ...reuse }],
      [`/api/v1/onboardings/${tenantId}/steps/verify-kore-access/reopen`, { reason: 'not this', ...reuse }],
      [`/api/v1/onboardings/${tenantId}/steps/verify-kore-access/retry`, reuse],
    ] as const)
      expect((await call('POST', url, body)).json()).toMatchObject({ status: 409, code: 'UpdateIdReused', errors: [{ field: 'body.updateId' }] });
    expect((await call('GET', `/api/v1/onboardings/${tenantId}`)).json()).toMatchObject({ status: expect.not.stringMatching(/cancelled/) });
    // The same id with a body no tenant could take: refused for what it says, not answered with the first outcome (schemathesis).
    const bogus = await call('PATCH', `/api/v1/onboardings/${tenantId}/tenant`, { changes: { kore: { bogus: 1 } }, reason: 'rename', ...reuse });
    expect([bogus.statusCode, bogus.json().errors]).toEqual([400, [{ field: 'body.changes.kore.bogus', message: 'is not a tenant field' }]]);
  });

  it('an amendment that leaves the tenant as it is: 409 TenantUnchanged', async () => {
    const res = await call('PATCH', `/api/v1/onboardings/${tenantId}/tenant`, { changes: { displayName: 'Acme Amended' }, reason: 'same again' });
    expect(res.json()).toMatchObject({ status: 409, code: 'TenantUnchanged', errors: [{ field: 'changes', message: 'leave the tenant as it is' }] });
  });

  it('the codec refuses a POST with no body at all (the UI and CLI send {} for no payloads, which it answers)', async () => {
    for (const op of ['decode', 'encode']) {
      const none = await call('POST', `/codec/${op}`);
      expect([op, none.statusCode, none.json().code]).toEqual([op, 400, 'InvalidInput']);
      expect((await call('POST', `/codec/${op}`, {})).json()).toEqual({ payloads: [] });
    }
  });

  it('a consistent read of a run no worker answers is a 503 TemporalUnavailable with Retry-After, in bounded time', async () => {
    const file = tenantFile();
    await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
    // Started on a task queue no worker polls: the run exists, nobody can answer its queries.
    await new Onboardings(h.client, h.config, { taskQueue: `nobody-${file.tenantId}`, onboardingOptions: FAST }).start(file);
    const t0 = Date.now();
    const res = await call('GET', `/api/v1/onboardings/${file.tenantId}?consistent=true`);
    expect([res.statusCode, res.headers['retry-after'], res.json().code]).toEqual([503, '5', 'TemporalUnavailable']);
    expect(Date.now() - t0).toBeLessThan(CONSISTENT_READ_DEADLINE_MS + 5_000);
  });

  it('a Last-Event-ID over 200 characters is a 400 naming the header', async () => {
    const res = await call('GET', `/api/v1/onboardings/${tenantId}/events`, undefined, { 'last-event-id': 'x'.repeat(201) });
    expect(res.json()).toMatchObject({ status: 400, errors: [{ field: 'header.Last-Event-ID', message: 'is longer than 200 characters' }] });
  });

  it('health checks of a known tenant that has none: 409 NoHealthChecks; of an unknown tenant: 404', async () => {
    for (const [method, url] of [
      ['GET', `/api/v1/onboardings/${tenantId}/health`],
      ['POST', `/api/v1/onboardings/${tenantId}/health/run`],
      ['POST', `/api/v1/onboardings/${tenantId}/health/disable`],
    ] as const)
      expect((await call(method, url, method === 'POST' ? {} : undefined)).json()).toMatchObject({ status: 409, code: 'NoHealthChecks' });
    expect((await call('GET', '/api/v1/onboardings/acme-nobody/health')).json()).toMatchObject({ status: 404, code: 'UnknownTenant' });
    expect((await call('POST', `/api/v1/onboardings/${tenantId}/health/enable`, {})).json()).toMatchObject({ status: 409, code: 'HealthConflict' });
    // A JSON null is no object, where no body at all is an empty one.
    for (const action of ['enable', 'run', 'disable'])
      expect((await call('POST', `/api/v1/onboardings/${tenantId}/health/${action}`, null)).json()).toMatchObject({ status: 400, errors: [{ field: 'body' }] });
  });
});
