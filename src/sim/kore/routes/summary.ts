import type { FastifyInstance } from 'fastify';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import type { Guarded } from '../auth';
import { bodyOf, fail, invalidArgs } from '../errors';
import type { KoreWorld } from '../world';

/**
 * Conversation Summary (XO GPT) for a session or a given transcript; refused while the bot's feature
 * is off. Kore documents it as English only (kore-api.md 3 [S3]): another `lang` is refused with
 * Kore's validation 412 (how Kore refuses it is assumed).
 */
export function registerSummaryRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  app.post(
    '/api/public/streams/:streamId/conversationSummary',
    guarded(KORE_SCOPES.conversationSummary, (req, botId) => {
      const b = bodyOf(req) as { lang?: unknown; inputMode?: { conversationId?: unknown; transcript?: unknown } };
      if (b.lang !== undefined && b.lang !== 'en') throw invalidArgs();
      const conversationId = b.inputMode?.conversationId;
      if (typeof conversationId !== 'string' && typeof b.inputMode?.transcript !== 'string') throw invalidArgs();
      const bot = world.bots.get(botId)!;
      if (!bot.summaryEnabled) throw fail(400, 'Conversation summary is not enabled for this bot', 400);
      const session = typeof conversationId === 'string' ? world.findSession(botId, { sessionId: conversationId }) : undefined;
      if (typeof conversationId === 'string' && !session) throw fail(404, 'Session not found', 404);
      return { ConversationSummary: session?.summary ?? 'Summary of the given transcript.', time: new Date().toISOString() };
    }),
  );
}
