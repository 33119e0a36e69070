import Fastify, { type FastifyInstance } from 'fastify';
import { recordRoutes, type SimRoute } from '../routes';
import { CallLog, FaultInjector, installFaultsAndCallLog } from '../faults';
import { acceptFormBodies } from '../http';
import { registerKoreAdmin } from './admin';
import { KoreAuth, makeGuarded } from './auth';
import { koreBody, RATE_LIMIT_MSG } from './errors';
import { KoreLimits, type KoreLimitValues } from './limits';
import { registerBotIoRoutes } from './routes/bot-io';
import { registerBotRoutes } from './routes/bots';
import { registerConversationRoutes } from './routes/conversations';
import { registerMessageRoutes } from './routes/messages';
import { registerPublishRoutes } from './routes/publish';
import { registerSessionRoutes } from './routes/sessions';
import { registerSummaryRoutes } from './routes/summary';
import { KoreWorld } from './world';

/**
 * The Kore.ai XO public API on loopback: JWT auth in the `auth` header checked as Kore does
 * (HS256, the app's Client ID as `appId`, its secret as key), Kore's error bodies and statuses
 * (a missing scope is a 401), per-bot rate limits, and an admin API under /__sim/.
 * This file only wires the pieces; each lives in its own file beside it.
 */
export interface KoreSimOptions {
  world?: KoreWorld;
  limits?: KoreLimitValues;
  logger?: boolean;
}

export interface KoreSim {
  app: FastifyInstance;
  /** Every route registered (method and path), as docs/simulators.md must list them. */
  routes: SimRoute[];
  world: KoreWorld;
  faults: FaultInjector;
  calls: CallLog;
}

export function createKoreSim(opts: KoreSimOptions = {}): KoreSim {
  const world = opts.world ?? new KoreWorld();
  const faults = new FaultInjector();
  const calls = new CallLog();
  const limits = new KoreLimits(opts.limits);
  const auth = new KoreAuth(world);
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024 });
  const routes = recordRoutes(app);
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

  const guarded = makeGuarded(world, auth, limits);
  registerSessionRoutes(app, world, guarded);
  registerConversationRoutes(app, world, guarded);
  registerMessageRoutes(app, world, guarded);
  registerSummaryRoutes(app, world, guarded);
  registerPublishRoutes(app, world, guarded);
  registerBotRoutes(app, world, guarded);
  registerBotIoRoutes(app, world, guarded);

  // Kore answers a known path with the wrong verb as 405, anything else as 404.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const known = app.hasRoute({ method: req.method === 'GET' ? 'POST' : 'GET', url: path }) || /^\/api\/(1\.1\/)?public\//.test(path);
    return known ? reply.code(405).send(koreBody('Method Not Allowed', 405)) : reply.code(404).send(koreBody('Not Found', 404));
  });

  registerKoreAdmin(app, world, faults, calls, limits, () => {
    limits.clear();
    auth.clear();
  });
  return { app, routes, world, faults, calls };
}
