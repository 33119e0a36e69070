import type { FastifyInstance } from 'fastify';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import { requireAdminApp, type Guarded } from '../auth';
import type { KoreWorld } from '../world';

/** Get Bots (Admin Console apps only): every bot of the account, paged by offset/limit (at most 50). */
export function registerBotRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  app.get(
    '/api/public/bots',
    guarded(KORE_SCOPES.roleManagement, (req, _botId, caller) => {
      requireAdminApp(world, caller);
      const q = req.query as { offset?: string; limit?: string };
      const offset = Math.max(0, Number(q.offset ?? 0) || 0);
      const limit = Math.min(50, Math.max(1, Number(q.limit ?? 50) || 50));
      const bots = [...world.bots.values()];
      return {
        total: bots.length,
        availableMore: offset + limit < bots.length,
        bots: bots.slice(offset, offset + limit).map((b) => ({ _id: b.botId, name: b.name, status: b.published ? 'published' : 'configured' })),
      };
    }),
  );
}
