import type { FastifyInstance } from 'fastify';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import { requireAdminApp, type Guarded } from '../auth';
import { invalidArgs } from '../errors';
import type { KoreWorld } from '../world';

/**
 * Get Bots (Admin Console apps only): every bot of the account, paged by offset/limit. A `limit`
 * over the documented 50 (kore-api.md 6 [S6]) is refused with Kore's validation 412 (assumed), not capped.
 */
export function registerBotRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  app.get(
    '/api/public/bots',
    guarded(
      KORE_SCOPES.roleManagement,
      (req, _botId, caller) => {
        requireAdminApp(world, caller);
        const q = req.query as { offset?: string; limit?: string };
        const offset = Number(q.offset ?? 0);
        const limit = q.limit === undefined ? 50 : Number(q.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 50 || !Number.isInteger(offset) || offset < 0) throw invalidArgs();
        const bots = [...world.bots.values()];
        return {
          total: bots.length,
          availableMore: offset + limit < bots.length,
          bots: bots.slice(offset, offset + limit).map((b) => ({ _id: b.botId, name: b.name, status: b.published ? 'published' : 'configured' })),
        };
      },
      'admin',
    ),
  );
}
