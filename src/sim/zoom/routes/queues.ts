import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { notFound, thrower } from '../errors';
import { page } from '../paging';

/** ZCC queues: list, get, and a queue's agents (every agent of the account sits in each queue here). */
export function registerQueueRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/contact_center/queues',
    guarded('listQueues', (req, a) => page(req, 'queues', a.queues, 300, 10)),
  );
  app.get(
    '/v2/contact_center/queues/:queueId',
    guarded('getQueue', (req, a) => {
      const { queueId } = req.params as { queueId: string };
      return a.queues.find((q) => q.cc_queue_id === queueId) ?? thrower(notFound(1201, 'Queue', queueId));
    }),
  );
  app.get(
    '/v2/contact_center/queues/:queueId/agents',
    guarded('listQueueAgents', (req, a) => {
      const { queueId } = req.params as { queueId: string };
      if (!a.queues.some((q) => q.cc_queue_id === queueId)) throw notFound(1201, 'Queue', queueId);
      return page(
        req,
        'agents',
        a.users.map((u) => ({ user_id: u.user_id, display_name: u.display_name, user_email: u.user_email })),
        300,
        10,
      );
    }),
  );
}
