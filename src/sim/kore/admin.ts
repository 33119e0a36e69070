import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { registerCommonAdmin } from '../admin';
import type { CallLog, FaultInjector } from '../faults';
import { adminBody } from '../http';
import type { KoreLimits } from './limits';
import type { KoreWorld } from './world';

/**
 * The Kore.ai simulator's /__sim/ admin API: what a person does in the XO Platform and Admin
 * Console (apps, scopes, the summary feature, publishing) and what a test sets up (sessions,
 * limits, the scope-error status). Bodies are zod-checked; a bad one is a 400 naming the field.
 */
export const TenantBody = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  botId: z.string().min(1),
  botName: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});
export const AppBody = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  botIds: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  admin: z.boolean().optional(),
});
export const BotPatch = z.object({ name: z.string().optional(), summaryEnabled: z.boolean().optional(), published: z.boolean().optional() });
export const PublishBody = z.object({ comment: z.string().default(''), failOn: z.string().min(1).optional() });
/** How the account treats the bot's publishes through the API: held for approval, or failing on a resource (null clears). */
export const PublishRulesBody = z.object({ needsApproval: z.boolean().optional(), failsOn: z.string().min(1).nullable().optional() }).strict();
export const SessionBody = z.object({
  callId: z.string().optional(),
  userId: z.string().optional(),
  summary: z.string().optional(),
  summaryDelayMs: z.number().int().min(0).optional(),
  containmentType: z.enum(['selfService', 'agent', 'dropOff']).optional(),
  transcript: z.array(z.object({ type: z.enum(['incoming', 'outgoing']), text: z.string() })).optional(),
});
export const SipTrunkBody = z.object({
  fqdn: z.string().min(1),
  did: z.string().min(1),
  dnsResolve: z.enum(['srv', 'a']),
  transport: z.enum(['tls', 'tcp', 'udp']),
  padCrypto: z.boolean(),
  inbound: z.boolean(),
  outbound: z.boolean(),
});
export const AttachFlowBody = z.object({ flowName: z.string().min(1).nullable() });
export const ExperienceFlowBody = z.object({ name: z.string().min(1), automationBotId: z.string().min(1).optional() });
export const AgentTransferBody = z.object({
  via: z.enum(['agent-transfer-node', 'dialog-task']),
  method: z.enum(['sip-bye', 'sip-refer', 'none']),
  headers: z.record(z.string(), z.string()).default({}),
});
export const LimitsBody = z.object({ perMinute: z.number().int().min(1).optional(), perHour: z.number().int().min(1).optional() });

