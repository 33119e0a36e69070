import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZOOM_ENDPOINTS, type ZoomOperation } from '../../integrations/zoom/scopes';
import { INVALID_TOKEN, ZoomFailure } from './errors';
import type { ZoomLimits } from './limits';
import type { SimZoomAccount, ZoomWorld } from './world';

/**
 * Zoom's Server-to-Server OAuth: the token endpoint (Basic auth with the app's client id and
 * secret, `grant_type=account_credentials&account_id=`, form body or query) and the bearer check
 * on every Contact Center call.
 */
export function registerOAuth(app: FastifyInstance, world: ZoomWorld): void {
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
}

/** The account a request is for: by its bearer token, or by its app's client id at the token endpoint (for the call log and per-client faults). */
export function clientOf(world: ZoomWorld) {
  return (req: FastifyRequest): string | undefined => {
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (bearer) return world.tokens.has(bearer) ? `account:${world.tokens.get(bearer)!.accountId}` : undefined;
    const basic = /^Basic\s+(.+)$/i.exec(auth)?.[1];
    const clientId = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined;
    const account = clientId ? world.accountByClient(clientId) : undefined;
    return account ? `account:${account.accountId}` : undefined;
  };
}

export type ZoomHandler = (req: FastifyRequest, account: SimZoomAccount) => unknown;
export type Guarded = (operation: ZoomOperation, handler: ZoomHandler) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Token, then scope, then the account's rate limit for the operation's label (both from
 * ZOOM_ENDPOINTS). A handler returning undefined answers 204; a ZoomFailure becomes Zoom's answer.
 */
export function makeGuarded(world: ZoomWorld, limits: ZoomLimits): Guarded {
  return (operation, handler) => {
    const { scopes, label } = ZOOM_ENDPOINTS[operation];
    return async (req, reply) => {
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
        limits.take(account.accountId, label);
        const result = await handler(req, account);
        if (result === undefined) return reply.code(204).send();
        return result;
      } catch (err) {
        if (!(err instanceof ZoomFailure)) throw err;
        return reply.code(err.status).headers(err.headers).send(err.body);
      }
    };
  };
}
