import axios from 'axios';
import { SignJWT } from 'jose';
import { KoreClient } from '../../src/integrations/kore/client';
import { SimAdminClient } from '../../src/sim/admin-client';
import { startWorld, TENANT, TEST_SECRETS, type World } from '../support/fixtures';
import { fixtureTenant, setUpVoicePath } from '../support/voice-path';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(() => w.stop());

const kore = (path: string, body: unknown, auth?: string) =>
  axios.post(`${w.sims.kore.url}${path}`, body, { headers: auth ? { auth } : {}, validateStatus: () => true });

const sign = (claims: Record<string, unknown>, exp?: number) => {
  const jwt = new SignJWT({ appId: TENANT.kore.clientId, ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('t').setIssuedAt();
  if (exp !== undefined) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(TEST_SECRETS.koreClientSecret));
};

describe('Kore.ai simulator: auth and validation as the reference describes', () => {
  it('rejects an expired token and a reused jti; accepts a fresh one', async () => {
    const sessions = `/api/public/bot/${TENANT.kore.botId}/getSessions`;
    const expired = await sign({}, Math.floor(Date.now() / 1000) - 10);
    expect((await kore(sessions, {}, expired)).data).toEqual({ errors: [{ msg: 'Invalid JWT token', code: 4002 }] });
    const once = await sign({ jti: 'j-1' });
    expect((await kore(sessions, {}, once)).status).toBe(200);
    expect((await kore(sessions, {}, once)).data.errors[0].msg).toBe('Invalid JWT token');
    // appId is case-sensitive
    const upper = await new SignJWT({ appId: TENANT.kore.clientId.toUpperCase() })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(TEST_SECRETS.koreClientSecret));
    expect((await kore(sessions, {}, upper)).data.errors[0].msg).toBe('Invalid SDK credentials');
  });

  it('answers missing or wrong fields with 412, and more than 50 session ids too', async () => {
    const details = `/api/public/bot/${TENANT.kore.botId}/conversationDetails`;
    expect((await kore(details, {}, await sign({}))).status).toBe(412);
    const many = Array.from({ length: 51 }, (_, i) => `s${i}`);
    const r = await kore(`/api/public/bot/${TENANT.kore.botId}/getSessions`, { sessionId: many }, await sign({}));
    expect(r.status).toBe(412);
    expect(r.data).toEqual({ errors: [{ msg: 'Validation errors/ Invalid arguments', code: 412 }] });
    const unknown = await kore(details, { sessionId: 'nope' }, await sign({}));
    expect(unknown.status).toBe(404);
  });
});

