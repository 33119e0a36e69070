import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { z } from 'zod';
import { KORE_SCOPES, type KoreScope } from '../../integrations/kore/scopes';
import { registerCommonAdmin } from '../admin';
import { CallLog, FaultInjector, installFaultsAndCallLog } from '../faults';
import { acceptFormBodies, adminBody } from '../http';
import { WindowSet } from '../rate-limit';
import { KoreWorld, type SimKoreApp, type SimKoreSession } from './world';

/**
 * The Kore.ai XO public API on loopback: JWT auth in the `auth` header checked as Kore does
 * (HS256, the app's Client ID as `appId`, its secret as key), Kore's error bodies and statuses
 * (a missing scope is a 401), per-bot rate limits, and an admin API under /__sim/.
 */
export interface KoreSimOptions {
  world?: KoreWorld;
  limits?: { perMinute: number; perHour: number };
  logger?: boolean;
}

export interface KoreSim {
  app: FastifyInstance;
  world: KoreWorld;
  faults: FaultInjector;
  calls: CallLog;
}

const RATE_LIMIT_MSG = 'Rate limit for this API has been reached. Please try again after some time.';

const koreBody = (msg: string, code: number) => ({ errors: [{ msg, code }] });

class KoreFailure {
  constructor(
    readonly status: number,
    readonly msg: string,
    readonly code: number,
    readonly headers: Record<string, string> = {},
  ) {}
}

const fail = (status: number, msg: string, code = status, headers?: Record<string, string>) => new KoreFailure(status, msg, code, headers);
const INVALID_CREDENTIALS = () => fail(401, 'Invalid SDK credentials', 4002);
const INVALID_JWT = () => fail(401, 'Invalid JWT token', 4002);

