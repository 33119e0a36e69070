import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZOOM_ENDPOINTS, type RateLabel, type ZoomOperation } from '../../integrations/zoom/scopes';
import { registerCommonAdmin } from '../admin';
import { CallLog, FaultInjector, installFaultsAndCallLog } from '../faults';
import { acceptFormBodies, adminBody } from '../http';
import { WindowSet } from '../rate-limit';
import { registerWebhookSender } from './webhooks';
import { ZoomWorld, type SimConnector, type SimZoomAccount } from './world';

/**
 * Zoom's S2S OAuth token endpoint and the Contact Center API on loopback: Basic auth on the token
 * endpoint, bearer tokens with expiry and scopes (4711 lists the accepted pair), per-account rate
 * limits by label with Zoom's 429 headers, `next_page_token` paging that expires after 15 min, and
 * an admin API under /__sim/.
 */
export interface ZoomSimOptions {
  world?: ZoomWorld;
  limits?: Partial<Record<RateLabel, number>> & { heavyDaily?: number };
  logger?: boolean;
  /** Called for a simulated test call through a connector: returns the Kore session it created. */
  onTestCall?: (connector: SimConnector, opts: TestCallOptions) => { sessionId: string } | undefined;
}

export interface TestCallOptions {
  callerNumber?: string;
  summaryDelayMs?: number;
  transfer?: boolean;
}

export interface ZoomSim {
  app: FastifyInstance;
  world: ZoomWorld;
  faults: FaultInjector;
  calls: CallLog;
}