describe('simulator admin API', () => {
  it('a test call through the Zoom connector leaves a Kore session whose summary appears after the delay', async () => {
    const path = await setUpVoicePath(new SimAdminClient(w.sims.admin), fixtureTenant(TENANT));
    const { data: call } = await axios.post(`${w.sims.zoom.url}/__sim/test-calls`, {
      accountId: TENANT.zoom.accountId,
      number: path.entryNumber,
      summaryDelayMs: 400,
    });
    expect(call.reached).toBe('bot');
    let d = await w.kore.getConversationDetails(TENANT.kore.botId, { sessionId: call.koreSessionId, isSummaryRequired: true });
    expect(d.summary).toBeUndefined();
    await new Promise((r) => setTimeout(r, 450));
    d = await w.kore.getConversationDetails(TENANT.kore.botId, { sessionId: call.koreSessionId, isSummaryRequired: true });
    expect(d.summary?.ConversationSummary).toBeTruthy();
    const bad = await axios.post(`${w.sims.zoom.url}/__sim/test-calls`, { accountId: 'acc-unknown', number: '+10000000000' }, { validateStatus: () => true });
    expect(bad.status).toBe(404);
  });

  it('a dropAnswer fault does the work and then drops the answer: the client sees a hang-up, the vendor acted', async () => {
    w.sims.kore.world.addApp({ clientId: 'cs-admin-drop', clientSecret: TEST_SECRETS.koreClientSecret, admin: true, scopes: ['Bot Publish'] });
    const admin = new KoreClient({
      baseUrl: w.sims.kore.url,
      credentials: { clientId: 'cs-admin-drop', clientSecret: TEST_SECRETS.koreClientSecret },
      timeoutMs: 3_000,
    });
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '/api/public/bot/:botId/publish', dropAnswer: true, count: 1 });
    const err = await admin.publishBot(TENANT.kore.botId, 'dropped').then(
      () => undefined,
      (e) => e,
    );
    expect(err).toMatchObject({ kind: 'Transient' });
    // The publish happened all the same: a retry that does not look first would publish twice.
    expect(w.sims.kore.world.bots.get(TENANT.kore.botId)?.publishJob?.comment).toBe('dropped');
    const counts = (await axios.get(`${w.sims.kore.url}/__sim/calls`)).data;
    expect(counts['POST /api/public/bot/:botId/publish']).toEqual({ count: 1, statuses: { 0: 1 } });
    await expect(admin.publishBot(TENANT.kore.botId, 'again')).resolves.toEqual(expect.any(Array));
  });

  it('faults apply to the count given, latency delays, and calls are counted by route and status', async () => {
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '/api/public/bot/:botId/getSessions', status: 500, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        await w.kore.listSessions(TENANT.kore.botId).then(
          () => 200,
          (e) => e.status,
        ),
      );
    expect(statuses).toEqual([500, 500, 200]);
    const calls = (await axios.get(`${w.sims.kore.url}/__sim/calls`)).data;
    expect(calls['POST /api/public/bot/:botId/getSessions']).toEqual({ count: 3, statuses: { 500: 2, 200: 1 } });
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '*', latencyMs: 300, count: 1 });
    const t = Date.now();
    await w.kore.listSessions(TENANT.kore.botId);
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    const faults = (await axios.get(`${w.sims.kore.url}/__sim/faults`)).data;
    expect(faults.map((f: { hits: number }) => f.hits)).toEqual([2, 1]);
  });

  it('a probability fault hits some requests, not all', async () => {
    await axios.post(`${w.sims.zoom.url}/__sim/faults`, { path: '/v2/contact_center/queues', status: 503, probability: 0.5 });
    await axios.put(`${w.sims.zoom.url}/__sim/limits`, { MEDIUM: 1000 });
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        w.zoom.listQueues().then(
          () => 'ok',
          () => 'fail',
        ),
      ),
    );
    const failed = results.filter((r) => r === 'fail').length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(55);
  });

  it('POST /__sim/bots/:botId/publish starts a publish job with the comment; a bad comment or unknown bot is refused', async () => {
    const publish = (botId: string, body: unknown) => axios.post(`${w.sims.kore.url}/__sim/bots/${botId}/publish`, body, { validateStatus: () => true });
    const bad = await publish(TENANT.kore.botId, { comment: 5 });
    expect(bad.status).toBe(400);
    expect(bad.data.error).toMatch(/^comment: /);
    expect((await publish('st-unknown', {})).status).toBe(404);
    const ok = await publish(TENANT.kore.botId, { comment: 'go-live' });
    expect(ok.status).toBe(202);
    expect(ok.data).toEqual({ botId: TENANT.kore.botId, comment: 'go-live', status: 'inprogress' });
    expect(w.sims.kore.world.bots.get(TENANT.kore.botId)?.publishJob?.comment).toBe('go-live');
    // No body: an empty comment, as the vendor publish API without versionComment.
    expect((await publish(TENANT.kore.botId, undefined)).data.comment).toBe('');
  });

  it('a bad admin body names the field', async () => {
    const r = await axios.post(`${w.sims.zoom.url}/__sim/faults`, { path: '*', status: 42 }, { validateStatus: () => true });
    expect(r.status).toBe(400);
    expect(r.data.error).toMatch(/^status: /);
  });
});