export function createKoreSim(opts: KoreSimOptions = {}): KoreSim {
  const world = opts.world ?? new KoreWorld();
  const faults = new FaultInjector();
  const calls = new CallLog();
  const windows = new WindowSet();
  const limits = { perMinute: 60, perHour: 1800, ...opts.limits };
  const seenJti = new Map<string, Set<string>>();
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024 });
  acceptFormBodies(app);

  installFaultsAndCallLog(
    app,
    faults,
    calls,
    (status) => koreBody(status === 429 ? RATE_LIMIT_MSG : status >= 500 ? 'Internal Server Error' : 'Simulated failure', status),
    // A client is a bot: Kore.ai's limits and our retries are per bot.
    (req) => {
      const botId = (req.params as { botId?: string } | undefined)?.botId;
      return botId ? `bot:${botId}` : undefined;
    },
  );

  async function authenticate(req: FastifyRequest): Promise<SimKoreApp> {
    const token = req.headers['auth'];
    if (typeof token !== 'string' || token === '') throw INVALID_CREDENTIALS();
    let alg: string | undefined;
    let appId: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
      appId = decodeJwt(token).appId;
    } catch {
      throw INVALID_JWT();
    }
    if (alg !== 'HS256') throw INVALID_JWT();
    const app = typeof appId === 'string' ? world.apps.get(appId) : undefined; // appId is case-sensitive
    if (!app) throw INVALID_CREDENTIALS();
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(app.clientSecret), { algorithms: ['HS256'] });
      if (payload.jti) {
        const seen = seenJti.get(app.clientId) ?? new Set();
        if (seen.has(payload.jti)) throw INVALID_JWT();
        seen.add(payload.jti);
        seenJti.set(app.clientId, seen);
      }
    } catch (err) {
      if (err instanceof KoreFailure) throw err;
      throw (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? INVALID_JWT() : INVALID_CREDENTIALS();
    }
    return app;
  }

  /** Auth, then the bot, then the scope, then the per-bot rate limit: a scope error thus proves credentials and bot. */
  function guarded(scope: KoreScope, handler: (req: FastifyRequest, botId: string, app: SimKoreApp) => unknown) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const app = await authenticate(req);
        const botId = (req.params as { botId?: string; streamId?: string }).botId ?? (req.params as { streamId?: string }).streamId;
        if (botId !== undefined) {
          const owns = app.admin || app.botIds.has(botId);
          if (!owns || !world.bots.has(botId)) throw fail(400, 'Invalid StreamId', 400);
        }
        if (!app.scopes.has(scope)) throw fail(world.scopeStatus, 'Permission denied. Scope is incorrect!', 4002);
        const key = botId ?? `account:${app.clientId}`;
        const now = Date.now();
        for (const [limit, windowMs] of [
          [limits.perMinute, 60_000],
          [limits.perHour, 3_600_000],
        ] as const) {
          const r = windows.take(key, limit, windowMs, now);
          if (!r.ok) throw fail(429, RATE_LIMIT_MSG, 429, { 'retry-after': String(Math.max(1, Math.ceil(r.retryAfterMs / 1000))) });
        }
        return await handler(req, botId as string, app);
      } catch (err) {
        if (!(err instanceof KoreFailure)) throw err;
        return reply.code(err.status).headers(err.headers).send(koreBody(err.msg, err.code));
      }
    };
  }

  const bodyOf = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});
  const invalidArgs = () => fail(412, 'Validation errors/ Invalid arguments', 412);

  // ---- vendor API
  app.post(
    '/api/public/bot/:botId/getSessions',
    guarded(KORE_SCOPES.botSessions, (req, botId) => {
      const b = z
        .object({
          skip: z.number().int().min(0).default(0),
          limit: z.number().int().min(1).max(10_000).default(100),
          dateFrom: z.string().optional(),
          dateTo: z.string().optional(),
          userId: z.string().optional(),
          sessionId: z.array(z.string()).max(50).optional(),
        })
        .safeParse(bodyOf(req));
      if (!b.success) throw invalidArgs();
      const { skip, limit, dateFrom, dateTo, userId, sessionId } = b.data;
      const to = dateTo ? Date.parse(dateTo) : Date.now();
      const from = dateFrom ? Date.parse(dateFrom) : to - 7 * 86_400_000;
      if (Number.isNaN(from) || Number.isNaN(to)) throw invalidArgs();
      let sessions = world.bots.get(botId)!.sessions;
      if (sessionId?.length) sessions = sessions.filter((s) => sessionId.includes(s.sessionId));
      else {
        sessions = sessions.filter((s) => {
          const t = Date.parse(s.startTime);
          return t >= from && t <= to && (!userId || s.userId === userId);
        });
      }
      return {
        total: sessions.length,
        moreAvailable: skip + limit < sessions.length,
        sessions: sessions.slice(skip, skip + limit).map(sessionView),
      };
    }),
  );

  app.post(
    '/api/public/bot/:botId/conversationDetails',
    guarded(KORE_SCOPES.chatHistory, (req, botId) => {
      const b = bodyOf(req);
      const sessionId = typeof b.sessionId === 'string' ? b.sessionId : undefined;
      const callId = typeof b.callId === 'string' ? b.callId : undefined;
      if (!sessionId && !callId && typeof b.conversationId !== 'string') throw invalidArgs();
      const session = world.findSession(botId, { sessionId, callId });
      if (!session) throw fail(404, 'Session not found', 404);
      const bot = world.bots.get(botId)!;
      const withSummary = b.isSummaryRequired === true && bot.summaryEnabled && Date.now() >= session.summaryReadyAt;
      return {
        conversationInfo: {
          sessionId: session.sessionId,
          callId: session.callId,
          userId: session.userId,
          sessionStartTime: session.startTime,
          ...(session.containmentType === 'agent' ? { agentHandOffTime: session.endTime } : {}),
        },
        conversationFlow: [{ status: 'completedTask', taskName: session.containmentType === 'agent' ? 'ConnectToAgent' : 'SelfService' }],
        conversationHistory: session.messages.map((m) => ({
          type: m.type,
          createdOn: m.createdOn,
          components: [{ cT: 'text', data: { text: m.text } }],
          channels: [{ type: 'korevg' }],
          lang: 'en',
        })),
        ...(withSummary ? { summary: { ConversationSummary: session.summary, time: new Date(session.summaryReadyAt).toISOString() } } : {}),
      };
    }),
  );

  for (const [path, cap] of [
    ['getMessages', 100],
    ['getMessagesV2', 10_000],
  ] as const) {
    const handler = guarded(KORE_SCOPES.chatHistory, (req, botId) => {
      const raw = req.method === 'GET' ? (req.query as Record<string, string>) : bodyOf(req);
      const sessionIds = Array.isArray(raw.sessionId) ? raw.sessionId.map(String) : raw.sessionId ? [String(raw.sessionId)] : [];
      const userId = raw.userId ? String(raw.userId) : undefined;
      if (req.method === 'GET' && !userId) throw invalidArgs();
      const to = raw.dateTo ? Date.parse(String(raw.dateTo)) : Date.now();
      const from = raw.dateFrom ? Date.parse(String(raw.dateFrom)) : to - 7 * 86_400_000 + 1;
      if (Number.isNaN(from) || Number.isNaN(to) || to - from >= 7 * 86_400_000) throw invalidArgs();
      const skip = Math.max(0, Number(raw.skip ?? 0) || 0);
      const limit = Math.min(cap, Math.max(1, Number(raw.limit ?? cap) || cap));
      const messages = world.bots
        .get(botId)!
        .sessions.filter((s) => (sessionIds.length ? sessionIds.includes(s.sessionId) : true) && (!userId || s.userId === userId))
        .flatMap((s) => s.messages.map((m) => ({ m, s })))
        .filter(({ m }) => {
          const t = Date.parse(m.createdOn);
          return t >= from && t <= to;
        });
      return {
        total: messages.length,
        moreAvailable: skip + limit < messages.length,
        messages: messages.slice(skip, skip + limit).map(({ m, s }) => ({
          _id: m._id,
          botId,
          type: m.type,
          status: 'received',
          createdOn: m.createdOn,
          timestampValue: Date.parse(m.createdOn),
          sessionId: s.sessionId,
          chnl: 'korevg',
          components: [{ cT: 'text', data: { text: m.text } }],
          channels: [{ type: 'korevg' }],
        })),
      };
    });
    app.get(`/api/public/bot/:botId/${path}`, handler);
    app.post(`/api/public/bot/:botId/${path}`, handler);
  }

  app.post(
    '/api/public/streams/:streamId/conversationSummary',
    guarded(KORE_SCOPES.conversationSummary, (req, botId) => {
      const b = bodyOf(req) as { inputMode?: { conversationId?: unknown; transcript?: unknown } };
      const conversationId = b.inputMode?.conversationId;
      if (typeof conversationId !== 'string' && typeof b.inputMode?.transcript !== 'string') throw invalidArgs();
      const bot = world.bots.get(botId)!;
      if (!bot.summaryEnabled) throw fail(400, 'Conversation summary is not enabled for this bot', 400);
      const session = typeof conversationId === 'string' ? world.findSession(botId, { sessionId: conversationId }) : undefined;
      if (typeof conversationId === 'string' && !session) throw fail(404, 'Session not found', 404);
      return { ConversationSummary: session?.summary ?? 'Summary of the given transcript.', time: new Date().toISOString() };
    }),
  );

  app.post(
    '/api/public/bot/:botId/publish',
    guarded(KORE_SCOPES.botPublish, (req, botId, caller) => {
      if (!caller.admin) throw fail(world.scopeStatus, 'Permission denied. Scope is incorrect!', 4002);
      const b = bodyOf(req);
      world.publish(botId, typeof b.versionComment === 'string' ? b.versionComment : '');
      return [{ resourceType: 'dialog', status: 'SUCCESS', result: 'published' }];
    }),
  );

  const publishStatus = guarded(KORE_SCOPES.botPublish, (_req, botId, caller) => {
    if (!caller.admin) throw fail(world.scopeStatus, 'Permission denied. Scope is incorrect!', 4002);
    const s = world.publishStatus(botId);
    if (!s) throw fail(404, 'No publish job found', 404);
    return { jobType: 'PUBLISH_BOT', ...s, statusSummary: [] };
  });
  app.get('/api/public/bot/:botId/publish/status', publishStatus);
  app.get('/api/1.1/public/bot/:botId/publish/status', publishStatus);

  app.get(
    '/api/public/bots',
    guarded(KORE_SCOPES.roleManagement, (req, _botId, caller) => {
      if (!caller.admin) throw fail(world.scopeStatus, 'Permission denied. Scope is incorrect!', 4002);
      const q = req.query as { offset?: string; limit?: string };
      const offset = Math.max(0, Number(q.offset ?? 0) || 0);
      const limit = Math.min(50, Math.max(1, Number(q.limit ?? 50) || 50));
      const bots = [...world.bots.values()];
      return {
        total: bots.length,
        availableMore: offset + limit < bots.length,
        bots: bots.slice(offset, offset + limit).map((b) => ({ _id: b.botId, name: b.name, status: b.published ? 'published' : 'configured' })),
      };
    }),
  );

  // Kore answers a known path with the wrong verb as 405, anything else as 404.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const known = app.hasRoute({ method: req.method === 'GET' ? 'POST' : 'GET', url: path }) || /^\/api\/(1\.1\/)?public\//.test(path);
    return known ? reply.code(405).send(koreBody('Method Not Allowed', 405)) : reply.code(404).send(koreBody('Not Found', 404));
  });

  registerKoreAdmin(app, world, faults, calls, () => {
    windows.clear();
    seenJti.clear();
  }, limits);
  return { app, world, faults, calls };
}

