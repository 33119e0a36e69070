import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { registerCommonAdmin } from '../admin';
import type { CallLog, FaultInjector } from '../faults';
import { adminBody } from '../http';
import type { ZoomLimits } from './limits';
import type { SimConnector, ZoomWorld } from './world';

/**
 * The Zoom simulator's /__sim/ admin API: what a person does in the Zoom Marketplace and the ZCC
 * admin portal (S2S app scopes, the Kore.ai connector, flows, a test call) and what a test sets up
 * (token expiry, limits, ZCC's odd 401). Bodies are zod-checked; a bad one is a 400 naming the field.
 */
export interface TestCallOptions {
  callerNumber?: string;
  summaryDelayMs?: number;
  transfer?: boolean;
}

/** Links a test call to the Kore.ai side: returns the Kore session it created, if the bot exists. */
export type OnTestCall = (connector: SimConnector, opts: TestCallOptions) => { sessionId: string } | undefined;

export const AccountBody = z.object({
  accountId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scopes: z.array(z.string()).optional(),
  tokenTtlSeconds: z.number().int().min(1).optional(),
});
export const ConnectorBody = z.object({
  accountId: z.string().min(1),
  name: z.string().min(1),
  botId: z.string().min(1),
  koreClientId: z.string().min(1),
  baseUrl: z.string().min(1),
});
export const FlowBody = z.object({
  accountId: z.string().min(1),
  flowName: z.string().min(1),
  status: z.enum(['draft', 'published', 'archived']).optional(),
  entryNumber: z.string().optional(),
  connectorId: z.string().optional(),
});
export const TestCallBody = z.object({
  accountId: z.string().min(1),
  did: z.string().optional(),
  connectorId: z.string().optional(),
  callerNumber: z.string().optional(),
  summaryDelayMs: z.number().int().min(0).optional(),
  transfer: z.boolean().optional(),
});
export const LimitsBody = z.object({
  LIGHT: z.number().int().min(1).optional(),
  MEDIUM: z.number().int().min(1).optional(),
  HEAVY: z.number().int().min(1).optional(),
  heavyDaily: z.number().int().min(1).optional(),
});

export function registerZoomAdmin(
  app: FastifyInstance,
  world: ZoomWorld,
  limits: ZoomLimits,
  faults: FaultInjector,
  calls: CallLog,
  onTestCall: OnTestCall | undefined,
): void {
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
    const kore = onTestCall?.(connector, b);
    const flow = a.flows.find((f) => f.connectorId === connector.connectorId);
    const e = world.addEngagement(a.accountId, { flowId: flow?.flow_id, callerNumber: b.callerNumber, transfer: b.transfer });
    return reply.code(201).send({ engagementId: e.engagement_id, koreSessionId: kore?.sessionId, did: connector.did });
  });
  app.put('/__sim/limits', async (req, reply) => {
    const b = adminBody(LimitsBody, req.body, reply);
    if (!b) return;
    return limits.set(b);
  });
  app.put('/__sim/zcc-401-variant/:on', async (req) => {
    world.zccUsers401Variant = (req.params as { on: string }).on === 'on';
    return { zccUsers401Variant: world.zccUsers401Variant };
  });
  registerCommonAdmin(app, faults, calls, () => {
    world.reset();
    limits.clear();
  });
}