class ZoomFailure {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const PAGE_TOKEN_TTL_MS = 15 * 60_000;
const INVALID_TOKEN = () => new ZoomFailure(401, { code: 124, message: 'Invalid access token.' });

export function createZoomSim(opts: ZoomSimOptions = {}): ZoomSim {
  const world = opts.world ?? new ZoomWorld();
  const faults = new FaultInjector();
  const calls = new CallLog();
  const windows = new WindowSet();
  const limits = { LIGHT: 40, MEDIUM: 20, HEAVY: 10, heavyDaily: 30_000, ...opts.limits };
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024 });
  acceptFormBodies(app);
  installFaultsAndCallLog(
    app,
    faults,
    calls,
    (status) => (status === 429 ? { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' } : { code: status, message: 'Simulated failure' }),
    // A client is an account: by its bearer token, or by its app's client id at the token endpoint.
    (req) => {
      const auth = req.headers.authorization ?? '';
      const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
      if (bearer) return world.tokens.has(bearer) ? `account:${world.tokens.get(bearer)!.accountId}` : undefined;
      const basic = /^Basic\s+(.+)$/i.exec(auth)?.[1];
      const clientId = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined;
      const account = clientId ? world.accountByClient(clientId) : undefined;
      return account ? `account:${account.accountId}` : undefined;
    },
  );

  // ---- OAuth
  app.post('/oauth/token', async (req, reply) => {
    const params = { ...(req.query as Record<string, string>), ...((req.body as Record<string, string>) ?? {}) };
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const [clientId, clientSecret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(/:(.*)/s) : [];
    if (params.grant_type !== 'account_credentials') return reply.code(400).send({ error: 'unsupported_grant_type' });
    const account = clientId ? world.accountByClient(clientId) : undefined;
    if (!account || account.clientSecret !== clientSecret) {
      return reply.code(400).send({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    if (params.account_id !== account.accountId) return reply.code(400).send({ reason: 'Invalid Account Id', error: 'invalid_request' });
    const { value } = world.issueToken(account);
    const host = req.headers.host ?? '127.0.0.1';
    return {
      access_token: value,
      token_type: 'bearer',
      expires_in: account.tokenTtlSeconds,
      scope: [...account.scopes].join(' '),
      api_url: `http://${host}`,
    };
  });

  // ---- Contact Center API
  function guarded(operation: ZoomOperation, handler: (req: FastifyRequest, account: SimZoomAccount) => unknown) {
    const { scopes, label } = ZOOM_ENDPOINTS[operation];
    return async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const token = bearer ? world.tokens.get(bearer) : undefined;
        if (!token || token.expiresAt <= Date.now()) {
          if (world.zccUsers401Variant && operation === 'listUsers') throw new ZoomFailure(401, { status: false, errorCode: 401 });
          throw INVALID_TOKEN();
        }
        const account = world.accounts.get(token.accountId);
        if (!account) throw INVALID_TOKEN();
        // Scopes are fixed when a token is issued, as with Zoom: a revoked scope bites on the next token.
        if (!scopes.some((s) => token.scopes.includes(s))) {
          throw new ZoomFailure(400, { code: 4711, message: `Invalid access token, does not contain scopes:[${scopes.join(', ')}].` });
        }
        rateLimit(account.accountId, label);
        const result = await handler(req, account);
        if (result === undefined) return reply.code(204).send();
        return result;
      } catch (err) {
        if (!(err instanceof ZoomFailure)) throw err;
        return reply.code(err.status).headers(err.headers).send(err.body);
      }
    };
  }

  function rateLimit(accountId: string, label: RateLabel): void {
    const now = Date.now();
    const perSecond = windows.take(`${accountId}:${label}`, limits[label], 1000, now);
    if (!perSecond.ok) {
      throw new ZoomFailure(
        429,
        { code: 429, message: "You have reached the maximum per-second rate limit for this API. Try again later." },
        { 'x-ratelimit-category': label[0] + label.slice(1).toLowerCase(), 'x-ratelimit-type': 'QPS' },
      );
    }
    if (label === 'HEAVY') {
      const daily = windows.take(`${accountId}:daily`, limits.heavyDaily, 86_400_000, now);
      if (!daily.ok) {
        const midnight = new Date(now);
        midnight.setUTCHours(24, 0, 0, 0);
        throw new ZoomFailure(
          429,
          { code: 429, message: "You have reached the maximum daily rate limit for this API." },
          {
            'x-ratelimit-type': 'Daily-limit',
            'x-ratelimit-limit': String(limits.heavyDaily),
            'x-ratelimit-remaining': '0',
            'retry-after': midnight.toISOString().replace('.000', ''),
          },
        );
      }
    }
  }

  /** Opaque page tokens bound to the filters that made them; they expire after 15 minutes. */
  function page<T>(req: FastifyRequest, key: string, items: T[], max: number, dflt: number) {
    const q = req.query as Record<string, string | undefined>;
    const size = Math.min(max, Math.max(1, Number(q.page_size ?? dflt) || dflt));
    const filters = JSON.stringify(Object.entries(q).filter(([k]) => k !== 'page_size' && k !== 'next_page_token').sort());
    let offset = 0;
    if (q.next_page_token) {
      try {
        const t = JSON.parse(Buffer.from(q.next_page_token, 'base64url').toString('utf8')) as { o: number; t: number; f: string };
        if (Date.now() - t.t > PAGE_TOKEN_TTL_MS || t.f !== filters || !Number.isInteger(t.o)) throw new Error('stale');
        offset = t.o;
      } catch {
        throw new ZoomFailure(400, { code: 300, message: 'The next page token is invalid or expired.' });
      }
    }
    const next = offset + size < items.length ? Buffer.from(JSON.stringify({ o: offset + size, t: Date.now(), f: filters })).toString('base64url') : '';
    return { next_page_token: next, page_size: size, total_records: items.length, [key]: items.slice(offset, offset + size) };
  }

  const notFound = (code: number, what: string, idValue: string) => new ZoomFailure(404, { code, message: `${what} does not exist: ${idValue}` });
  const flowOf = (a: SimZoomAccount, flowId: string) => a.flows.find((f) => f.flow_id === flowId) ?? thrower(notFound(3201, 'Flow', flowId));
  const publicFlow = ({ connectorId: _c, ...f }: SimZoomAccount['flows'][number]) => f;

  app.get('/v2/contact_center/users', guarded('listUsers', (req, a) => page(req, 'users', a.users, 300, 30)));
  app.get(
    '/v2/contact_center/users/:userId',
    guarded('getUser', (req, a) => {
      const { userId } = req.params as { userId: string };
      return a.users.find((u) => u.user_id === userId) ?? thrower(notFound(1001, 'User', userId));
    }),
  );
  app.get('/v2/contact_center/queues', guarded('listQueues', (req, a) => page(req, 'queues', a.queues, 300, 10)));
  app.get(
    '/v2/contact_center/queues/:queueId',
    guarded('getQueue', (req, a) => {
      const { queueId } = req.params as { queueId: string };
      return a.queues.find((q) => q.cc_queue_id === queueId) ?? thrower(notFound(1201, 'Queue', queueId));
    }),
  );
  app.get(
    '/v2/contact_center/queues/:queueId/agents',
    guarded('listQueueAgents', (req, a) => {
      const { queueId } = req.params as { queueId: string };
      if (!a.queues.some((q) => q.cc_queue_id === queueId)) throw notFound(1201, 'Queue', queueId);
      return page(req, 'agents', a.users.map((u) => ({ user_id: u.user_id, display_name: u.display_name, user_email: u.user_email })), 300, 10);
    }),
  );
  app.get(
    '/v2/contact_center/flows',
    guarded('listFlows', (req, a) => {
      const q = req.query as { status?: string; channel?: string };
      const flows = a.flows.filter((f) => (!q.status || f.status === q.status) && (!q.channel || f.channel === q.channel));
      return page(req, 'flows', flows.map(publicFlow), 300, 10);
    }),
  );
  app.get('/v2/contact_center/flows/:flowId', guarded('getFlow', (req, a) => publicFlow(flowOf(a, (req.params as { flowId: string }).flowId))));
  app.get(
    '/v2/contact_center/flows/:flowId/entry_points',
    guarded('listFlowEntryPoints', (req, a) => page(req, 'entry_points', flowOf(a, (req.params as { flowId: string }).flowId).entry_points, 300, 30)),
  );
  app.get(
    '/v2/contact_center/flows_entry_points',
    guarded('listAccountEntryPoints', (req, a) => {
      const q = req.query as { channel?: string };
      if (!q.channel) throw new ZoomFailure(400, { code: 3210, message: 'Invalid channel.' });
      return page(req, 'entry_points', a.flows.filter((f) => f.channel === q.channel).flatMap((f) => f.entry_points), 300, 30);
    }),
  );
  app.put(
    '/v2/contact_center/flows/:flowId/publish',
    guarded('publishFlow', (req, a) => {
      const flow = flowOf(a, (req.params as { flowId: string }).flowId);
      flow.status = 'published';
      for (const v of flow.flow_versions) v.flow_version_status = 'published';
      return undefined;
    }),
  );
  app.get(
    '/v2/contact_center/engagements',
    guarded('listEngagements', (req, a) => {
      const q = req.query as { from?: string; to?: string; consumer_number?: string; queue_id?: string };
      const to = q.to ? Date.parse(q.to) : Date.now();
      const from = q.from ? Date.parse(q.from) : to - 86_400_000;
      if ((q.from && !q.to) || Number.isNaN(from) || Number.isNaN(to) || to - from > 31 * 86_400_000) {
        throw new ZoomFailure(400, { code: 300, message: 'Invalid from/to range.' });
      }
      const list = a.engagements.filter((e) => {
        const t = Date.parse(e.start_time);
        return (
          t >= from &&
          t <= to &&
          (!q.consumer_number || e.consumers.some((c) => c.consumer_number === q.consumer_number)) &&
          (!q.queue_id || e.queues.some((qq) => qq.cc_queue_id === q.queue_id))
        );
      });
      // Zoom lists an engagement only once it has finished.
      return page(req, 'engagements', list.filter((e) => Date.parse(e.end_time) <= Date.now() + 120_000).map(({ events: _e, ...rest }) => rest), 100, 10);
    }),
  );
  app.get(
    '/v2/contact_center/engagements/:engagementId',
    guarded('getEngagement', (req, a) => {
      const { engagementId } = req.params as { engagementId: string };
      return a.engagements.find((e) => e.engagement_id === engagementId) ?? thrower(notFound(2901, 'Engagement', engagementId));
    }),
  );
  app.get(
    '/v2/contact_center/engagements/:engagementId/recordings',
    guarded('listEngagementRecordings', (req, a) => {
      const { engagementId } = req.params as { engagementId: string };
      if (!a.engagements.some((e) => e.engagement_id === engagementId)) throw notFound(2901, 'Engagement', engagementId);
      return page(req, 'recordings', [], 300, 30);
    }),
  );
  app.get(
    '/v2/number_management/numbers',
    guarded('listNumbers', (req, a) => {
      const numbers = [...a.flows.flatMap((f) => f.entry_points.map((e) => e.entry_number)), ...a.connectors.map((c) => c.did)];
      return page(req, 'numbers', numbers.map((n, i) => ({ id: `n${i}`, number: n, status: 'normal', assigned_list: [] })), 200, 30);
    }),
  );

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ code: 404, message: 'Not found.' }));

  registerZoomAdmin(app, world, opts, () => windows.clear(), limits);
  registerWebhookSender(app);
  registerCommonAdmin(app, faults, calls, () => {
    world.reset();
    windows.clear();
  });
  return { app, world, faults, calls };
}

