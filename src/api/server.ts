import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { isGrpcServiceError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config';
import {
  HealthChecks,
  HealthConflict,
  HealthNotFound,
  InvalidPageToken,
  OnboardingConflict,
  OnboardingNotFound,
  Onboardings,
  Refused,
  TenantRejected,
  type OnboardingOptions,
} from '../app';
import { temporalAddress } from '../temporal/client';
import { allows, TokenBook, type Principal, type Role } from './auth';
import { denyFraming, registerDashboard, temporalRunUrl } from './dashboard';
import { ApiMetrics } from './metrics';
import { answerWrongMethods } from './methods';
import { openApiDocument } from './openapi';
import { MAX_PARAM_LENGTH, problem, ProblemError, sendProblem, STATUS_OF_REFUSAL } from './problems';
import { registerEventRoutes } from './routes/events';
import { registerHealthRoutes } from './routes/health';
import { registerOnboardingRoutes } from './routes/onboardings';
import { registerStepRoutes } from './routes/steps';
import { registerZoomWebhook } from './routes/zoom-webhook';
import { registerCodecRoutes } from './routes/codec';
import { traceRequests } from './tracing';
import { cookieValue, SESSION_COOKIE, SESSION_HOURS, Sessions } from './session';
import { EncryptionCodec, loadKeyring } from '../temporal/codec';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface ApiOptions {
  config: Config;
  client: Client;
  logger: Logger;
  tokens?: TokenBook;
  taskQueue?: string;
  onboardingOptions?: OnboardingOptions;
}

/**
 * The HTTP API and the dashboard: one Fastify server. Requests are checked with the zod schemas
 * the OpenAPI document is generated from; every refusal is one problem+json shape, logged once
 * with the request id; tokens and request bodies are never logged.
 */
export async function buildApi(o: ApiOptions): Promise<FastifyInstance> {
  const tokens = o.tokens ?? TokenBook.fromConfig(o.config.api);
  const onboardings = new Onboardings(o.client, o.config, { taskQueue: o.taskQueue, onboardingOptions: o.onboardingOptions });
  const health = new HealthChecks(onboardings, { taskQueue: o.taskQueue });
  const metrics = new ApiMetrics(onboardings, undefined, health);
  const app = Fastify({
    loggerInstance: o.logger.child({ component: 'api' }) as unknown as FastifyBaseLogger,
    bodyLimit: o.config.api.bodyLimit,
    // A path parameter up to this long reaches its route, which refuses a wrong one by name (400),
    // rather than the router's 414 at 100 characters for what is only a wrong tenant or step id.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Our own id for every request: a client-chosen one could collide with, or pose as, another
    // request's in the logs. What the client sent is kept in the log line, sanitized and capped.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    childLoggerFactory: (logger, bindings, opts, rawReq) => {
      const clientRequestId = clientIdOf(rawReq.headers['x-request-id']);
      return logger.child(clientRequestId ? { ...bindings, clientRequestId } : bindings, opts);
    },
    // We log refusals ourselves, once each; Fastify's per-request lines would only repeat them.
    logController: new LogController({ disableRequestLogging: true }),
    // A URL Fastify cannot decode (a lone '%', '%zz') is refused before any hook, in Fastify's own
    // JSON; answer it as the problem every other refusal is.
    frameworkErrors: (err, req, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      const p =
        status === 414
          ? problem(414, 'UriTooLong', `a path segment is longer than ${MAX_PARAM_LENGTH} characters`, undefined, req.id)
          : problem(status, 'BadUrl', 'the URL is not valid (a bad percent-encoding?)', undefined, req.id);
      req.log.warn({ method: req.method, status, code: p.code }, 'request refused');
      return sendProblem(reply.header('x-request-id', req.id), p);
    },
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  answerWrongMethods(app);
  traceRequests(app);
  denyFraming(app);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const keyring = loadKeyring(o.config);
  const sessions = new Sessions(keyring.current, tokens);

  /**
   * Bearer auth for API routes: 401 without a known token, 403 for a role below `needed`. The
   * codec routes also take the session cookie, since the Temporal Web UI cannot send our token.
   */
  const role = (needed: Role) => ({
    preHandler: async (req: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(req);
      let principal = token ? tokens.find(token) : undefined;
      if (!principal && !token && req.url.startsWith('/codec/')) {
        const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
        principal = session ? await sessions.verify(session) : undefined;
      }
      if (!principal) {
        reply.header('www-authenticate', 'Bearer realm="kore-zcc-onboarding"');
        throw new ProblemError(401, 'Unauthenticated', token ? 'the bearer token is not known' : 'send Authorization: Bearer <token>');
      }
      if (!allows(principal, needed)) throw new ProblemError(403, 'Forbidden', `${principal.name} is a ${principal.role}; this needs the ${needed} role`);
      // The codec decrypts any tenant's payloads, so a token scoped to tenants has no use of it (nor of the session that serves it).
      if (principal.tenants && (req.url.startsWith('/codec/') || req.url.startsWith('/api/v1/session')))
        throw new ProblemError(403, 'Forbidden', `${principal.name}'s token is scoped to tenants; the codec reads every tenant's payloads`);
      req.principal = principal;
    },
  });

  app.setErrorHandler((err, req, reply) => {
    const p = toProblem(err, req.id);
    // One line per refusal, with the request id; never the body or the token.
    // The gRPC status of a Temporal failure too: it says which kind of failure a 500 was.
    if (p.status >= 500) req.log.error({ err: { message: (err as Error).message, grpcCode: grpcCodeOf(err) } }, 'request failed');
    else req.log.warn({ method: req.method, url: req.url.split('?')[0], status: p.status, code: p.code, detail: p.detail }, 'request refused');
    if (p.status === 503) reply.header('retry-after', '5');
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((req, reply) => {
    req.log.warn({ method: req.method, url: req.url.split('?')[0], status: 404 }, 'request refused');
    return sendProblem(reply, problem(404, 'NotFound', `no route ${req.method} ${req.url.split('?')[0]}`, undefined, req.id));
  });

  registerOnboardingRoutes(app, { onboardings, metrics }, role);
  registerEventRoutes(app, onboardings, role);
  registerStepRoutes(app, role);
  registerHealthRoutes(app, health, role);
  app.get('/api/v1/me', role('viewer'), async (req) => req.principal);
  // Sign-in for the Temporal Web UI's codec calls: the dashboard posts here with the person's token.
  app.post('/api/v1/session', role('viewer'), async (req, reply) => {
    const secure = req.protocol === 'https';
    const jwt = await sessions.issue(bearerToken(req) ?? '');
    if (!jwt) throw new ProblemError(401, 'Unauthenticated', 'send Authorization: Bearer <token>');
    reply.header('set-cookie', sessions.cookie(jwt, secure));
    return { ...req.principal!, expiresInHours: SESSION_HOURS };
  });
  // Sign-out. The cookie is scoped to /codec, so the browser sends it only there: DELETE
  // /codec/session ends that session (the dashboard's Sign out); DELETE /api/v1/session with the
  // bearer token ends every session of the token. Both clear the cookie in the browser.
  app.delete('/codec/session', async (req, reply) => {
    const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (session) await sessions.revoke(session);
    reply.header('set-cookie', Sessions.clearCookie(req.protocol === 'https'));
    return reply.code(204).send();
  });
  app.delete('/api/v1/session', async (req, reply) => {
    const token = bearerToken(req);
    if (token) sessions.endAll(token);
    reply.header('set-cookie', Sessions.clearCookie(req.protocol === 'https'));
    return reply.code(204).send();
  });
  registerCodecRoutes(app, { codec: new EncryptionCodec(keyring), corsOrigins: o.config.codec.corsOrigins }, role);
  registerZoomWebhook(app, onboardings, o.config.api.zoomWebhookSecret);

  const document = openApiDocument({ allowLocalWebhooks: o.config.outbound.allowLocalWebhooks });
  app.get('/openapi.json', async () => document);
  await app.register(import('@fastify/swagger'), { mode: 'static', specification: { document: document as never } });
  await app.register(import('@fastify/swagger-ui'), { routePrefix: '/docs' });

  app.get('/healthz', async (_req, reply) => {
    const address = temporalAddress(o.config);
    try {
      await o.client.workflowService.getSystemInfo({});
      return { status: 'ok', temporal: { address, reachable: true } };
    } catch (err) {
      return reply.code(503).send({ status: 'degraded', temporal: { address, reachable: false, detail: String((err as Error).message).split('\n')[0] } });
    }
  });
  // With ONBOARD_METRICS_TOKEN set, only a scrape with that bearer token (compared in constant time).
  const metricsDigest = o.config.api.metricsToken ? sha256(o.config.api.metricsToken) : undefined;
  app.get('/metrics', async (req, reply) => {
    if (metricsDigest) {
      const token = bearerToken(req);
      if (!token || !timingSafeEqual(sha256(token), metricsDigest)) {
        reply.header('www-authenticate', 'Bearer realm="kore-zcc-onboarding metrics"');
        throw new ProblemError(
          401,
          'Unauthenticated',
          token ? 'the bearer token is not the metrics token' : 'send Authorization: Bearer <ONBOARD_METRICS_TOKEN>',
        );
      }
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  await registerDashboard(app, { temporalRunUrl: temporalRunUrl(o.config.temporal.uiUrl, o.config.temporal.namespace) });

  return app;
}

/** A client's x-request-id as the log line keeps it: printable id characters only, at most 64. */
function clientIdOf(given: string | string[] | undefined): string | undefined {
  const first = Array.isArray(given) ? given[0] : given;
  const clean = (first ?? '').replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 64);
  return clean || undefined;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const bearerToken = (req: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

function toProblem(err: unknown, requestId: string) {
  if (err instanceof ProblemError) return problem(err.status, err.code, err.message, err.errors, requestId);
  if (err instanceof Refused) return problem(STATUS_OF_REFUSAL[err.code], err.code, err.message, err.fields, requestId);
  if (err instanceof TenantRejected) {
    const errors = err.fields.map((f) => ({ ...f, field: `body.${f.field}` }));
    return problem(400, 'InvalidInput', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors, requestId);
  }
  if (err instanceof InvalidPageToken)
    return problem(400, 'InvalidInput', `query.pageToken: ${err.message}`, [{ field: 'query.pageToken', message: err.message }], requestId);
  if (err instanceof OnboardingConflict) return problem(409, 'OnboardingRunning', err.message, undefined, requestId);
  if (err instanceof OnboardingNotFound) return problem(404, 'UnknownTenant', err.message, undefined, requestId);
  if (err instanceof HealthNotFound) return problem(409, 'NoHealthChecks', err.message, undefined, requestId);
  if (err instanceof HealthConflict) return problem(409, 'HealthConflict', err.message, undefined, requestId);
  if (notAnswering(err))
    return problem(
      503,
      'TemporalUnavailable',
      "Temporal or the run's worker did not answer in time; retry in a moment (a read without consistent=true needs no worker)",
      undefined,
      requestId,
    );
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return problem(413, 'BodyTooLarge', 'the request body is larger than this API accepts', undefined, requestId);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return problem(e.statusCode, e.code ?? 'BadRequest', String(e.message ?? 'bad request').split('\n')[0]!, undefined, requestId);
  }
  return problem(500, 'Internal', `something failed on our side; quote request id ${requestId}`, undefined, requestId);
}

/**
 * Temporal did not answer (unreachable, its deadline passed) or the run's worker did not (a query or
 * an Update no worker took in time): a 503 to retry, not a 500 that says we broke.
 */
function grpcCodeOf(err: unknown): number | undefined {
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) ? grpc.code : undefined;
}

function notAnswering(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcCodeOf(err);
  // gRPC status codes 4 (DEADLINE_EXCEEDED), 14 (UNAVAILABLE) and 1 (CANCELLED: how grpc-js reported
  // our own deadline passing on a loaded machine, measured).
  return code === 4 || code === 14 || code === 1;
}