/** `resetCounters` clears the rate-limit windows and the JWT replay memory. */
export function registerKoreAdmin(
  app: FastifyInstance,
  world: KoreWorld,
  faults: FaultInjector,
  calls: CallLog,
  limits: KoreLimits,
  resetCounters: () => void,
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
  // JWT App Details as the console shows them to a person who copies them into the connector.
  app.get('/__sim/apps/:clientId', async (req, reply) => {
    const { clientId } = req.params as { clientId: string };
    const a = world.apps.get(clientId);
    if (!a) return reply.code(404).send({ error: `unknown app ${clientId}` });
    return { clientId, clientSecret: a.clientSecret, botIds: [...a.botIds] };
  });
  // Map (PUT) or unmap (DELETE) one API scope of an app. A mapping takes effect at the next
  // publish of one of the app's bots, as Kore.ai documents; `?now=true` applies it at once (test setup).
  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/__sim/apps/:clientId/scopes/:scope',
      handler: async (req, reply) => {
        const { clientId, scope } = req.params as { clientId: string; scope: string };
        const a = world.apps.get(clientId);
        if (!a) return reply.code(404).send({ error: `unknown app ${clientId}` });
        world.settle();
        world.mapScope(a, scope, method === 'PUT', (req.query as { now?: string }).now === 'true');
        return { clientId, scopes: [...a.scopes], pendingScopes: [...a.pendingScopes] };
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
  // A person pressing Publish in the XO Platform: starts the same job the vendor publish API starts.
  app.post('/__sim/bots/:botId/publish', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const b = adminBody(PublishBody, req.body, reply);
    if (!b) return;
    if (!world.bots.has(botId)) return reply.code(404).send({ error: `unknown bot ${botId}` });
    world.publish(botId, b.comment, b.failOn);
    return reply.code(202).send({ botId, comment: b.comment, status: 'inprogress' });
  });
  app.put('/__sim/bots/:botId/publish-rules', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const b = adminBody(PublishRulesBody, req.body, reply);
    if (!b) return;
    const bot = world.bots.get(botId);
    if (!bot) return reply.code(404).send({ error: `unknown bot ${botId}` });
    const rules = { ...bot.publishRules, ...b, failsOn: b.failsOn === null ? undefined : (b.failsOn ?? bot.publishRules?.failsOn) };
    bot.publishRules = rules;
    return { botId, ...rules };
  });
  // An administrator approves the held publish in the Admin Console: its job starts now.
  app.post('/__sim/bots/:botId/approve-publish', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const bot = world.bots.get(botId);
    if (!bot) return reply.code(404).send({ error: `unknown bot ${botId}` });
    if (!bot.heldPublish) return reply.code(409).send({ error: `bot ${botId} has no publish awaiting approval` });
    world.publish(botId, bot.heldPublish.comment, bot.publishRules?.failsOn);
    bot.heldPublish = undefined;
    return reply.code(202).send({ botId, status: 'inprogress' });
  });
  // Flows & Channels > Voice Gateway > SIP Numbers > Configure SIP Trunk, Save.
  app.post('/__sim/bots/:botId/sip-trunks', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const b = adminBody(SipTrunkBody, req.body, reply);
    if (!b) return;
    if (!world.bots.has(botId)) return reply.code(404).send({ error: `unknown bot ${botId}` });
    return reply.code(201).send(world.saveSipTrunk(botId, b));
  });
  // Attach Flow on a saved trunk (null detaches).
  app.put('/__sim/bots/:botId/sip-trunks/:trunkId/flow', async (req, reply) => {
    const { botId, trunkId } = req.params as { botId: string; trunkId: string };
    const b = adminBody(AttachFlowBody, req.body, reply);
    if (!b) return;
    const bot = world.bots.get(botId);
    if (!bot?.draft.sipTrunks.some((t) => t.trunkId === trunkId)) return reply.code(404).send({ error: `unknown SIP trunk ${trunkId} of bot ${botId}` });
    return world.attachFlow(botId, trunkId, b.flowName ?? undefined);
  });
  // An experience flow with its Automation node (the app it runs).
  app.put('/__sim/bots/:botId/experience-flows', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const b = adminBody(ExperienceFlowBody, req.body, reply);
    if (!b) return;
    if (!world.bots.has(botId)) return reply.code(404).send({ error: `unknown bot ${botId}` });
    return world.saveExperienceFlow(botId, b);
  });
  // App Settings > Integration > Agent Transfer > Voice (or the dialog task's code).
  app.put('/__sim/bots/:botId/agent-transfer', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    const b = adminBody(AgentTransferBody, req.body, reply);
    if (!b) return;
    if (!world.bots.has(botId)) return reply.code(404).send({ error: `unknown bot ${botId}` });
    world.setAgentTransfer(botId, b);
    return b;
  });
  // What the bot's setup is now and what the last publish put live (for tests and the rehearsal's report).
  app.get('/__sim/bots/:botId/setup', async (req, reply) => {
    const { botId } = req.params as { botId: string };
    world.settle();
    const bot = world.bots.get(botId);
    if (!bot) return reply.code(404).send({ error: `unknown bot ${botId}` });
    return { botId, published: bot.published, publishedAt: bot.publishedAt, draft: bot.draft, live: bot.live ?? null, summaryEnabled: bot.summaryEnabled };
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
    limits.set(b);
    resetCounters();
    return limits.values;
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
