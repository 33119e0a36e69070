import Fastify, { type FastifyInstance } from 'fastify';
import { recordRoutes, type SimRoute } from '../routes';
import type { RateLabel } from '../../integrations/zoom/scopes';
import { CallLog, FaultInjector, installFaultsAndCallLog } from '../faults';
import { acceptFormBodies } from '../http';
import { registerZoomAdmin, type OnTestCall } from './admin';
import { clientOf, makeGuarded, registerOAuth } from './auth';
import { PER_SECOND_LIMIT_MSG } from './errors';
import { ZoomLimits } from './limits';
import { registerEngagementRoutes } from './routes/engagements';
import { registerFlowRoutes } from './routes/flows';
import { registerNumberRoutes } from './routes/numbers';
import { registerQueueRoutes } from './routes/queues';
import { registerUserRoutes } from './routes/users';
import { registerSipAdmin, type SipControl } from '../sip/admin';
import { registerWebhookSender } from './webhooks';
import { ZoomWorld } from './world';

export type { TestCallOptions } from './admin';

/**
 * Zoom's S2S OAuth token endpoint and the Contact Center API on loopback: Basic auth on the token
 * endpoint, bearer tokens with expiry and scopes (4711 lists the accepted pair), per-account rate
 * limits by label with Zoom's 429 headers, `next_page_token` paging that expires after 15 min, and
 * an admin API under /__sim/. This file only wires the pieces; each lives in its own file beside it.
 */
export interface ZoomSimOptions {
  world?: ZoomWorld;
  limits?: Partial<Record<RateLabel, number>> & { heavyDaily?: number };
  logger?: boolean;
  /** Called for a simulated test call through a connector: returns the Kore session it created. */
  onTestCall?: OnTestCall;
  /** The connector domains' SBC, once it runs (its certificate is reissued through this simulator's admin API). */
  sip?: () => SipControl | undefined;
}

export interface ZoomSim {
  app: FastifyInstance;
  /** Every route registered (method and path), as docs/simulators.md must list them. */
  routes: SimRoute[];
  world: ZoomWorld;
  faults: FaultInjector;
  calls: CallLog;
}

export function createZoomSim(opts: ZoomSimOptions = {}): ZoomSim {
  const world = opts.world ?? new ZoomWorld();
  const faults = new FaultInjector();
  const calls = new CallLog();
  const limits = new ZoomLimits(opts.limits);
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024 });
  const routes = recordRoutes(app);
  acceptFormBodies(app);
  installFaultsAndCallLog(
    app,
    faults,
    calls,
    (status) => (status === 429 ? { code: 429, message: PER_SECOND_LIMIT_MSG } : { code: status, message: 'Simulated failure' }),
    // A client is an account: Zoom's limits and our retries are per account.
    clientOf(world),
  );

  registerOAuth(app, world);
  const guarded = makeGuarded(world, limits);
  registerUserRoutes(app, guarded);
  registerQueueRoutes(app, guarded);
  registerFlowRoutes(app, guarded);
  registerEngagementRoutes(app, guarded);
  registerNumberRoutes(app, guarded);
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ code: 404, message: 'Not found.' }));

  registerWebhookSender(app);
  registerZoomAdmin(app, world, limits, faults, calls, opts.onTestCall);
  registerSipAdmin(app, opts.sip ?? (() => undefined));
  return { app, routes, world, faults, calls };
}
