import type { FastifyInstance } from 'fastify';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import type { Guarded } from '../auth';
import { bodyOf, invalidArgs } from '../errors';
import type { KoreWorld } from '../world';

/**
 * Chat history, v1 (`getMessages`, pages of at most 100) and V2 (`getMessagesV2`, 10,000), by GET
 * query or POST body (kore-api.md 4 [S4]). A window of 7 days or more, and a `limit` over the
 * version's documented maximum, are refused with Kore's validation 412 (how Kore refuses them is
 * not documented: assumed), never silently capped, so a client asking for too much is caught.
 */
export function registerMessageRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  for (const [path, cap] of [
    ['getMessages', 100],
    ['getMessagesV2', 10_000],
  ] as const) {
    const handler = guarded(KORE_SCOPES.chatHistory, (req, botId) => {
      const raw = req.method === 'GET' ? (req.query as Record<string, string>) : bodyOf(req);
      const sessionIds = Array.isArray(raw.sessionId) ? raw.sessionId.map(String) : raw.sessionId ? [String(raw.sessionId)] : [];
      const userId = raw.userId ? String(raw.userId) : undefined;
      if (req.method === 'GET' && !userId) throw invalidArgs();
      const to = raw.dateTo ? Date.parse(String(raw.dateTo)) : Date.now();
      const from = raw.dateFrom ? Date.parse(String(raw.dateFrom)) : to - 7 * 86_400_000 + 1;
      if (Number.isNaN(from) || Number.isNaN(to) || to - from >= 7 * 86_400_000) throw invalidArgs();
      const skip = Math.max(0, Number(raw.skip ?? 0) || 0);
      const limit = raw.limit === undefined ? cap : Number(raw.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > cap) throw invalidArgs();
      const messages = world.bots
        .get(botId)!
        .sessions.filter((s) => (sessionIds.length ? sessionIds.includes(s.sessionId) : true) && (!userId || s.userId === userId))
        .flatMap((s) => s.messages.map((m) => ({ m, s })))
        .filter(({ m }) => {
          const t = Date.parse(m.createdOn);
          return t >= from && t <= to;
        });
      return {
        total: messages.length,
        moreAvailable: skip + limit < messages.length,
        messages: messages.slice(skip, skip + limit).map(({ m, s }) => ({
          _id: m._id,
          botId,
          type: m.type,
          status: 'received',
          createdOn: m.createdOn,
          timestampValue: Date.parse(m.createdOn),
          sessionId: s.sessionId,
          chnl: 'korevg',
          components: [{ cT: 'text', data: { text: m.text } }],
          channels: [{ type: 'korevg' }],
        })),
      };
    });
    app.get(`/api/public/bot/:botId/${path}`, handler);
    app.post(`/api/public/bot/:botId/${path}`, handler);
  }
}
