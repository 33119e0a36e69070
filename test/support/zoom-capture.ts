import type { AddressInfo } from 'node:net';
import { ZoomClient } from '../../src/integrations/zoom/client';
import { createZoomSim, type ZoomSim } from '../../src/sim/zoom/server';
import { CLIENT_OPERATIONS, type ClientOperation } from './zoom-contract';

/** One Contact Center call as the simulator saw it: the client's real query and the simulator's real answer. */
export interface CapturedCall {
  operation: ClientOperation | undefined;
  method: string;
  query: Record<string, string | string[]>;
  status: number;
  body: unknown;
}

const ROUTE_TO_OPERATION = new Map(
  Object.entries(CLIENT_OPERATIONS).map(([op, o]) => [`${o.method.toUpperCase()} /v2${o.path.replace(/\{(\w+)\}/g, ':$1')}`, op as ClientOperation]),
);

export const ACCOUNT = { accountId: 'acc-conformance', clientId: 'conformance-client', clientSecret: 'conformance-secret-0123456789' };

/** A Zoom simulator of our own (so a hook can see every call before it listens), an account on it and a client for it. */
export async function startCapturedZoom(
  /** Change the simulator before it listens (the mutation test makes one that strays). */
  tamper?: (sim: ZoomSim) => void,
): Promise<{ sim: ZoomSim; apiUrl: string; client: ZoomClient; calls: CapturedCall[]; stop: () => Promise<void> }> {
  // Limits high enough that the probes' burst never meets a 429 (the limits have their own tests).
  const sim = createZoomSim({ limits: { LIGHT: 10_000, MEDIUM: 10_000, HEAVY: 10_000 } });
  const calls: CapturedCall[] = [];
  sim.app.addHook('onSend', async (req, reply, payload) => {
    const route = `${req.method} ${req.routeOptions.url ?? ''}`;
    let body: unknown = payload;
    if (typeof payload === 'string') {
      try {
        body = JSON.parse(payload);
      } catch {
        /* not JSON */
      }
    }
    calls.push({
      operation: ROUTE_TO_OPERATION.get(route),
      method: req.method,
      query: { ...(req.query as Record<string, string>) },
      status: reply.statusCode,
      body,
    });
    return payload;
  });
  tamper?.(sim);
  await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(sim.app.server.address() as AddressInfo).port}`;
  sim.world.addAccount(ACCOUNT);
  const client = new ZoomClient({ apiUrl: `${url}/v2`, oauthUrl: `${url}/oauth/token`, credentials: ACCOUNT });
  return { sim, apiUrl: `${url}/v2`, client, calls, stop: () => sim.app.close() };
}
