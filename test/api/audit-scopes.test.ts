import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { publicTenant } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { registerTenant } from '../../src/people';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/** Over HTTP: who acts is the token's person; tokens scoped to tenants see only theirs; the audit trail paged. */
const ENGINEER = 'engineer-token-0123456789abcdef';
const CUSTOMER = 'customer-token-0123456789abcdef';

let h: Harness;
let api: FastifyInstance;
let mine: string;
let theirs: string;
beforeAll(async () => {
  h = await startHarness();
  const a = tenantFile();
  const b = tenantFile();
  [mine, theirs] = [a.tenantId, b.tenantId];
  const tokens = new TokenBook([
    { name: 'Pat Engineer', role: 'engineer', token: ENGINEER },
    { name: 'Casey Customer', role: 'engineer', token: CUSTOMER, tenants: [mine] },
  ]);
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'api-test' }),
    tokens,
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
  for (const f of [a, b]) {
    await registerTenant(h.consoles, publicTenant(f), { kore: f.kore.clientSecret, zoom: f.zoom.clientSecret });
    expect((await call('POST', '/api/v1/onboardings', f, f === a ? CUSTOMER : ENGINEER)).statusCode).toBe(201);
  }
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const call = (method: 'GET' | 'POST', url: string, body?: unknown, token = ENGINEER) =>
  api.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { payload: body as object } : {}) });

async function auditOf(tenantId: string, token = ENGINEER, pageSize = 100) {
  const entries: any[] = [];
  let pageToken = '';
  do {
    const res = await call('GET', `/api/v1/onboardings/${tenantId}/audit?pageSize=${pageSize}${pageToken ? `&pageToken=${pageToken}` : ''}`, undefined, token);
    expect(res.statusCode).toBe(200);
    entries.push(...res.json().entries);
    pageToken = res.json().nextPageToken ?? '';
  } while (pageToken);
  return entries;
}

describe('tenant-scoped tokens', () => {
  it('see and act on their own tenants only: the list is filtered, another tenant is 404 as if unknown, and the codec is closed to them', async () => {
    const listed = async (token: string) => (await call('GET', '/api/v1/onboardings?pageSize=200', undefined, token)).json().items.map((i: any) => i.tenantId);
    for (let i = 0; i < 50 && !(await listed(ENGINEER)).includes(theirs); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await listed(ENGINEER)).toEqual(expect.arrayContaining([mine, theirs]));
    expect(await listed(CUSTOMER)).toEqual([mine]);

    expect((await call('GET', `/api/v1/onboardings/${mine}`, undefined, CUSTOMER)).statusCode).toBe(200);
    const unknown = (await call('GET', '/api/v1/onboardings/no-such-tenant', undefined, ENGINEER)).json();
    for (const [method, url, body] of [
      ['GET', `/api/v1/onboardings/${theirs}`],
      ['GET', `/api/v1/onboardings/${theirs}/audit`],
      ['POST', `/api/v1/onboardings/${theirs}/steps/associate-experience-flow/complete`, { evidence: { experienceFlowName: 'Kore Voice Experience' } }],
      ['POST', `/api/v1/onboardings/${theirs}/steps/publish-app/reopen`, { reason: 'x' }],
      ['POST', `/api/v1/onboardings/${theirs}/cancel`, { reason: 'x' }],
    ] as const) {
      const res = await call(method, url, body, CUSTOMER);
      expect([url, res.statusCode, res.json().code]).toEqual([url, 404, 'UnknownTenant']);
      expect(res.json().detail).toBe(unknown.detail.replace('no-such-tenant', theirs));
    }
    // Starting another tenant's onboarding is refused by name; the codec (every tenant's payloads) is not theirs.
    const other = tenantFile();
    const start = await call('POST', '/api/v1/onboardings', other, CUSTOMER);
    expect([start.statusCode, start.json().errors]).toEqual([403, [{ field: 'body.tenantId', message: 'is not a tenant of this token' }]]);
    expect((await call('POST', '/codec/decode', { payloads: [] }, CUSTOMER)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/me', undefined, CUSTOMER)).json()).toEqual({ name: 'Casey Customer', role: 'engineer', tenants: [mine] });
    // Their tenant's run is untouched by all that.
    expect((await auditOf(theirs)).filter((e) => e.action !== 'start' && e.action !== 'run-step')).toEqual([]);
  });

  it('a token file with an empty or malformed tenants list is refused, naming the field', () => {
    expect(() => TokenBook.parse(JSON.stringify([{ name: 'x', role: 'viewer', token: CUSTOMER, tenants: [] }]), 'T')).toThrow(
      /^T: \[0\.tenants\] names no tenant/,
    );
    expect(() => TokenBook.parse(JSON.stringify([{ name: 'x', role: 'viewer', token: CUSTOMER, tenants: ['Not A Tenant'] }]), 'T')).toThrow(
      /^T: \[0\.tenants\.0\] is not a tenant id/,
    );
  });
});

describe("who acts is the token's person", () => {
  it("a body naming someone else is refused; the accepted action is recorded as the token's person, verified, via the API; the audit pages", async () => {
    for (let i = 0; i < 100; i++) {
      const p = (await call('GET', `/api/v1/onboardings/${mine}`, undefined, CUSTOMER)).json();
      if (p.steps.find((s: any) => s.id === 'associate-experience-flow').state === 'open') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = `/api/v1/onboardings/${mine}/steps/associate-experience-flow/complete`;
    const evidence = { experienceFlowName: 'Kore Voice Experience' };
    const forged = await call('POST', url, { evidence, by: 'mallory@evil.example' }, CUSTOMER);
    expect([forged.statusCode, forged.json().errors]).toEqual([400, [{ field: 'body', message: 'has unknown field(s) by' }]]);
    const ok = await call('POST', url, { evidence, updateId: 'api-complete-0001' }, CUSTOMER);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().step.completedBy).toBe('Casey Customer');
    // The same updateId again: the first answer, and no second entry.
    const again = await call('POST', url, { evidence, updateId: 'api-complete-0001' }, CUSTOMER);
    expect([again.statusCode, again.json().step]).toEqual([200, ok.json().step]);
    // A refusal through the API: who is the token's person too.
    expect((await call('POST', `/api/v1/onboardings/${mine}/steps/publish-app/skip`, { reason: 'not needed' }, ENGINEER)).statusCode).toBe(409);

    let entries: any[] = [];
    for (let i = 0; i < 50 && !entries.some((e) => e.outcome === 'refused'); i++) entries = await auditOf(mine, CUSTOMER, 2);
    expect(entries[0]).toMatchObject({ seq: 1, action: 'start', by: 'Casey Customer', byVerified: true, via: 'api' });
    expect(entries.filter((e) => e.channel === 'update')).toEqual([
      expect.objectContaining({ action: 'complete', outcome: 'accepted', by: 'Casey Customer', byVerified: true, via: 'api', updateId: 'api-complete-0001' }),
      expect.objectContaining({ action: 'skip', outcome: 'refused', by: 'Pat Engineer', byVerified: true, via: 'api', code: 'NotSkippable' }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('mallory');
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_: unknown, i: number) => i + 1));

    const bad = await call('GET', `/api/v1/onboardings/${mine}/audit?pageToken=not-a-token`);
    expect([bad.statusCode, bad.json().errors[0].field]).toEqual([400, 'query.pageToken']);
  });
});
