import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { KoreClient } from '../../src/integrations/kore/client';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { ZoomClient } from '../../src/integrations/zoom/client';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient, SimAdminError } from '../../src/sim/admin-client';
import { rejection } from '../support/fixtures';

/**
 * Every SimAdminClient method against real started simulators, with its effect checked through
 * the vendor API (our own Kore.ai and Zoom clients) or, where no vendor API shows it, the world.
 */
const KORE = { clientId: 'cs-admin-client-test', clientSecret: 'kore-admin-client-secret', botId: 'st-admin-client-bot', scopes: [KORE_SCOPES.botSessions] };
const KORE_ADMIN = { clientId: 'cs-admin-console-test', clientSecret: 'kore-admin-console-secret' };
const ZOOM = { accountId: 'acc-admin-client', clientId: 'zc-admin-client', clientSecret: 'zoom-admin-client-secret' };

let sims: Simulators;
let admin: SimAdminClient;
beforeEach(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.admin);
});
afterEach(() => sims.stop());

const koreClient = (c: { clientId: string; clientSecret: string } = KORE) => new KoreClient({ baseUrl: sims.kore.url, credentials: c, timeoutMs: 3_000 });
const zoomClient = () => new ZoomClient({ apiUrl: sims.zoom.apiUrl, oauthUrl: sims.zoom.oauthUrl, credentials: ZOOM, timeoutMs: 3_000 });