function thrower(f: ZoomFailure): never {
  throw f;
}

const AccountBody = z.object({
  accountId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scopes: z.array(z.string()).optional(),
  tokenTtlSeconds: z.number().int().min(1).optional(),
});
const ConnectorBody = z.object({
  accountId: z.string().min(1),
  name: z.string().min(1),
  botId: z.string().min(1),
  koreClientId: z.string().min(1),
  baseUrl: z.string().min(1),
});
const FlowBody = z.object({
  accountId: z.string().min(1),
  flowName: z.string().min(1),
  status: z.enum(['draft', 'published', 'archived']).optional(),
  entryNumber: z.string().optional(),
  connectorId: z.string().optional(),
});
const TestCallBody = z.object({
  accountId: z.string().min(1),
  did: z.string().optional(),
  connectorId: z.string().optional(),
  callerNumber: z.string().optional(),
  summaryDelayMs: z.number().int().min(0).optional(),
  transfer: z.boolean().optional(),
});
const LimitsBody = z.object({
  LIGHT: z.number().int().min(1).optional(),
  MEDIUM: z.number().int().min(1).optional(),
  HEAVY: z.number().int().min(1).optional(),
  heavyDaily: z.number().int().min(1).optional(),
});

function registerZoomAdmin(app: FastifyInstance, world: ZoomWorld, opts: ZoomSimOptions, clearWindows: () => void, limits: object): void {
  const account = (accountId: string, reply: FastifyReply) => {
    const a = world.accounts.get(accountId);
    if (!a) void reply.code(404).send({ error: `unknown account ${accountId}` });
    return a;
  };
  app.post('/__sim/accounts', async (req, reply) => {
    const b = adminBody(AccountBody, req.body, reply);
    if (!b) return;
    const a = world.addAccount(b);
    return reply.code(201).send({ accountId: a.accountId, scopes: [...a.scopes] });
  });
  app.put('/__sim/accounts/:accountId/scopes/:scope', async (req, reply) => {
    const p = req.params as { accountId: string; scope: string };
    const a = account(p.accountId, reply);
    if (!a) return;
    a.scopes.add(p.scope);
    return { accountId: a.accountId, scopes: [...a.scopes] };
  });
  app.delete('/__sim/accounts/:accountId/scopes/:scope', async (req, reply) => {
    const p = req.params as { accountId: string; scope: string };
    const a = account(p.accountId, reply);
    if (!a) return;
    a.scopes.delete(p.scope);
    // A scope removed from the app: tokens issued from now on lack it; revoke live ones too, as
    // deactivating and re-activating the app would.
    world.expireTokens(a.accountId);
    return { accountId: a.accountId, scopes: [...a.scopes] };
  });
  app.post('/__sim/accounts/:accountId/tokens/expire', async (req, reply) => {
    const a = account((req.params as { accountId: string }).accountId, reply);
    if (!a) return;
    return { expired: world.expireTokens(a.accountId) };
  });
  app.post('/__sim/connectors', async (req, reply) => {
    const b = adminBody(ConnectorBody, req.body, reply);
    if (!b || !account(b.accountId, reply)) return;
    const c = world.addConnector(b.accountId, b);
    return reply.code(201).send(c);
  });
  app.post('/__sim/connectors/:connectorId/authorize', async (req, reply) => {
    const { connectorId } = req.params as { connectorId: string };
    for (const a of world.accounts.values()) {
      const c = a.connectors.find((x) => x.connectorId === connectorId);
      if (c) {
        c.authorized = true;
        return c;
      }
    }
    return reply.code(404).send({ error: `unknown connector ${connectorId}` });
  });
  app.post('/__sim/flows', async (req, reply) => {
    const b = adminBody(FlowBody, req.body, reply);
    if (!b || !account(b.accountId, reply)) return;
    const f = world.addFlow(b.accountId, b);
    return reply.code(201).send(f);
  });
  app.post('/__sim/test-calls', async (req, reply) => {
    const b = adminBody(TestCallBody, req.body, reply);
    if (!b) return;
    const a = account(b.accountId, reply);
    if (!a) return;
    const connector = a.connectors.find((c) => c.connectorId === b.connectorId || (b.did !== undefined && c.did === b.did));
    if (!connector) return reply.code(404).send({ error: 'no connector with that id or DID on this account' });
    const kore = opts.onTestCall?.(connector, b);
    const flow = a.flows.find((f) => f.connectorId === connector.connectorId);
    const e = world.addEngagement(a.accountId, { flowId: flow?.flow_id, callerNumber: b.callerNumber, koreSessionId: kore?.sessionId, transfer: b.transfer });
    return reply.code(201).send({ engagementId: e.engagement_id, koreSessionId: kore?.sessionId, did: connector.did });
  });
  app.put('/__sim/limits', async (req, reply) => {
    const b = adminBody(LimitsBody, req.body, reply);
    if (!b) return;
    Object.assign(limits, b);
    clearWindows();
    return limits;
  });
  app.put('/__sim/zcc-401-variant/:on', async (req) => {
    world.zccUsers401Variant = (req.params as { on: string }).on === 'on';
    return { zccUsers401Variant: world.zccUsers401Variant };
  });
}
