import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import type { Guarded } from '../auth';
import { bodyOf, invalidArgs } from '../errors';
import type { KoreWorld, SimKoreSession } from '../world';

/** Get Sessions: a bot's sessions of the last 7 days (or by id), newest first, paged with skip/limit. */
const GetSessionsBody = z.object({
  skip: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(10_000).default(100),
  dateFrom: z.string().optional(),
  dateTo: z.string().optional(),
  userId: z.string().optional(),
  sessionId: z.array(z.string()).max(50).optional(),
});

export function registerSessionRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  app.post(
    '/api/public/bot/:botId/getSessions',
    guarded(KORE_SCOPES.botSessions, (req, botId) => {
      const b = GetSessionsBody.safeParse(bodyOf(req));
      if (!b.success) throw invalidArgs();
      const { skip, limit, dateFrom, dateTo, userId, sessionId } = b.data;
      const to = dateTo ? Date.parse(dateTo) : Date.now();
      const from = dateFrom ? Date.parse(dateFrom) : to - 7 * 86_400_000;
      if (Number.isNaN(from) || Number.isNaN(to)) throw invalidArgs();
      let sessions = world.bots.get(botId)!.sessions;
      if (sessionId?.length) sessions = sessions.filter((s) => sessionId.includes(s.sessionId));
      else {
        sessions = sessions.filter((s) => {
          const t = Date.parse(s.startTime);
          return t >= from && t <= to && (!userId || s.userId === userId);
        });
      }
      return {
        total: sessions.length,
        moreAvailable: skip + limit < sessions.length,
        sessions: sessions.slice(skip, skip + limit).map(sessionView),
      };
    }),
  );
}

function sessionView(s: SimKoreSession) {
  return {
    sessionId: s.sessionId,
    botId: s.botId,
    channel: s.channel,
    userId: s.userId,
    start_time: s.startTime,
    end_time: s.endTime,
    sessionStatus: 'closed',
    containmentType: s.containmentType,
    noOfMessagesExchanged: s.messages.length,
    tags: { sessionTags: s.callId ? [{ name: 'callId', value: s.callId }] : [] },
  };
}
