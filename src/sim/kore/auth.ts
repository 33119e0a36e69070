import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { KoreScope } from '../../integrations/kore/scopes';
import { fail, INVALID_CREDENTIALS, INVALID_JWT, koreBody, KoreFailure, scopeDenied } from './errors';
import type { KoreLimits, KoreRateClass } from './limits';
import type { KoreWorld, SimKoreApp } from './world';

/**
 * JWT auth as Kore checks it: the `auth` header holds an HS256 JWT whose `appId` claim is the
 * app's Client ID and whose key is its Client Secret; a `jti` may be used once per app.
 */
export class KoreAuth {
  #seenJti = new Map<string, Set<string>>();

  constructor(private readonly world: KoreWorld) {}

  async authenticate(req: FastifyRequest): Promise<SimKoreApp> {
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
    const app = typeof appId === 'string' ? this.world.apps.get(appId) : undefined; // appId is case-sensitive
    if (!app) throw INVALID_CREDENTIALS();
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(app.clientSecret), { algorithms: ['HS256'] });
      if (payload.jti) {
        const seen = this.#seenJti.get(app.clientId) ?? new Set();
        if (seen.has(payload.jti)) throw INVALID_JWT();
        seen.add(payload.jti);
        this.#seenJti.set(app.clientId, seen);
      }
    } catch (err) {
      if (err instanceof KoreFailure) throw err;
      throw (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? INVALID_JWT() : INVALID_CREDENTIALS();
    }
    return app;
  }

  /** Forgets used `jti`s (reset, new limits). */
  clear(): void {
    this.#seenJti.clear();
  }
}

export type KoreHandler = (req: FastifyRequest, botId: string, app: SimKoreApp) => unknown;
/** A status call's request id (the export's `ber-`, the import's `bir-` id): its rate window counts per request id. */
export type RequestIdOf = (req: FastifyRequest, botId: string | undefined) => string | undefined;
export type Guarded = (
  scope: KoreScope | null,
  handler: KoreHandler,
  rateClass?: KoreRateClass,
  requestId?: RequestIdOf,
) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Auth, then the bot, then the scope, then the rate limit of the endpoint's class: a scope error
 * thus proves credentials and bot. A KoreFailure thrown anywhere becomes Kore's error answer.
 * Analytics calls count per bot; status calls per request id (given by `requestId`; else the
 * bot's publish job: one per bot); admin calls per account (an Admin Console app is its account's).
 */
export function makeGuarded(world: KoreWorld, auth: KoreAuth, limits: KoreLimits): Guarded {
  return (scope, handler, rateClass = 'analytics', requestId) =>
    async (req, reply) => {
      try {
        world.settle();
        const app = await auth.authenticate(req);
        const params = req.params as { botId?: string; streamId?: string };
        const botId = params.botId ?? params.streamId;
        if (botId !== undefined) {
          const owns = app.admin || app.botIds.has(botId);
          if (!owns || !world.bots.has(botId)) throw fail(400, 'Invalid StreamId', 400);
        }
        // null: no scope (upload: any app the account admin made, kore-api-more.md 1).
        if (scope !== null && !app.scopes.has(scope)) throw scopeDenied(world.scopeStatus);
        const request = requestId?.(req, botId);
        const key = request !== undefined ? `request:${request}` : rateClass === 'admin' || botId === undefined ? `account:${app.clientId}` : `bot:${botId}`;
        limits.take(key, Date.now(), rateClass);
        return await handler(req, botId as string, app);
      } catch (err) {
        if (!(err instanceof KoreFailure)) throw err;
        return reply.code(err.status).headers(err.headers).send(koreBody(err.msg, err.code));
      }
    };
}

/** Publish, publish status and get bots belong to Admin Console apps; a bot app is refused as a missing scope. */
export function requireAdminApp(world: KoreWorld, caller: SimKoreApp): void {
  if (!caller.admin) throw scopeDenied(world.scopeStatus);
}
