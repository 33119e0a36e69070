import fs from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import { inspect } from 'node:util';
import { IntegrationError } from '../../src/integrations/errors';
import { ZoomClient } from '../../src/integrations/zoom/client';
import { FlowsPage } from '../../src/integrations/zoom/schemas';
import { rejection, startWorld, TENANT, TEST_SECRETS, type World } from '../support/fixtures';
import { SimAdminClient } from '../../src/sim/admin-client';
import { fixtureTenant, setUpVoicePath } from '../support/voice-path';

let w: World;
afterEach(() => w?.stop());

const admin = (path: string) => `${w.sims.zoom.url}/__sim${path}`;

describe('Zoom client against the simulator', () => {
  beforeEach(async () => {
    w = await startWorld();
  });

  it('gets an S2S token once and reads users, queues, agents, flows and entry points', async () => {
    const users = await w.zoom.listUsers();
    expect(users[0]).toMatchObject({ display_name: 'Ada Agent' });
    const queues = await w.zoom.listQueues();
    expect(queues).toHaveLength(1);
    const agents = await w.zoom.listQueueAgents(queues[0]!.cc_queue_id);
    expect(agents.map((a) => a.user_id)).toEqual([users[0]!.user_id]);
    const flows = await w.zoom.listFlows();
    expect(flows[0]).toMatchObject({ flow_name: 'Main IVR', status: 'draft' });
    const flow = await w.zoom.getFlow(flows[0]!.flow_id);
    expect(flow.entry_points[0]!.entry_number).toMatch(/^\+\d+$/);
    expect(await w.zoom.listFlowEntryPoints(flow.flow_id)).toHaveLength(1);
    expect(w.zoom.tokens.fetches).toBe(1);
  });

  it('follows next_page_token across pages, and an expired or tampered token is refused', async () => {
    for (let i = 0; i < 7; i++) w.sims.zoom.world.addFlow(TENANT.zoom.accountId, { flowName: `Flow ${i}`, status: i % 2 ? 'published' : 'draft' });
    const names: string[] = [];
    for await (const f of w.zoom.paginate('listFlows', '/contact_center/flows', {}, FlowsPage, 'flows', 3)) {
      names.push(f.flow_name);
    }
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    const published = await w.zoom.listFlows({ status: 'published' });
    expect(published.map((f) => f.flow_name).sort()).toEqual(['Flow 1', 'Flow 3', 'Flow 5']);

    const token = (await w.zoom.tokens.token()).value.reveal();
    const res = await axios.get(`${w.sims.zoom.apiUrl}/contact_center/flows`, {
      params: { next_page_token: 'bogus' },
      headers: { authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });
    expect(res.status).toBe(400);
    expect(res.data.code).toBe(300);
  });

  it('finds the engagement a test call through the connector left, and reads it by id', async () => {
    const path = await setUpVoicePath(new SimAdminClient(w.sims.admin), fixtureTenant(TENANT));
    expect(path.domain).toMatch(/\./);
    expect(path.did).toMatch(/^\+\d{8,15}$/);
    const { data: call } = await axios.post(admin('/test-calls'), { accountId: TENANT.zoom.accountId, number: path.entryNumber });
    expect(call.koreSessionId).toBeDefined();
    const engagements = await w.zoom.listEngagements({
      from: new Date(Date.now() - 3_600_000).toISOString().slice(0, 19) + 'Z',
      to: new Date(Date.now() + 3_600_000).toISOString().slice(0, 19) + 'Z',
    });
    expect(engagements.map((e) => e.engagement_id)).toContain(call.engagementId);
    const one = await w.zoom.getEngagement(call.engagementId);
    expect(one.events?.map((e) => e.event_type)).toContain('transfer_to_agent');
    const events = await w.zoom.getEngagementEvents(call.engagementId);
    expect(events.events.map((e) => e.event_name)).toEqual(['Start', 'Flow', 'Assistant Connector', 'Queue', 'Agent Connected', 'End']);
    // ...and the Kore side has the session for the connector's bot.
    const sessions = await w.kore.listSessions(TENANT.kore.botId);
    expect(sessions.sessions.map((s) => s.sessionId)).toContain(call.koreSessionId);
  });

  it('publishFlow publishes a draft flow (204, as the document says), and again changes nothing', async () => {
    const flow = w.sims.zoom.world.addFlow(TENANT.zoom.accountId, { flowName: 'Draft to publish', status: 'draft' });
    // Without flow:write Zoom refuses it as a missing scope, naming the documented pair.
    expect(await rejection(() => w.zoom.publishFlow(flow.flow_id))).toMatchObject({
      kind: 'ScopeMissing',
      scopes: ['contact_center_flow:write:admin', 'contact_center:update:flow:admin'],
    });
    w.sims.zoom.world.mustAccount(TENANT.zoom.accountId).scopes.add('contact_center_flow:write:admin');
    const doc = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'vendor-contracts', 'zoom-contact-center.openapi.json'), 'utf8'));
    expect(Object.keys(doc.paths['/contact_center/flows/{flowId}/publish'].put.responses)).toContain('204');
    await w.zoom.publishFlow(flow.flow_id);
    expect((await w.zoom.getFlow(flow.flow_id)).status).toBe('published');
    await w.zoom.publishFlow(flow.flow_id);
    expect((await w.zoom.getFlow(flow.flow_id)).status).toBe('published');
    expect(await rejection(() => w.zoom.publishFlow('nope'))).toMatchObject({ kind: 'NotFound' });
  });

  it('unknown ids -> NotFound with Zoom codes', async () => {
    expect(await rejection(() => w.zoom.getFlow('nope'))).toMatchObject({ kind: 'NotFound', vendorCode: 3201 });
    expect(await rejection(() => w.zoom.getEngagement('nope'))).toMatchObject({ kind: 'NotFound', vendorCode: 2901 });
  });

  it('bad OAuth secret or account id -> AuthRejected, and the secret is not in the error', async () => {
    const bad = new ZoomClient({
      apiUrl: w.sims.zoom.apiUrl,
      oauthUrl: w.sims.zoom.oauthUrl,
      credentials: { accountId: TENANT.zoom.accountId, clientId: TENANT.zoom.clientId, clientSecret: 'not-the-secret-123' },
    });
    const err = (await rejection(() => bad.listUsers())) as IntegrationError;
    expect(err).toMatchObject({ kind: 'AuthRejected', status: 400, vendorCode: 'invalid_client', retryable: false });
    expect(`${err.message} ${err.stack} ${inspect(err)}`).not.toContain('not-the-secret-123');
    const wrongAccount = new ZoomClient({
      apiUrl: w.sims.zoom.apiUrl,
      oauthUrl: w.sims.zoom.oauthUrl,
      credentials: { accountId: 'acc-other', clientId: TENANT.zoom.clientId, clientSecret: TEST_SECRETS.zoomClientSecret },
    });
    expect(await rejection(() => wrongAccount.listUsers())).toMatchObject({ kind: 'AuthRejected', message: expect.stringContaining('Invalid Account Id') });
  });

  it('scope revoked -> ScopeMissing naming both accepted scopes (4711)', async () => {
    await w.zoom.listFlows();
    await axios.delete(admin(`/accounts/${TENANT.zoom.accountId}/scopes/contact_center_flow:read:admin`));
    const err = (await rejection(() => w.zoom.listFlows())) as IntegrationError;
    expect(err).toMatchObject({
      kind: 'ScopeMissing',
      status: 400,
      vendorCode: 4711,
      scopes: ['contact_center_flow:read:admin', 'contact_center:read:list_flows:admin'],
      retryable: false,
    });
    expect(err.message).toContain('contact_center_flow:read:admin');
    // The granular scope alone is enough, as with Zoom.
    await axios.put(admin(`/accounts/${TENANT.zoom.accountId}/scopes/contact_center:read:list_flows:admin`), {});
    await axios.post(admin(`/accounts/${TENANT.zoom.accountId}/tokens/expire`), {});
    await expect(w.zoom.listFlows()).resolves.toHaveLength(1);
  });

  it('429: Retry-After as seconds, as an ISO instant (daily), and QPS without one -> RateLimited with the wait', async () => {
    await axios.post(admin('/faults'), { path: '/v2/contact_center/queues', status: 429, retryAfter: '2', count: 1 });
    expect(await rejection(() => w.zoom.listQueues())).toMatchObject({ kind: 'RateLimited', retryAfterMs: 2000, retryable: true });
    // Until then the client asks Zoom nothing for this account: every call waits, whichever activity makes it.
    const queuesAsked = w.sims.zoom.calls.timeline().length;
    const held = (await rejection(() => w.zoom.listUsers())) as IntegrationError;
    expect(held).toMatchObject({ kind: 'RateLimited', retryable: true });
    expect(held.retryAfterMs).toBeGreaterThan(1000);
    expect(held.message).toMatch(/Zoom rate limit for this account until .* \(a refusal a moment ago\); will retry then$/);
    expect(w.sims.zoom.calls.timeline().length).toBe(queuesAsked);
    await new Promise((r) => setTimeout(r, held.retryAfterMs! + 50));

    await axios.put(admin('/limits'), { MEDIUM: 1 });
    await w.zoom.listQueues();
    const qps = (await rejection(() => w.zoom.listQueues())) as IntegrationError;
    expect(qps).toMatchObject({ kind: 'RateLimited', status: 429, retryAfterMs: 1000 });
    // The daily refusal last: it holds the account for 90 s.
    await new Promise((r) => setTimeout(r, 1050));
    const at = new Date(Date.now() + 90_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await axios.post(admin('/faults'), {
      path: '*',
      status: 429,
      retryAfter: at,
      headers: { 'x-ratelimit-type': 'Daily-limit' },
      count: 1,
    });
    const daily = (await rejection(() => w.zoom.listQueues())) as IntegrationError;
    expect(daily.kind).toBe('RateLimited');
    expect(daily.message).toContain('daily');
    expect(daily.retryAfterMs).toBeGreaterThan(85_000);
    expect(daily.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('5xx and a dropped connection -> Transient', async () => {
    await w.zoom.listUsers(); // token first, so the faults hit the API call
    await axios.post(admin('/faults'), { path: '/v2/contact_center/users', status: 502, count: 1 });
    expect(await rejection(() => w.zoom.listUsers())).toMatchObject({ kind: 'Transient', status: 502 });
    await axios.post(admin('/faults'), { path: '/v2/contact_center/users', drop: true, count: 1 });
    expect(await rejection(() => w.zoom.listUsers())).toMatchObject({ kind: 'Transient' });
  });

  it('an expired token (either 401 shape) is refreshed once and the call retried', async () => {
    await w.zoom.listUsers();
    await axios.post(admin(`/accounts/${TENANT.zoom.accountId}/tokens/expire`), {});
    await expect(w.zoom.listQueues()).resolves.toHaveLength(1);
    expect(w.zoom.tokens.fetches).toBe(2);
    await axios.put(admin('/zcc-401-variant/on'), {});
    await axios.post(admin(`/accounts/${TENANT.zoom.accountId}/tokens/expire`), {});
    await expect(w.zoom.listUsers()).resolves.toHaveLength(1);
    expect(w.zoom.tokens.fetches).toBe(3);
    // A 401 that persists after a fresh token is a real rejection, not a loop.
    await axios.post(admin('/faults'), { path: '/v2/contact_center/queues', status: 401, body: { code: 124, message: 'Invalid access token.' } });
    expect(await rejection(() => w.zoom.listQueues())).toMatchObject({ kind: 'AuthRejected', status: 401 });
    expect(w.zoom.tokens.fetches).toBe(4);
  });
});

describe('Zoom token refresh under load', () => {
  it('refreshes once under 20 concurrent calls after expiry', async () => {
    w = await startWorld({ tokenTtlSeconds: 3599 });
    await axios.put(admin('/limits'), { MEDIUM: 100 }); // 40 calls in a second is over Zoom's real 20/s
    await Promise.all(Array.from({ length: 20 }, () => w.zoom.listQueues()));
    expect(w.zoom.tokens.fetches).toBe(1);
    await axios.post(admin(`/accounts/${TENANT.zoom.accountId}/tokens/expire`), {});
    const results = await Promise.all(Array.from({ length: 20 }, () => w.zoom.listQueues()));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(w.zoom.tokens.fetches).toBe(2);
    const { calls } = w.sims.zoom;
    expect(calls.count('POST', '/oauth/token')).toBe(2);
  });

  it('a token within the refresh skew of its expiry is replaced before use', async () => {
    // 30 s tokens with the default 60 s skew: every call needs a fresh token, so the cache never serves a dying one.
    w = await startWorld({ tokenTtlSeconds: 30 });
    await w.zoom.listQueues();
    await w.zoom.listQueues();
    expect(w.zoom.tokens.fetches).toBe(2);
  });
});
