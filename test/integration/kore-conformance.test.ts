import axios, { type Method } from 'axios';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { IntegrationError } from '../../src/integrations/errors';
import { signKoreJwt } from '../../src/integrations/kore/jwt';
import { KORE_LIMITS, rateKeyOf } from '../../src/integrations/kore/rate-windows';
import { KORE_ADMIN_SCOPES, KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { Secret } from '../../src/secret';
import { KORE_ADMIN_APP, KORE_APP, startCapturedKore, type CapturedKore, type CapturedKoreCall } from '../support/kore-capture';
import {
  checkError,
  checkReads,
  checkRefusal,
  checkRequest,
  checkResponse,
  checkScope,
  checkWindowFill,
  limitProbes,
  type Answer,
} from '../support/kore-contract';
import { allSources, KORE_AUTH, KORE_ENDPOINTS, RATE_CLASSES, type KoreEndpointName, type Param } from '../support/kore-documented';

/**
 * Our Kore.ai client and simulator against what Kore.ai documents (test/support/kore-documented.ts,
 * each fact keyed to kore-api.md / kore-api-more.md or marked assumed): the simulator's bodies, its
 * error answers and refusals of requests outside documented limits, its rate windows, the scope
 * each endpoint needs (ours and the simulator's), and every request our client really sends.
 * kore-conformance-mutations.test.ts proves the checks bite.
 */
const NAMES = Object.keys(KORE_ENDPOINTS) as KoreEndpointName[];
const CLIENT_NAMES = NAMES.filter((n) => KORE_ENDPOINTS[n]!.clientCalls);
/**
 * The scope checks apply to endpoints that document a scope: the upload documents none (any app
 * the account admin made may call it, kore-api-more.md 1), so it is checked the other way round.
 */
const SCOPED = NAMES.filter((n) => KORE_ENDPOINTS[n]!.scope.labels.length > 0);
const UNSCOPED = NAMES.filter((n) => KORE_ENDPOINTS[n]!.scope.labels.length === 0);
const BOT = KORE_APP.botId;
/** Apps that own the bot but hold no scope (a bot app, an admin app), for the scope errors. */
const BARE = { clientId: 'cs-conformance-bare', clientSecret: 'kore-conformance-bare-secret-89ab' };
const BARE_ADMIN = { clientId: 'cs-conformance-bare-admin', clientSecret: 'kore-conformance-bare-admin-cdef' };
/** A second bot with its own app, to show the limits count per bot. */
const OTHER = { clientId: 'cs-conformance-other', clientSecret: 'kore-conformance-other-secret-0011', botId: 'st-conformance-2' };

let k: CapturedKore;
/** The calls our client made (the raw probes come later). */
let clientCalls: CapturedKoreCall[];
let sessionId: string;
/** Files our client uploaded (an export's parts), for the import; the import's `bir-` id, for its status. */
let files: { botDefinition: string; configInfo: string };
let birId: string;
/** Every option list named: only the GenAI settings, as issue 15's XO GPT step imports them. */
const GENAI_ONLY = { nlpData: [], tasks: [], settings: ['genAIandLLMSettings'] };

const token = async (app: { clientId: string; clientSecret: string }) =>
  signKoreJwt({ clientId: app.clientId, clientSecret: Secret.from(app.clientSecret), ttlSeconds: 300, withJti: true });

/** Marks the requests below, so the client's own requests can be told from them. */
const RAW = 'x-conformance-raw';

/** A request our client does not make (probes, errors): raw HTTP, signed as the app would. */
async function raw(
  method: Method,
  path: string,
  opts: { app?: { clientId: string; clientSecret: string }; auth?: string | null; body?: unknown; query?: Record<string, unknown>; multipart?: boolean } = {},
): Promise<Answer> {
  const auth = opts.auth === undefined ? await token(opts.app ?? KORE_APP) : opts.auth;
  const res = await axios.request({
    method,
    url: `${k.url}${path}`,
    data: opts.multipart ? form(opts.body as Record<string, unknown>) : opts.body,
    params: opts.query,
    headers: { [RAW]: '1', ...(auth === null ? {} : { auth }) },
    validateStatus: () => true,
  });
  return { status: res.status, body: res.data, headers: res.headers as Record<string, unknown> };
}

/** A multipart body from parts as the capture records them: text parts as strings, a file part as `{filename, size}` (a JSON file of that many bytes). */
function form(parts: Record<string, unknown>): FormData {
  const f = new FormData();
  for (const [name, v] of Object.entries(parts))
    if (v !== null && typeof v === 'object') {
      const { filename, size } = v as { filename: string; size: number };
      f.append(name, new Blob([JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 11)) })], { type: 'application/json' }), filename);
    } else f.append(name, String(v));
  return f;
}
/** The path with its ids: the bot's, or for the import status (no bot in its path) the import's `bir-` id. */
const pathOf = (name: KoreEndpointName, bot = BOT) => KORE_ENDPOINTS[name]!.path.replace('{botId}', bot).replace('{streamId}', bot).replace('{birId}', birId);
/** A body each endpoint accepts, to probe one limit at a time and to call it for errors. */
const validBody = (name: KoreEndpointName): Record<string, unknown> => {
  switch (name) {
    case 'conversationDetails':
      return { sessionId };
    case 'conversationSummary':
      return { inputMode: { conversationId: sessionId } };
    case 'uploadFile':
      return { file: { filename: 'probe.json', size: 20 }, fileContext: 'bulkImport', fileExtension: 'json' };
    case 'import':
      return { ...files, importOptions: GENAI_ONLY };
    default:
      return {};
  }
};
const multipart = (name: KoreEndpointName) => KORE_ENDPOINTS[name]!.request.in === 'multipart';
const call = (name: KoreEndpointName, opts: Parameters<typeof raw>[2] = {}, bot = BOT) => {
  const e = KORE_ENDPOINTS[name]!;
  return raw(e.method, pathOf(name, bot), e.method === 'GET' ? opts : { body: validBody(name), multipart: multipart(name), ...opts });
};
/** Documented limits of a request, nested members and list values included (one probe each). */
const limitsIn = (params: Record<string, Param>, top = true): number =>
  Object.values(params).reduce(
    (n, p) =>
      n +
      [p.max, p.maxItems, p.enum, p.items?.enum, top ? p.required || undefined : undefined].filter((x) => x !== undefined).length +
      (p.fields ? limitsIn(p.fields, false) : 0),
    0,
  );
