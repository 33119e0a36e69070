import type { FastifyInstance } from 'fastify';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import { requireAdminApp, type Guarded } from '../auth';
import { bodyOf, fail } from '../errors';
import type { KoreWorld } from '../world';

/**
 * Publish a bot and poll the publish job (Admin Console apps only). The job stays "inprogress" for
 * the world's publishDurationMs; the first status read after that marks the bot published.
 */
export function registerPublishRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  app.post(
    '/api/public/bot/:botId/publish',
    guarded(KORE_SCOPES.botPublish, (req, botId, caller) => {
      requireAdminApp(world, caller);
      const b = bodyOf(req);
      const comment = typeof b.versionComment === 'string' ? b.versionComment : '';
      const bot = world.bots.get(botId);
      // Held for approval (kore-api-more.md 8: a dialog's state may be awaitingApproval). Assumed:
      // no job runs until an administrator approves, and asking again while held holds the same request.
      if (bot?.publishRules?.needsApproval) {
        bot.heldPublish ??= { comment, askedAt: Date.now() };
        return [{ resourceType: 'dialog', status: 'SUCCESS', result: { state: 'awaitingApproval' } }];
      }
      world.publish(botId, comment, bot?.publishRules?.failsOn);
      // Kore answers one entry per resource, each `result` an object (kore-api-more.md 8 [S6]).
      return [
        { resourceType: 'dialog', status: 'SUCCESS', result: { state: 'published' } },
        { resourceType: 'SETTINGS', status: 'SUCCESS', result: { modules: ['ivr', 'bot_variables'] } },
      ];
    }),
  );

  // A status API: its own 60/min window (kore-api.md 8), not the bot's analytics one.
  const publishStatus = guarded(
    KORE_SCOPES.botPublish,
    (_req, botId, caller) => {
      requireAdminApp(world, caller);
      const s = world.publishStatus(botId);
      if (!s) throw fail(404, 'No publish job found', 404);
      return { jobType: 'PUBLISH_BOT', ...s };
    },
    'status',
  );
  app.get('/api/public/bot/:botId/publish/status', publishStatus);
  app.get('/api/1.1/public/bot/:botId/publish/status', publishStatus);
}
