import type { FastifyInstance } from 'fastify';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import type { Guarded } from '../auth';
import { bodyOf, fail, invalidArgs } from '../errors';
import type { KoreWorld } from '../world';

/**
 * Conversation Details: one session's info, flow and transcript, and the XO GPT summary only when
 * asked for, the bot's summary feature is on and the session's summary delay has passed.
 */
export function registerConversationRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  app.post(
    '/api/public/bot/:botId/conversationDetails',
    guarded(KORE_SCOPES.chatHistory, (req, botId) => {
      const b = bodyOf(req);
      const sessionId = typeof b.sessionId === 'string' ? b.sessionId : undefined;
      const callId = typeof b.callId === 'string' ? b.callId : undefined;
      if (!sessionId && !callId && typeof b.conversationId !== 'string') throw invalidArgs();
      const session = world.findSession(botId, { sessionId, callId });
      if (!session) throw fail(404, 'Session not found', 404);
      const bot = world.bots.get(botId)!;
      const withSummary = b.isSummaryRequired === true && bot.summaryEnabled && Date.now() >= session.summaryReadyAt;
      return {
        conversationInfo: {
          sessionId: session.sessionId,
          callId: session.callId,
          userId: session.userId,
          sessionStartTime: session.startTime,
          ...(session.containmentType === 'agent' ? { agentHandOffTime: session.endTime } : {}),
        },
        conversationFlow: [{ status: 'completedTask', taskName: session.containmentType === 'agent' ? 'ConnectToAgent' : 'SelfService' }],
        conversationHistory: session.messages.map((m) => ({
          type: m.type,
          createdOn: m.createdOn,
          components: [{ cT: 'text', data: { text: m.text } }],
          channels: [{ type: 'korevg' }],
          lang: 'en',
        })),
        ...(withSummary ? { summary: { ConversationSummary: session.summary, time: new Date(session.summaryReadyAt).toISOString() } } : {}),
      };
    }),
  );
}