const until = async <T>(read: () => Promise<T>, done: (t: T) => boolean): Promise<T> => {
  for (let i = 0; i < 100; i++) {
    const t = await read();
    if (done(t)) return t;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('never finished');
};
/** Empty rate windows, the documented numbers unchanged. */
const freshWindows = () => k.admin.setKoreLimits({});

async function rejectionOf(p: Promise<unknown>): Promise<IntegrationError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IntegrationError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  k = await startCapturedKore();
  await k.admin.registerKoreApp({ ...BARE, botIds: [BOT] });
  await k.admin.registerKoreApp({ ...BARE_ADMIN, botIds: [BOT], admin: true });
  await k.admin.registerKoreTenant(OTHER);
  for (const s of [KORE_SCOPES.botSessions, KORE_SCOPES.chatHistory, KORE_SCOPES.conversationSummary])
    await k.admin.mapKoreScope(OTHER.clientId, s, { now: true });
});
afterAll(() => k?.stop());

describe('Kore.ai conformance (what kore-api.md documents)', () => {
  it('a tenant starts with no scope; a mapped scope takes effect at the next publish (documented), not before', async () => {
    const before = await rejectionOf(k.client.listSessions(BOT, { limit: 1 }));
    expect(before).toMatchObject({ kind: 'ScopeMissing', status: 401, scopes: [KORE_SCOPES.botSessions] });
    const answer = k.calls.at(-1)!;
    checkError('scopeMissing', { status: answer.status, body: answer.response });

    await k.admin.mapKoreScope(KORE_APP.clientId, KORE_SCOPES.botSessions);
    expect(KORE_AUTH.scopeChangeNeedsPublish.value).toBe(true);
    await expect(k.client.listSessions(BOT, { limit: 1 })).rejects.toMatchObject({ kind: 'ScopeMissing' });
    await k.admin.publishKoreBot(BOT, 'map Bot Sessions');
    for (let i = 0; i < 50 && !(await k.admin.koreBotSetup(BOT)).published; i++) await new Promise((r) => setTimeout(r, 50));
    await expect(k.client.listSessions(BOT, { limit: 1 })).resolves.toMatchObject({ sessions: [] });
  });

  describe('driving every endpoint our client calls', () => {
    beforeAll(async () => {
      for (const s of [KORE_SCOPES.chatHistory, KORE_SCOPES.conversationSummary, KORE_SCOPES.botExport])
        await k.admin.mapKoreScope(KORE_APP.clientId, s, { now: true });
      for (const s of [KORE_SCOPES.botPublish, KORE_SCOPES.roleManagement, KORE_SCOPES.botImport])
        await k.admin.mapKoreScope(KORE_ADMIN_APP.clientId, s, { now: true });
      await k.admin.setConversationSummary(BOT, true);
      const first = await k.admin.addKoreSession(BOT, { callId: 'zcc-call-1', containmentType: 'agent' });
      await k.admin.addKoreSession(BOT, { callId: 'zcc-call-2', containmentType: 'selfService' });
      sessionId = first.sessionId;
      await freshWindows();
      const c = k.client;
      const now = Date.now();
      await c.listSessions(BOT, { limit: 1 });
      await c.listSessions(BOT, { dateFrom: new Date(now - 3_600_000).toISOString(), dateTo: new Date(now).toISOString(), limit: 20 });
      await c.listSessions(BOT, { sessionId: [sessionId] });
      for await (const _ of c.iterateSessions(BOT, { limit: 1 })) void _;
      await c.getConversationDetails(BOT, { sessionId });
      await c.getConversationDetails(BOT, { callId: 'zcc-call-1', isSummaryRequired: true });
      await c.getChatHistory(BOT, { sessionId: [sessionId] });
      await c.getChatHistory(BOT, { dateFrom: new Date(now - 86_400_000).toISOString(), dateTo: new Date(now).toISOString(), limit: 1 });
      for await (const _ of c.iterateChatHistory(BOT, { sessionId: [sessionId], limit: 2 }, 'v1')) void _;
      await c.getChatHistory(BOT, { sessionId: [sessionId], limit: 100 }, 'v1');
      await c.getConversationSummary(BOT, sessionId);
      await k.adminClient.listBots();
      await k.adminClient.listBots(0, 500);
      expect(await k.adminClient.publishBot(BOT, 'conformance')).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'SUCCESS' })]));
      await k.adminClient.getPublishStatus(BOT);
      for (let i = 0; i < 50 && (await k.adminClient.getPublishStatus(BOT)).status !== 'successful'; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await raw('GET', KORE_ENDPOINTS.publishStatus!.otherPaths![0]!.replace('{botId}', BOT), { app: KORE_ADMIN_APP })).status).toBe(200);
      // Issue 15's XO GPT step: export (then poll), upload the parts, import only the GenAI settings (every list named), poll.
      expect(await c.exportBot(BOT)).toMatchObject({ _id: expect.stringMatching(/^ber-/) });
      await c.exportBot(BOT, { exportType: 'latest', exportOptions: GENAI_ONLY });
      const exported = await until(
        () => c.getExportStatus(BOT),
        (s) => s.status === 'success',
      );
      const file = (await c.downloadExport(exported.downloadURL!)) as Record<string, unknown>;
      files = {
        botDefinition: (await c.uploadFile(JSON.stringify({ botDefinition: file.botDefinition ?? { name: 'x', dialogs: [] } }), 'def.json')).fileId,
        configInfo: (await c.uploadFile(JSON.stringify({ configInfo: file.configInfo }), 'config.json')).fileId,
      };
      const job = await k.adminClient.importBot(BOT, files, GENAI_ONLY);
      birId = job._id;
      expect(birId).toMatch(/^bir-/);
      await until(
        () => k.adminClient.getImportStatus(birId),
        (s) => s.status === 'success',
      );
      clientCalls = k.calls.filter((x) => x.endpoint && !x.headers[RAW]);
    });

    it('exercised every documented endpoint, and every one our client calls through the client', () => {
      expect(new Set(k.calls.filter((x) => x.status === 200 && x.endpoint).map((x) => x.endpoint))).toEqual(new Set(NAMES));
      // Besides them, only where an export's downloadURL points (a signed URL on Kore's host: no API of its own, assumed).
      expect(new Set(k.calls.filter((x) => !x.endpoint).map((x) => `${x.method} ${x.route}`))).toEqual(new Set(['GET /api/public/files/:fileId']));
      expect(new Set(clientCalls.map((x) => x.endpoint))).toEqual(new Set(CLIENT_NAMES));
    });

    it.each(CLIENT_NAMES)('%s: our client counts its calls in the window of the documented rate class', (name) => {
      const e = KORE_ENDPOINTS[name]!;
      const key = rateKeyOf(pathOf(name), 'cs-me');
      // analytics: per bot (the upload names no bot: per app); status: per request id, apart from the bot's; admin: per account (the app's).
      if (e.rate === 'analytics') expect(key).toBe(e.path.includes('{botId}') || e.path.includes('{streamId}') ? BOT : 'app:cs-me');
      if (e.rate === 'status') expect([BOT, 'app:cs-me']).not.toContain(key);
      if (e.rate === 'admin') expect(key).toBe('app:cs-me');
    });

    it.each(CLIENT_NAMES)('%s: our zod schema reads only documented fields, with their documented types', (name) => {
      checkReads(name);
    });

    it.each(NAMES)('%s: every 200 body has the documented fields with their documented types, and no undocumented one', (name) => {
      const ok = k.calls.filter((x) => x.endpoint === name && x.status === 200);
      expect(ok.length).toBeGreaterThan(0);
      for (const x of ok) checkResponse(name, x.response);
    });

    it('the summary is in conversationDetails when asked for, with its documented fields', () => {
      const asked = k.calls.find((x) => x.endpoint === 'conversationDetails' && (x.body as { isSummaryRequired?: boolean }).isSummaryRequired);
      expect(asked?.response).toMatchObject({ summary: { ConversationSummary: expect.any(String) } });
    });

    it.each(CLIENT_NAMES)('%s: every request our client sent holds to the documented parameters and limits', (name) => {
      const sent = clientCalls.filter((x) => x.endpoint === name);
      expect(sent.length).toBeGreaterThan(0);
      for (const x of sent) checkRequest(name, { query: x.query, body: x.body });
    });

    it('every request our client sent is signed as documented: header `auth` (not Authorization), HS256, appId = Client ID, a subject', () => {
      for (const x of clientCalls) {
        expect(x.headers.authorization).toBeUndefined();
        const jwt = String(x.headers[KORE_AUTH.header.value]);
        expect(decodeProtectedHeader(jwt).alg).toBe(KORE_AUTH.alg.value);
        const claims = decodeJwt(jwt);
        expect([KORE_APP.clientId, KORE_ADMIN_APP.clientId]).toContain(claims[KORE_AUTH.appIdClaim.value]);
        expect(typeof claims[KORE_AUTH.subClaim.value]).toBe('string');
        expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(KORE_AUTH.maxTtlSeconds.value);
      }
    });

    it('our client refuses, before sending, a chat-history page over the documented cap (v1 100, V2 10,000) and more than 50 session ids', async () => {
      const before = k.calls.length;
      await expect(k.client.getChatHistory(BOT, { sessionId: [sessionId], limit: 101 }, 'v1')).rejects.toMatchObject({ kind: 'InvalidRequest' });
      await expect(k.client.getChatHistory(BOT, { sessionId: [sessionId], limit: 10_001 }, 'v2')).rejects.toMatchObject({ kind: 'InvalidRequest' });
      await expect((async () => k.client.listSessions(BOT, { sessionId: Array.from({ length: 51 }, (_, i) => `s${i}`) }))()).rejects.toThrow(/50/);
      expect(k.calls.length).toBe(before);
    });

    it.each(NAMES)('%s: a request outside each documented limit is refused the documented way, never capped', async (name) => {
      await freshWindows();
      const e = KORE_ENDPOINTS[name]!;
      const probes = limitProbes(name, validBody(name));
      for (const probe of probes) {
        const app = e.app.kind === 'admin app' ? KORE_ADMIN_APP : KORE_APP;
        const res = await raw(e.method, pathOf(name), { app, body: probe.request.body, query: probe.request.query, multipart: multipart(name) });
        checkRefusal(name, probe, res);
      }
      const limited = limitsIn(e.request.params) + (e.rules?.length ?? 0);
      expect(probes.length).toBe(limited);
    });
  });

  describe('error answers', () => {
    it.each(SCOPED)('%s: an app without the documented scope gets 401 "Permission denied. Scope is incorrect!" (4002)', async (name) => {
      const app = KORE_ENDPOINTS[name]!.app.kind === 'admin app' ? BARE_ADMIN : BARE;
      checkError('scopeMissing', await call(name, { app }));
    });

    it.each(NAMES.filter((n) => KORE_ENDPOINTS[n]!.app.kind === 'admin app'))(
      '%s: a bot app (not an Admin Console app) is refused as a missing scope',
      async (name) => {
        checkError('scopeMissing', await call(name, { app: KORE_APP }));
      },
    );

    it.each(UNSCOPED)('%s: documented without a scope: an app holding none (a bot app, an admin app) is answered 200, through our client too', async (name) => {
      await freshWindows();
      for (const app of [BARE, BARE_ADMIN]) expect((await call(name, { app })).status).toBe(200);
      const { KoreClient } = await import('../../src/integrations/kore/client');
      const run: Record<string, (c: InstanceType<typeof KoreClient>) => Promise<unknown>> = {
        uploadFile: (c) => c.uploadFile('{}', 'bare.json'),
      };
      await expect(run[name]!(new KoreClient({ baseUrl: k.url, credentials: BARE }))).resolves.toMatchObject({ fileId: expect.any(String) });
    });

    it.each(CLIENT_NAMES.filter((n) => SCOPED.includes(n)))(
      '%s: our client reads a scope refusal as ScopeMissing naming the documented scope',
      async (name) => {
        const { KoreClient } = await import('../../src/integrations/kore/client');
        const admin = KORE_ENDPOINTS[name]!.app.kind === 'admin app';
        const c = new KoreClient({ baseUrl: k.url, credentials: admin ? BARE_ADMIN : BARE });
        const run: Record<string, () => Promise<unknown>> = {
          getSessions: () => c.listSessions(BOT),
          conversationDetails: () => c.getConversationDetails(BOT, { sessionId }),
          getMessages: () => c.getChatHistory(BOT, { sessionId: [sessionId] }, 'v1'),
          getMessagesV2: () => c.getChatHistory(BOT, { sessionId: [sessionId] }),
          conversationSummary: () => c.getConversationSummary(BOT, sessionId),
          publish: () => c.publishBot(BOT, 'refused'),
          publishStatus: () => c.getPublishStatus(BOT),
          getBots: () => c.listBots(),
          export: () => c.exportBot(BOT),
          exportStatus: () => c.getExportStatus(BOT),
          import: () => c.importBot(BOT, files, GENAI_ONLY),
          importStatus: () => c.getImportStatus(birId),
        };
        const err = await rejectionOf(run[name]!());
        expect(err).toMatchObject({ kind: 'ScopeMissing', status: 401, vendorCode: 4002 });
        expect(err.scopes).toHaveLength(1);
        checkScope(name, err.scopes![0]!);
      },
    );

    it.each(SCOPED)('%s: the simulator grants it to an app holding exactly the documented scope, and to none holding every other', async (name) => {
      await freshWindows();
      const e = KORE_ENDPOINTS[name]!;
      const ours = Object.values(KORE_SCOPES).filter((s) => {
        try {
          checkScope(name, s);
          return true;
        } catch {
          return false;
        }
      });
      expect(ours).toHaveLength(1);
      const admin = e.app.kind === 'admin app';
      const only = { clientId: `cs-only-${name}`, clientSecret: `only-secret-${name}-0123456789` };
      const others = { clientId: `cs-others-${name}`, clientSecret: `others-secret-${name}-0123456789` };
      await k.admin.registerKoreApp({ ...only, botIds: [BOT], admin, scopes: ours });
      await k.admin.registerKoreApp({ ...others, botIds: [BOT], admin, scopes: Object.values(KORE_SCOPES).filter((s) => s !== ours[0]) });
      const granted = await call(name, { app: only });
      expect(granted.status).toBe(200);
      checkError('scopeMissing', await call(name, { app: others }));
    });

    it('the scope table names only documented scopes, and its admin-only scopes are exactly those of the admin-app endpoints', () => {
      for (const s of Object.values(KORE_SCOPES))
        expect(NAMES.filter((n) => KORE_ENDPOINTS[n]!.scope.labels.some((l) => l === s || l.split(' > ').includes(s)))).not.toEqual([]);
      const adminScopes = new Set(
        NAMES.filter((n) => KORE_ENDPOINTS[n]!.app.kind === 'admin app').flatMap((n) =>
          Object.values(KORE_SCOPES).filter((s) => KORE_ENDPOINTS[n]!.scope.labels.some((l) => l.split(' > ').includes(s))),
        ),
      );
      expect(new Set(KORE_ADMIN_SCOPES)).toEqual(adminScopes);
    });

    it('no auth header, a bad signature, an unknown app: 401 "Invalid SDK credentials"', async () => {
      checkError('invalidCredentials', await call('getSessions', { auth: null }));
      checkError('invalidCredentials', await call('getSessions', { app: { clientId: KORE_APP.clientId, clientSecret: 'not-the-secret-0123456789' } }));
      checkError('unknownApp', await call('getSessions', { app: { clientId: 'cs-nobody', clientSecret: 'whatever-secret-0123456789' } }));
    });

    it('not a JWT, another algorithm, expired: 401 "Invalid JWT token"', async () => {
      checkError('notAJwt', await call('getSessions', { auth: 'not-a-jwt' }));
      const key = new TextEncoder().encode(KORE_APP.clientSecret.repeat(3));
      checkError(
        'wrongAlg',
        await call('getSessions', { auth: await new SignJWT({ appId: KORE_APP.clientId }).setProtectedHeader({ alg: 'HS512' }).sign(key) }),
      );
      const expired = await new SignJWT({ appId: KORE_APP.clientId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
        .sign(new TextEncoder().encode(KORE_APP.clientSecret));
      checkError('expired', await call('getSessions', { auth: expired }));
    });

    it.each(NAMES.filter((n) => /\{(botId|streamId)\}/.test(KORE_ENDPOINTS[n]!.path)))(
      '%s: an unknown bot, or another app\'s bot: 400 "Invalid StreamId"',
      async (name) => {
        const app = KORE_ENDPOINTS[name]!.app.kind === 'admin app' ? KORE_ADMIN_APP : KORE_APP;
        checkError('invalidStreamId', await call(name, { app }, 'st-nope'));
        if (app === KORE_APP) checkError('invalidStreamId', await call(name, { app }, OTHER.botId));
      },
    );

    it.each(NAMES)('%s: the wrong verb is 405 "Method Not Allowed"', async (name) => {
      const e = KORE_ENDPOINTS[name]!;
      const verbs = [e.method, ...(e.otherMethods ?? [])];
      const wrong = (['GET', 'POST', 'PUT', 'DELETE'] as const).find((m) => !verbs.includes(m as 'GET'))!;
      checkError('methodNotAllowed', await raw(wrong, pathOf(name)));
    });

    it('an unknown session: 404 "Session not found" (assumed)', async () => {
      checkError('sessionNotFound', await call('conversationDetails', { body: { sessionId: 'nope' } }));
      checkError('sessionNotFound', await call('conversationSummary', { body: { inputMode: { conversationId: 'nope' } } }));
    });
  });

  describe('rate windows', () => {
    beforeEach(() => freshWindows());

    it("the simulator's default limits and our client's own count use the documented analytics windows (60/min, 1800/h per bot)", async () => {
      const values = await k.admin.setKoreLimits({});
      const documented = RATE_CLASSES.analytics.windows;
      expect([values.perMinute, values.perHour]).toEqual(documented.map((w) => w.calls));
      expect(KORE_LIMITS.map((w) => ({ ...w }))).toEqual(documented.map((w) => ({ ...w })));
    });

    it('analytics: 60 calls a minute per bot across sessions, messages, details and summary; the 61st is refused as documented; another bot and the status API are not', async () => {
      const names: KoreEndpointName[] = ['getSessions', 'getMessagesV2', 'conversationDetails', 'getMessages', 'conversationSummary'];
      const answers: Answer[] = [];
      for (let i = 0; i <= 60; i++) answers.push(await call(names[i % names.length]!));
      checkWindowFill('analytics', 0, answers);
      expect((await call('getSessions', { app: OTHER }, OTHER.botId)).status).toBe(200);
      expect((await call('publishStatus', { app: KORE_ADMIN_APP })).status).toBe(200);
    });

    it("status API: 60 publish-status reads a minute, counted apart from the bot's analytics calls", async () => {
      const answers: Answer[] = [];
      for (let i = 0; i <= 60; i++) answers.push(await call('publishStatus', { app: KORE_ADMIN_APP }));
      checkWindowFill('status', 0, answers);
      expect((await call('getSessions')).status).toBe(200);
    });

    it('status API: export- and import-status reads, 60 a minute per request id, apart from publish status and the analytics calls; a new export is a new window', async () => {
      for (const [name, app] of [
        ['exportStatus', KORE_APP],
        ['importStatus', KORE_ADMIN_APP],
      ] as const) {
        const answers: Answer[] = [];
        for (let i = 0; i <= 60; i++) answers.push(await call(name, { app }));
        checkWindowFill('status', 0, answers);
      }
      expect((await call('publishStatus', { app: KORE_ADMIN_APP })).status).toBe(200);
      expect((await call('getSessions')).status).toBe(200);
      expect((await call('export')).status).toBe(200);
      expect((await call('exportStatus')).status).toBe(200);
    });

    it('admin API: 60 get-bots calls a minute per account', async () => {
      const answers: Answer[] = [];
      for (let i = 0; i <= 60; i++) answers.push(await call('getBots', { app: KORE_ADMIN_APP }));
      checkWindowFill('admin', 0, answers);
    });

    it('analytics: 1,800 calls an hour per bot, in rolling windows: the 1,801st is refused though the minute window is free', async () => {
      const start = Date.now();
      jest.useFakeTimers({
        now: start,
        doNotFake: [
          'nextTick',
          'setImmediate',
          'clearImmediate',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'queueMicrotask',
          'hrtime',
          'performance',
        ],
      });
      try {
        // One token without jti (Kore allows it), valid for the simulated hour.
        const auth = await new SignJWT({ appId: KORE_APP.clientId })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('conformance')
          .setIssuedAt()
          .setExpirationTime('2h')
          .sign(new TextEncoder().encode(KORE_APP.clientSecret));
        const answers: Answer[] = [];
        for (let minute = 0; minute <= 30; minute++) {
          jest.setSystemTime(start + minute * 61_000);
          for (let i = 0; i < (minute < 30 ? 60 : 1); i++) answers.push(await call('getSessions', { auth }));
        }
        checkWindowFill('analytics', 1, answers);
        expect(Number((answers.at(-1)!.headers as Record<string, string>)['retry-after'])).toBeGreaterThan(60);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  it('every fact used is sourced: a key from kore-api.md / kore-api-more.md, or marked assumed with a reason', () => {
    const facts = allSources();
    for (const { fact, source } of facts) {
      if (source.kind === 'assumed') expect({ fact, why: source.why.length > 10 }).toEqual({ fact, why: true });
      // kore-api.md's [doc Sn], or kore-api-more.md's [D <page under ai-for-service/>].
      else expect({ fact, key: /^(S\d+|D apis\/[\w/-]+\.mdx)$/.test(source.key) }).toEqual({ fact, key: true });
    }
    expect(facts.filter((f) => f.source.kind !== 'assumed').length).toBeGreaterThan(facts.filter((f) => f.source.kind === 'assumed').length);
  });
});