describe('SimAdminClient: the people part of an onboarding, over HTTP', () => {
  it('registers a tenant and an admin app, maps scopes, turns the summary on, publishes', async () => {
    expect(await admin.registerKoreTenant({ ...KORE, botName: 'Admin Client Bot' })).toEqual({ botId: KORE.botId, clientId: KORE.clientId });
    const kore = koreClient();
    await expect(kore.listSessions(KORE.botId)).resolves.toMatchObject({ total: 0 });
    const s = await admin.addKoreSession(KORE.botId, { callId: 'zcc-admin-1', summaryDelayMs: 0 });
    expect((await kore.listSessions(KORE.botId)).sessions.map((x) => x.sessionId)).toEqual([s.sessionId]);

    // Chat History is a person's step; until then details are refused as a missing scope. A
    // mapping takes effect on publish (as Kore.ai documents); `now` applies it at once.
    expect(await rejection(() => kore.getConversationDetails(KORE.botId, { sessionId: s.sessionId }))).toMatchObject({ kind: 'ScopeMissing' });
    const pendingMap = await admin.mapKoreScope(KORE.clientId, KORE_SCOPES.chatHistory);
    expect(pendingMap).toMatchObject({ scopes: [KORE_SCOPES.botSessions], pendingScopes: [KORE_SCOPES.chatHistory] });
    expect(await rejection(() => kore.getConversationDetails(KORE.botId, { sessionId: s.sessionId }))).toMatchObject({ kind: 'ScopeMissing' });
    const mapped = await admin.mapKoreScope(KORE.clientId, KORE_SCOPES.chatHistory, { now: true });
    expect(mapped.scopes).toContain(KORE_SCOPES.chatHistory);
    let d = await kore.getConversationDetails(KORE.botId, { callId: 'zcc-admin-1', isSummaryRequired: true });
    expect(d.summary).toBeUndefined();

    expect(await admin.setConversationSummary(KORE.botId, true)).toMatchObject({ botId: KORE.botId, summaryEnabled: true });
    d = await kore.getConversationDetails(KORE.botId, { sessionId: s.sessionId, isSummaryRequired: true });
    expect(d.summary?.ConversationSummary).toBeTruthy();
    await admin.setConversationSummary(KORE.botId, false);
    d = await kore.getConversationDetails(KORE.botId, { sessionId: s.sessionId, isSummaryRequired: true });
    expect(d.summary).toBeUndefined();

    expect((await admin.unmapKoreScope(KORE.clientId, KORE_SCOPES.chatHistory)).scopes).not.toContain(KORE_SCOPES.chatHistory);
    expect(await rejection(() => kore.getConversationDetails(KORE.botId, { sessionId: s.sessionId }))).toMatchObject({ kind: 'ScopeMissing' });

    // The Admin Console app: publish status and the bot list.
    expect(await admin.registerKoreApp({ ...KORE_ADMIN, admin: true, scopes: [KORE_SCOPES.botPublish, KORE_SCOPES.roleManagement] })).toEqual({
      clientId: KORE_ADMIN.clientId,
    });
    const console = koreClient(KORE_ADMIN);
    expect(await rejection(() => console.getPublishStatus(KORE.botId))).toMatchObject({ status: 404 });
    expect(await admin.updateKoreBot(KORE.botId, { name: 'Renamed Bot' })).toMatchObject({ name: 'Renamed Bot', published: false });
    expect((await console.listBots()).bots).toEqual([expect.objectContaining({ _id: KORE.botId, name: 'Renamed Bot', status: 'configured' })]);

    sims.kore.world.publishDurationMs = 100;
    expect(await admin.publishKoreBot(KORE.botId, 'ZCC voice go-live')).toEqual({ botId: KORE.botId, comment: 'ZCC voice go-live', status: 'inprogress' });
    expect(sims.kore.world.bots.get(KORE.botId)?.publishJob?.comment).toBe('ZCC voice go-live');
    expect(await console.getPublishStatus(KORE.botId)).toMatchObject({ status: 'inprogress' });
    await new Promise((r) => setTimeout(r, 120));
    expect(await console.getPublishStatus(KORE.botId)).toMatchObject({ status: 'successful', percentageComplete: 100 });
    expect((await console.listBots()).bots[0]).toMatchObject({ status: 'published' });
    // A mapping made before a publish came into force with it.
    await admin.unmapKoreScope(KORE.clientId, KORE_SCOPES.chatHistory);
    expect((await admin.mapKoreScope(KORE.clientId, KORE_SCOPES.chatHistory)).pendingScopes).toEqual([KORE_SCOPES.chatHistory]);
    await admin.publishKoreBot(KORE.botId, 'scopes');
    await new Promise((r) => setTimeout(r, 120));
    await expect(kore.getConversationDetails(KORE.botId, { sessionId: s.sessionId })).resolves.toBeDefined();
  });

  it('registers an account, sets up both consoles, routes a flow to the connector, and places a test call that reaches the bot', async () => {
    await admin.registerKoreTenant({ ...KORE, scopes: [KORE_SCOPES.botSessions, KORE_SCOPES.chatHistory] });
    await admin.setConversationSummary(KORE.botId, true);
    expect(await admin.registerZoomAccount(ZOOM)).toMatchObject({
      accountId: ZOOM.accountId,
      scopes: expect.arrayContaining(['contact_center_flow:read:admin']),
    });
    const zoom = zoomClient();
    expect(await zoom.listUsers()).toHaveLength(1);

    expect(await admin.koreAppDetails(KORE.clientId)).toEqual({ clientId: KORE.clientId, clientSecret: KORE.clientSecret, botIds: [KORE.botId] });
    const c = await admin.createConnector({
      accountId: ZOOM.accountId,
      name: 'Acme voicebot',
      botId: KORE.botId,
      koreClientId: KORE.clientId,
      koreClientSecret: KORE.clientSecret,
      baseUrl: sims.kore.url,
    });
    expect(c).toMatchObject({
      connectorId: expect.any(String),
      name: 'Acme voicebot',
      domain: expect.stringContaining('.'),
      did: expect.stringMatching(/^\+1/),
      authorized: false,
    });
    // The pasted secret is never shown back.
    expect(JSON.stringify(c)).not.toContain(KORE.clientSecret);
    expect(sims.zoom.world.mustAccount(ZOOM.accountId).connectors).toEqual([expect.objectContaining({ connectorId: c.connectorId })]);
    expect(await admin.authorizeConnector(c.connectorId)).toMatchObject({ connectorId: c.connectorId, authorized: true });
    expect(sims.zoom.world.mustAccount(ZOOM.accountId).connectors[0]?.authorized).toBe(true);

    await admin.saveExperienceFlow(KORE.botId, { name: 'Voice EF', automationBotId: KORE.botId });
    const trunk = await admin.saveSipTrunk(KORE.botId, {
      fqdn: c.domain,
      did: c.did,
      dnsResolve: 'srv',
      transport: 'tls',
      padCrypto: true,
      inbound: true,
      outbound: true,
    });
    expect(trunk.sipUri).toMatch(/^sip:/);
    await admin.attachFlowToTrunk(KORE.botId, trunk.trunkId, 'Voice EF');
    await admin.setAgentTransfer(KORE.botId, { via: 'agent-transfer-node', method: 'sip-bye', headers: { 'X-Queue': 'billing' } });
    expect((await admin.koreBotSetup(KORE.botId)).live).toBeNull();
    await admin.publishKoreBot(KORE.botId, 'go');
    await new Promise((r) => setTimeout(r, 250));
    const setup = await admin.koreBotSetup(KORE.botId);
    expect(setup.live?.sipTrunks).toEqual([expect.objectContaining({ did: c.did, attachedFlow: 'Voice EF' })]);

    const f = await admin.addFlow({ accountId: ZOOM.accountId, flowName: 'ZCC Voice Entry', status: 'published', connectorId: c.connectorId });
    expect(f).toMatchObject({ flow_name: 'ZCC Voice Entry', status: 'published', connectorId: c.connectorId });
    expect((await zoom.listFlows({ status: 'published' })).map((x) => x.flow_name)).toEqual(['ZCC Voice Entry']);
    const number = f.entry_points[0]!.entry_number;
    expect((await zoom.listFlowEntryPoints(f.flow_id)).map((e) => e.entry_number)).toEqual([number]);

    const call = await admin.placeTestCall({ accountId: ZOOM.accountId, number, summaryDelayMs: 0 });
    expect(call).toMatchObject({
      reached: 'bot',
      engagementId: expect.any(String),
      flowId: f.flow_id,
      koreSessionId: expect.any(String),
      transferredToAgent: true,
    });
    const e = await zoom.getEngagement(call.engagementId!);
    expect(e.flows?.[0]?.flow_id).toBe(f.flow_id);
    expect(e.queues).toHaveLength(1);
    const events = await zoom.getEngagementEvents(call.engagementId!);
    const leg = events.events.find((x) => x.event_name === 'Assistant Connector');
    expect(JSON.parse(leg!.event_content!)).toMatchObject({
      result: 'connected',
      kore_session_id: call.koreSessionId,
      kore_reason: 'TransferToAgent',
      sip_to: c.did,
    });
    const d = await koreClient().getConversationDetails(KORE.botId, { sessionId: call.koreSessionId!, isSummaryRequired: true });
    expect(d.summary?.ConversationSummary).toBeTruthy();
    expect(d.conversationInfo.agentHandOffTime).toBeDefined();
    // A number no published flow answers rings nowhere.
    expect(await admin.placeTestCall({ accountId: ZOOM.accountId, number: '+19995550000' })).toMatchObject({ reached: 'nowhere' });
  });

  it('removes and adds S2S scopes, expires tokens and switches the ZCC 401 shape', async () => {
    await admin.registerZoomAccount(ZOOM);
    const zoom = zoomClient();
    await zoom.listFlows();
    const removed = await admin.removeZoomScope(ZOOM.accountId, 'contact_center_flow:read:admin');
    expect(removed.scopes).not.toContain('contact_center_flow:read:admin');
    expect(await rejection(() => zoom.listFlows())).toMatchObject({ kind: 'ScopeMissing', vendorCode: 4711 });
    expect((await admin.addZoomScope(ZOOM.accountId, 'contact_center_flow:read:admin')).scopes).toContain('contact_center_flow:read:admin');
    await admin.expireZoomTokens(ZOOM.accountId); // the refused token lacks the scope; the next one has it
    await expect(zoom.listFlows()).resolves.toHaveLength(1);

    expect((await admin.expireZoomTokens(ZOOM.accountId)).expired).toBeGreaterThanOrEqual(1);
    const [bearer] = [...sims.zoom.world.tokens.keys()];
    const users = () => axios.get(`${sims.zoom.apiUrl}/contact_center/users`, { headers: { authorization: `Bearer ${bearer}` }, validateStatus: () => true });
    expect((await users()).data).toEqual({ code: 124, message: 'Invalid access token.' });
    expect(await admin.setZcc401Variant(true)).toEqual({ zccUsers401Variant: true });
    expect((await users()).data).toEqual({ status: false, errorCode: 401 });
    expect(await admin.setZcc401Variant(false)).toEqual({ zccUsers401Variant: false });
    expect((await users()).data.code).toBe(124);
  });

  it('sets rate limits and the scope-error status on the vendor APIs', async () => {
    await admin.registerKoreTenant(KORE);
    await admin.registerZoomAccount(ZOOM);
    expect(await admin.setKoreLimits({ perMinute: 1 })).toEqual({ perMinute: 1, perHour: 1800 });
    const kore = koreClient();
    await kore.listSessions(KORE.botId);
    expect(await rejection(() => kore.listSessions(KORE.botId))).toMatchObject({ kind: 'RateLimited', status: 429 });
    await admin.setKoreLimits({ perMinute: 60 });

    // A fresh client: the refused one holds its calls for that bot back until the wait is over.
    const fresh = koreClient();
    expect(await admin.setKoreScopeStatus(403)).toEqual({ scopeStatus: 403 });
    expect(await rejection(() => fresh.getChatHistory(KORE.botId, {}))).toMatchObject({ kind: 'ScopeMissing', status: 403 });
    await admin.setKoreScopeStatus(401);
    expect(await rejection(() => fresh.getChatHistory(KORE.botId, {}))).toMatchObject({ kind: 'ScopeMissing', status: 401 });

    expect(await admin.setZoomLimits({ MEDIUM: 1 })).toMatchObject({ MEDIUM: 1, LIGHT: 40 });
    const zoom = zoomClient();
    await zoom.listQueues();
    expect(await rejection(() => zoom.listQueues())).toMatchObject({ kind: 'RateLimited', status: 429 });
  });

  it('sends a signed Zoom webhook and reports the receiver status', async () => {
    const got: http.IncomingHttpHeaders[] = [];
    const receiver = http.createServer((req, res) => {
      got.push(req.headers);
      req.resume().on('end', () => res.writeHead(200).end('{}'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      expect(await admin.sendWebhook({ url, secret: 'webhook-secret-token', event: 'contact_center.engagement_ended', accountId: ZOOM.accountId })).toEqual({
        status: 200,
      });
      expect(got[0]?.['x-zm-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
      // The receiver does not answer the challenge: a 502 the client reports on one line.
      const err = (await rejection(() =>
        admin.sendWebhook({ url, secret: 'webhook-secret-token', event: 'x', accountId: ZOOM.accountId, validateFirst: true }),
      )) as SimAdminError;
      expect(err.message).toBe('zoom simulator POST /__sim/webhooks/send: 502 URL validation failed (200)');
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});

describe('SimAdminClient: faults, calls and reset on both simulators', () => {
  it('adds, lists and clears faults, counts and clears calls', async () => {
    await admin.registerKoreTenant(KORE);
    await admin.registerZoomAccount(ZOOM);
    const kore = koreClient();
    const zoom = zoomClient();

    const id = await admin.addFault('kore', { path: '/api/public/bot/:botId/getSessions', status: 503, count: 1 });
    expect(typeof id).toBe('number');
    expect(await rejection(() => kore.listSessions(KORE.botId))).toMatchObject({ status: 503 });
    expect(await admin.listFaults('kore')).toEqual([expect.objectContaining({ id, hits: 1, remaining: 0 })]);
    expect((await admin.calls('kore'))['POST /api/public/bot/:botId/getSessions']).toEqual({ count: 1, statuses: { 503: 1 } });
    await admin.clearCalls('kore');
    expect(await admin.calls('kore')).toEqual({});
    await admin.addFault('kore', { path: '*', status: 500 });
    await admin.clearFaults('kore');
    expect(await admin.listFaults('kore')).toEqual([]);
    await expect(kore.listSessions(KORE.botId)).resolves.toBeDefined();

    await admin.addFault('zoom', { path: '/v2/contact_center/queues', status: 500, count: 1 });
    expect(await rejection(() => zoom.listQueues())).toMatchObject({ status: 500 });
    expect((await admin.calls('zoom'))['GET /v2/contact_center/queues']?.statuses).toEqual({ 500: 1 });
    expect(await admin.listFaults('zoom')).toHaveLength(1);
    await admin.clearFaults('zoom');
    await admin.clearCalls('zoom');
    expect(await admin.listFaults('zoom')).toEqual([]);
    expect(await admin.calls('zoom')).toEqual({});
  });

  it('resets one simulator, or both', async () => {
    await admin.registerKoreTenant(KORE);
    await admin.registerZoomAccount(ZOOM);
    await admin.reset('kore');
    expect(sims.kore.world.apps.size).toBe(0);
    expect(sims.zoom.world.accounts.size).toBe(1);
    await admin.registerKoreTenant(KORE);
    await admin.addFault('zoom', { path: '*', status: 500 });
    await admin.reset();
    expect(sims.kore.world.apps.size).toBe(0);
    expect(sims.zoom.world.accounts.size).toBe(0);
    expect(await admin.listFaults('zoom')).toEqual([]);
  });
});

describe('SimAdminClient errors', () => {
  it('are one line naming the simulator, the admin route and its message', async () => {
    let err = (await rejection(() => admin.authorizeConnector('c_nope'))) as SimAdminError;
    expect(err).toBeInstanceOf(SimAdminError);
    expect(err.message).toBe('zoom simulator POST /__sim/connectors/c_nope/authorize: 404 unknown connector c_nope');
    expect(err).toMatchObject({ sim: 'zoom', route: '/__sim/connectors/c_nope/authorize', status: 404 });

    // A bad body: the route's 400 names the field.
    err = (await rejection(() => admin.registerKoreTenant({ clientId: 'x', clientSecret: '', botId: 'b' }))) as SimAdminError;
    expect(err.message).toMatch(/^kore simulator POST \/__sim\/tenants: 400 clientSecret: .+$/);

    // Path values are shown as given and sent encoded.
    err = (await rejection(() => admin.mapKoreScope('cs-unknown', KORE_SCOPES.chatHistory))) as SimAdminError;
    expect(err.message).toBe('kore simulator PUT /__sim/apps/cs-unknown/scopes/Chat History: 404 unknown app cs-unknown');
    err = (await rejection(() => admin.publishKoreBot('st-unknown', 'x'))) as SimAdminError;
    expect(err.message).toBe('kore simulator POST /__sim/bots/st-unknown/publish: 404 unknown bot st-unknown');
    err = (await rejection(() => admin.placeTestCall({ accountId: 'acc-unknown', number: '+1' }))) as SimAdminError;
    expect(err.message).toBe('zoom simulator POST /__sim/test-calls: 404 unknown account acc-unknown');
  });

  it('say so when a simulator is unreachable or its URL was not given', async () => {
    const down = new SimAdminClient({ koreUrl: 'http://127.0.0.1:1', timeoutMs: 2_000 });
    const err = (await rejection(() => down.registerKoreTenant(KORE))) as SimAdminError;
    expect(err.message).toMatch(/^kore simulator POST \/__sim\/tenants: .*ECONNREFUSED/);
    expect(err.message).not.toContain('\n');
    expect(err.status).toBeUndefined();
    expect(((await rejection(() => down.registerZoomAccount(ZOOM))) as Error).message).toBe(
      'zoom simulator POST /__sim/accounts: no zoomUrl was given to SimAdminClient',
    );
  });
});