function sessionView(s: SimKoreSession) {
  return {
    sessionId: s.sessionId,
    botId: s.botId,
    channel: s.channel,
    userId: s.userId,
    start_time: s.startTime,
    end_time: s.endTime,
    sessionStatus: 'closed',
    containmentType: s.containmentType,
    noOfMessagesExchanged: s.messages.length,
    tags: { sessionTags: s.callId ? [{ name: 'callId', value: s.callId }] : [] },
  };
}

const TenantBody = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  botId: z.string().min(1),
  botName: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});
const AppBody = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  botIds: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  admin: z.boolean().optional(),
});
const BotPatch = z.object({ name: z.string().optional(), summaryEnabled: z.boolean().optional(), published: z.boolean().optional() });
const SessionBody = z.object({
  callId: z.string().optional(),
  userId: z.string().optional(),
  summary: z.string().optional(),
  summaryDelayMs: z.number().int().min(0).optional(),
  containmentType: z.enum(['selfService', 'agent', 'dropOff']).optional(),
  transcript: z.array(z.object({ type: z.enum(['incoming', 'outgoing']), text: z.string() })).optional(),
});
const LimitsBody = z.object({ perMinute: z.number().int().min(1).optional(), perHour: z.number().int().min(1).optional() });

function registerKoreAdmin(
  app: FastifyInstance,
  world: KoreWorld,
  faults: FaultInjector,
  calls: CallLog,
  resetCounters: () => void,
  limits: { perMinute: number; perHour: number },
): void {
  app.post('/__sim/tenants', async (req, reply) => {
    const b = adminBody(TenantBody, req.body, reply);
    if (!b) return;
    world.addTenant(b);
    return reply.code(201).send({ botId: b.botId, clientId: b.clientId });
  });
  app.post('/__sim/apps', async (req, reply) => {
    const b = adminBody(AppBody, req.body, reply);
    if (!b) return;
    for (const botId of b.botIds ?? []) if (!world.bots.has(botId)) world.addBot({ botId });
    world.addApp(b);
    return reply.code(201).send({ clientId: b.clientId });
  });
  // Grant (PUT) or revoke (DELETE) one API scope of an app.
  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/__sim/apps/:clientId/scopes/:scope',
      handler: async (req, reply) => {
        const { clientId, scope } = req.params as { clientId: string; scope: string };
        const a = world.apps.get(clientId);
        if (!a) return reply.code(404).send({ error: `unknown app ${clientId}` });
        if (method === 'PUT') a.scopes.add(scope);
        else a.scopes.delete(scope);
        return { clientId, scopes: [...a.scopes] };
      },
    });
  }
  app.patch('/__sim/bots/:botId', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const b = adminBody(BotPatch, req.body, reply);
    if (!b) return;
    if (!world.bots.has(botId)) return reply.code(404).send({ error: `unknown bot ${botId}` });
    const bot = world.addBot({ botId, ...b });
    return { botId, name: bot.name, summaryEnabled: bot.summaryEnabled, published: bot.published };
  });
  app.post('/__sim/bots/:botId/sessions', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const b = adminBody(SessionBody, req.body, reply);
    if (!b) return;
    if (!world.bots.has(botId)) return reply.code(404).send({ error: `unknown bot ${botId}` });
    const s = world.addSession(botId, b);
    return reply.code(201).send({ sessionId: s.sessionId, userId: s.userId, callId: s.callId, summaryReadyAt: new Date(s.summaryReadyAt).toISOString() });
  });
  app.put('/__sim/limits', async (req, reply) => {
    const b = adminBody(LimitsBody, req.body, reply);
    if (!b) return;
    Object.assign(limits, b);
    resetCounters();
    return limits;
  });
  app.put('/__sim/scope-status/:status', async (req, reply) => {
    const status = Number((req.params as { status: string }).status);
    if (status !== 401 && status !== 403) return reply.code(400).send({ error: 'status: expected 401 or 403' });
    world.scopeStatus = status;
    return { scopeStatus: status };
  });
  registerCommonAdmin(app, faults, calls, () => {
    world.reset();
    resetCounters();
  });
}
