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
export const PublishBody = z.object({ comment: z.string().default('') });
export const SessionBody = z.object({
  callId: z.string().optional(),
  userId: z.string().optional(),
  summary: z.string().optional(),
  summaryDelayMs: z.number().int().min(0).optional(),
  containmentType: z.enum(['selfService', 'agent', 'dropOff']).optional(),
  transcript: z.array(z.object({ type: z.enum(['incoming', 'outgoing']), text: z.string() })).optional(),
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
  // Grant (PUT) or revoke (DELETE) one API scope of an app.
  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/__sim/apps/:clientId/scopes/:scope',
      handler: async (req, reply) => {
        const { clientId, scope } = req.params as { clientId: string; scope: string };
        const a = world.apps.get(clientId);
        if (!a) return reply.code(404).send({ error: `unknown app ${clientId}` });
        if (method === 'PUT') a.scopes.add(scope);
        else a.scopes.delete(scope);
        return { clientId, scopes: [...a.scopes] };
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
    world.publish(botId, b.comment);
    return reply.code(202).send({ botId, comment: b.comment, status: 'inprogress' });
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
