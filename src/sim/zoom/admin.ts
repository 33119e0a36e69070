import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { registerCommonAdmin } from '../admin';
import type { CallLog, FaultInjector } from '../faults';
import { adminBody } from '../http';
import type { ZoomLimits } from './limits';
import type { ConnectorLegLog, SimConnector, ZoomWorld } from './world';

/**
 * The Zoom simulator's /__sim/ admin API: what a person does in the Zoom Marketplace and the ZCC
 * admin portal (S2S app scopes, the Kore.ai connector, flows, a test call) and what a test sets up
 * (token expiry, limits, ZCC's odd 401). Bodies are zod-checked; a bad one is a 400 naming the field.
 */
export interface TestCallOptions {
  callerNumber?: string;
  summaryDelayMs?: number;
  /** The caller asks the bot for an agent (default true, as the test-call instructions ask). */
  askForAgent?: boolean;
}

/**
 * The connector's leg to Kore.ai, answered by the Kore.ai simulator (src/sim/index.ts links the
 * two): why it failed, or the session it left. Without a link every leg fails as unreachable.
 */
export type OnTestCall = (connector: SimConnector, opts: TestCallOptions) => ConnectorLegLog;

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
  /** The Client Secret the person pasted; the connector authenticates to Kore.ai with it. */
  koreClientSecret: z.string().min(1).optional(),
  baseUrl: z.string().min(1),
});
export const ConnectorPatch = z.object({
  botId: z.string().min(1).optional(),
  koreClientId: z.string().min(1).optional(),
  koreClientSecret: z.string().min(1).optional(),
  baseUrl: z.string().min(1).optional(),
});
export const FlowPatch = z.object({
  status: z.enum(['draft', 'published', 'archived']).optional(),
  /** The flow editor's route to a connector; null removes it. */
  connectorId: z.string().min(1).nullable().optional(),
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
  /** The number the caller dials: a published flow's entry number. */
  number: z.string().min(1),
  callerNumber: z.string().optional(),
  summaryDelayMs: z.number().int().min(0).optional(),
  askForAgent: z.boolean().optional(),
});
export const LimitsBody = z.object({
  LIGHT: z.number().int().min(1).optional(),
  MEDIUM: z.number().int().min(1).optional(),
  HEAVY: z.number().int().min(1).optional(),
  heavyDaily: z.number().int().min(1).optional(),
});

/** A connector as the admin API shows it: the pasted secret never comes back. */
const shown = ({ koreClientSecret: _secret, ...c }: SimConnector) => c;

function describeLeg(leg: Extract<ConnectorLegLog, { result: 'failed' }>): string {
  return leg.sip_status ? `${leg.reason} (SIP ${leg.sip_status} ${leg.sip_reason ?? ''})`.trim() : leg.reason;
}

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
    return reply.code(201).send(shown(c));
  });
  app.post('/__sim/connectors/:connectorId/authorize', async (req, reply) => {
    const { connectorId } = req.params as { connectorId: string };
    for (const a of world.accounts.values()) {
      const c = a.connectors.find((x) => x.connectorId === connectorId);
      if (c) {
        c.authorized = true;
        return shown(c);
      }
    }
    return reply.code(404).send({ error: `unknown connector ${connectorId}` });
  });
  // Editing the connector's Authorization Parameters in the Marketplace.
  app.patch('/__sim/connectors/:connectorId', async (req, reply) => {
    const { connectorId } = req.params as { connectorId: string };
    const b = adminBody(ConnectorPatch, req.body, reply);
    if (!b) return;
    for (const a of world.accounts.values()) {
      const c = a.connectors.find((x) => x.connectorId === connectorId);
      if (c) return shown(Object.assign(c, b));
    }
    return reply.code(404).send({ error: `unknown connector ${connectorId}` });
  });
  app.post('/__sim/flows', async (req, reply) => {
    const b = adminBody(FlowBody, req.body, reply);
    if (!b || !account(b.accountId, reply)) return;
    const f = world.addFlow(b.accountId, b);
    return reply.code(201).send(f);
  });
  app.patch('/__sim/accounts/:accountId/flows/:flowId', async (req, reply) => {
    const p = req.params as { accountId: string; flowId: string };
    const b = adminBody(FlowPatch, req.body, reply);
    if (!b) return;
    const a = account(p.accountId, reply);
    if (!a) return;
    if (!a.flows.some((f) => f.flow_id === p.flowId)) return reply.code(404).send({ error: `unknown flow ${p.flowId}` });
    if (b.connectorId && !a.connectors.some((c) => c.connectorId === b.connectorId))
      return reply.code(404).send({ error: `unknown connector ${b.connectorId}` });
    return world.updateFlow(a.accountId, p.flowId, b);
  });
  /**
   * A caller dials a number. Only a published flow answers it (else no engagement, as a number in
   * no live flow rings nowhere); the flow hands the call to its connector, whose leg to Kore.ai
   * works only if every link the person set up holds. The answer says what happened, for tests;
   * our verifiers see only what the vendor APIs show.
   */
  app.post('/__sim/test-calls', async (req, reply) => {
    const b = adminBody(TestCallBody, req.body, reply);
    if (!b) return;
    const a = account(b.accountId, reply);
    if (!a) return;
    const flow = a.flows.find((f) => f.status === 'published' && f.entry_points.some((e) => e.entry_number === b.number));
    if (!flow) return reply.code(201).send({ reached: 'nowhere', failure: `no published flow answers ${b.number}` });
    const connector = a.connectors.find((c) => c.connectorId === flow.connectorId);
    let leg: ConnectorLegLog | undefined;
    if (connector) {
      if (!connector.authorized) leg = { result: 'failed', connector_id: connector.connectorId, reason: 'not_authorized' };
      else leg = onTestCall ? onTestCall(connector, b) : { result: 'failed', connector_id: connector.connectorId, reason: 'unreachable' };
    }
    const toAgent = leg?.result === 'connected' ? leg.kore_reason === 'TransferToAgent' : undefined;
    const e = world.addEngagement(a.accountId, { flow, callerNumber: b.callerNumber, leg, toAgent });
    return reply.code(201).send({
      reached: leg?.result === 'connected' ? 'bot' : 'fallback',
      engagementId: e.engagement_id,
      flowId: flow.flow_id,
      koreSessionId: leg?.result === 'connected' ? leg.kore_session_id : undefined,
      transferredToAgent: toAgent ?? false,
      failure: !connector ? `flow "${flow.flow_name}" is not routed to a connector` : leg?.result === 'failed' ? describeLeg(leg) : undefined,
    });
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
