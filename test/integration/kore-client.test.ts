import axios from 'axios';
import { SignJWT } from 'jose';
import { IntegrationError } from '../../src/integrations/errors';
import { KoreClient } from '../../src/integrations/kore/client';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { rejection, startWorld, TENANT, TEST_SECRETS, type World } from '../support/fixtures';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(() => w.stop());

const bot = TENANT.kore.botId;

describe('Kore.ai client against the simulator', () => {
  it('lists sessions newest first, pages with skip, and fetches details with the summary once XO GPT has it', async () => {
    const first = w.sims.kore.world.addSession(bot, { callId: 'zcc-1' });
    const second = w.sims.kore.world.addSession(bot, { callId: 'zcc-2', summaryDelayMs: 60_000 });
    const page = await w.kore.listSessions(bot, { limit: 1 });
    expect(page.sessions.map((s) => s.sessionId)).toEqual([second.sessionId]);
    expect(page.moreAvailable).toBe(true);
    const all = [];
    for await (const s of w.kore.iterateSessions(bot, { limit: 1 })) all.push(s.sessionId);
    expect(all).toEqual([second.sessionId, first.sessionId]);

    // Summary feature off: no summary even when asked.
    let details = await w.kore.getConversationDetails(bot, { sessionId: first.sessionId, isSummaryRequired: true });
    expect(details.conversationInfo.sessionId).toBe(first.sessionId);
    expect(details.conversationHistory.length).toBeGreaterThan(0);
    expect(details.summary).toBeUndefined();

    w.sims.kore.world.addBot({ botId: bot, summaryEnabled: true });
    details = await w.kore.getConversationDetails(bot, { callId: 'zcc-1', isSummaryRequired: true });
    expect(details.summary?.ConversationSummary).toMatch(/agent/);
    // The second call's summary is not ready yet (XO GPT takes minutes).
    details = await w.kore.getConversationDetails(bot, { sessionId: second.sessionId, isSummaryRequired: true });
    expect(details.summary).toBeUndefined();
  });

  it('reads chat history (V2 and v1) for a session', async () => {
    const s = w.sims.kore.world.addSession(bot, {});
    const v2 = await w.kore.getChatHistory(bot, { sessionId: [s.sessionId] });
    expect(v2.messages).toHaveLength(3);
    const v1 = [];
    for await (const m of w.kore.iterateChatHistory(bot, { sessionId: [s.sessionId], limit: 2 }, 'v1')) v1.push(m._id);
    expect(v1).toEqual(v2.messages.map((m) => m._id));
  });

  it('bad client secret -> AuthRejected, not retryable, no secret in the message', async () => {
    const bad = new KoreClient({ baseUrl: w.sims.kore.url, credentials: { clientId: TENANT.kore.clientId, clientSecret: 'wrong-secret-value' } });
    const err = await rejection(() => bad.listSessions(bot));
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ kind: 'AuthRejected', status: 401, retryable: false });
    expect(String((err as Error).message)).toContain('Invalid SDK credentials');
    expect(String((err as Error).message)).not.toContain('wrong-secret-value');
  });

  it('a token that is not a JWT, or signed with another algorithm, is rejected as Kore does', async () => {
    const raw = (auth: string) => axios.post(`${w.sims.kore.url}/api/public/bot/${bot}/getSessions`, {}, { headers: { auth }, validateStatus: () => true });
    let res = await raw('not-a-jwt');
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ errors: [{ msg: 'Invalid JWT token', code: 4002 }] });
    const hs512 = await new SignJWT({ appId: TENANT.kore.clientId })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(TEST_SECRETS.koreClientSecret.repeat(3)));
    res = await raw(hs512);
    expect(res.data.errors[0].msg).toBe('Invalid JWT token');
    res = await axios.post(`${w.sims.kore.url}/api/public/bot/${bot}/getSessions`, {}, { validateStatus: () => true });
    expect(res.data.errors[0].msg).toBe('Invalid SDK credentials');
  });

  it('unknown bot -> NotFound', async () => {
    const err = await rejection(() => w.kore.listSessions('st-does-not-exist'));
    expect(err).toMatchObject({ kind: 'NotFound', status: 400 });
  });

  it('scope revoked -> ScopeMissing naming the scope the endpoint needs (401 as real Kore, and 403)', async () => {
    await axios.delete(`${w.sims.kore.url}/__sim/apps/${TENANT.kore.clientId}/scopes/${encodeURIComponent(KORE_SCOPES.chatHistory)}`);
    const s = w.sims.kore.world.addSession(bot, {});
    let err = await rejection(() => w.kore.getConversationDetails(bot, { sessionId: s.sessionId }));
    expect(err).toMatchObject({ kind: 'ScopeMissing', status: 401, scopes: ['Chat History'], retryable: false });
    expect((err as Error).message).toContain('"Chat History"');
    // Sessions still work: only the revoked scope is missing.
    await expect(w.kore.listSessions(bot)).resolves.toBeDefined();
    await axios.put(`${w.sims.kore.url}/__sim/scope-status/403`);
    err = await rejection(() => w.kore.getChatHistory(bot, { sessionId: [s.sessionId] }));
    expect(err).toMatchObject({ kind: 'ScopeMissing', status: 403, scopes: ['Chat History'] });
  });

  it("429 with Retry-After in seconds, and Kore's own per-minute limit -> RateLimited with the wait", async () => {
    // Clients of their own: a refusal holds back every later call of the same client (and of any
    // client sharing its rate windows) for that bot until the wait is over.
    const client = () =>
      new KoreClient({ baseUrl: w.sims.kore.url, credentials: { clientId: TENANT.kore.clientId, clientSecret: TEST_SECRETS.koreClientSecret } });
    const refused = client();
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '/api/public/bot/:botId/getSessions', status: 429, retryAfter: '7', count: 1 });
    let err = await rejection(() => refused.listSessions(bot));
    expect(err).toMatchObject({ kind: 'RateLimited', retryAfterMs: 7000, retryable: true });
    // The same client waits the 7 s out without asking again; the fault itself was for one request.
    expect(await rejection(() => refused.listSessions(bot))).toMatchObject({ kind: 'RateLimited' });
    await client().listSessions(bot);

    const limited = client();
    await axios.put(`${w.sims.kore.url}/__sim/limits`, { perMinute: 2 });
    await limited.listSessions(bot);
    await limited.listSessions(bot);
    err = await rejection(() => limited.listSessions(bot));
    expect(err).toMatchObject({ kind: 'RateLimited', status: 429 });
    expect((err as IntegrationError).retryAfterMs).toBeGreaterThan(50_000);
    expect((err as IntegrationError).retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('429 with Retry-After as an HTTP date -> RateLimited with the time until then', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '*', status: 429, retryAfter: at, count: 1 });
    const err = (await rejection(() => w.kore.listSessions(bot))) as IntegrationError;
    expect(err.kind).toBe('RateLimited');
    expect(err.retryAfterMs).toBeGreaterThan(25_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('5xx, socket hang-up and timeouts -> Transient (retryable)', async () => {
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '*', status: 503, count: 1 });
    expect(await rejection(() => w.kore.listSessions(bot))).toMatchObject({ kind: 'Transient', status: 503, retryable: true });
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '*', drop: true, count: 1 });
    const dropped = (await rejection(() => w.kore.listSessions(bot))) as IntegrationError;
    expect(dropped).toMatchObject({ kind: 'Transient', retryable: true });
    expect(dropped.message).toMatch(/socket hang up|reset/);
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '*', latencyMs: 5_000, count: 1 });
    const slow = new KoreClient({
      baseUrl: w.sims.kore.url,
      credentials: { clientId: TENANT.kore.clientId, clientSecret: TEST_SECRETS.koreClientSecret },
      timeoutMs: 300,
    });
    expect(await rejection(() => slow.listSessions(bot))).toMatchObject({ kind: 'Transient', message: expect.stringContaining('timed out') });
  });

  it('a body that breaks the contract -> UnexpectedResponse naming the path', async () => {
    await axios.post(`${w.sims.kore.url}/__sim/faults`, { path: '*', status: 200, body: { sessions: 'nope' }, count: 1 });
    const err = (await rejection(() => w.kore.listSessions(bot))) as IntegrationError;
    expect(err.kind).toBe('UnexpectedResponse');
    expect(err.message).toContain('sessions');
  });

  it('admin app calls: publish status moves to successful and get bots shows published', async () => {
    w.sims.kore.world.addApp({
      clientId: TENANT.koreAdmin.clientId,
      clientSecret: TEST_SECRETS.koreAdminSecret,
      admin: true,
      scopes: [KORE_SCOPES.botPublish, KORE_SCOPES.roleManagement],
    });
    const admin = new KoreClient({
      baseUrl: w.sims.kore.url,
      credentials: { clientId: TENANT.koreAdmin.clientId, clientSecret: TEST_SECRETS.koreAdminSecret },
    });
    expect(await rejection(() => admin.getPublishStatus(bot))).toMatchObject({ kind: 'NotFound' });
    w.sims.kore.world.publishDurationMs = 0;
    w.sims.kore.world.publish(bot, 'go live');
    await expect(admin.getPublishStatus(bot)).resolves.toMatchObject({ status: 'successful' });
    const { bots } = await admin.listBots();
    expect(bots).toContainEqual({ _id: bot, name: TENANT.kore.botName, status: 'published' });
    // A bot app may not call admin APIs: Kore says "scope".
    expect(await rejection(() => w.kore.listBots())).toMatchObject({ kind: 'ScopeMissing', scopes: ['Role Management'] });
  });

  it("the wrong verb is a 405 in Kore's shape", async () => {
    const res = await axios.get(`${w.sims.kore.url}/api/public/bot/${bot}/getSessions`, { validateStatus: () => true });
    expect(res.status).toBe(405);
    expect(res.data).toEqual({ errors: [{ msg: 'Method Not Allowed', code: 405 }] });
  });

  it('never shows its secret when printed', () => {
    const printed = [String(w.kore), JSON.stringify(w.kore), require('node:util').inspect(w.kore, { depth: 5, showHidden: true })].join(' ');
    expect(printed).toContain(TENANT.kore.clientId);
    expect(printed).not.toContain(TEST_SECRETS.koreClientSecret);
  });
});
