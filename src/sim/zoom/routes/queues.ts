import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { notFound, thrower } from '../errors';
import { page } from '../paging';
import { CHANNELS, checkQuery } from '../query';
import { pageSizeMax } from '../../../integrations/zoom/scopes';

/** ZCC queues: list, get, and a queue's agents (every agent of the account sits in each queue here). */
export function registerQueueRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/contact_center/queues',
    guarded('listQueues', (req, a) => {
      checkQuery(req, { channel: { oneOf: CHANNELS } });
      const q = req.query as { channel?: string };
      return page(
        req,
        'queues',
        a.queues.filter((x) => !q.channel || x.channel === q.channel),
        pageSizeMax('listQueues')!,
        30,
      );
    }),
  );
  app.get(
    '/v2/contact_center/queues/:queueId',
    guarded('getQueue', (req, a) => {
      const { queueId } = req.params as { queueId: string };
      // One queue's answer documents no agents_count (the list's does).
      const { agents_count: _n, ...queue } = a.queues.find((q) => q.cc_queue_id === queueId) ?? thrower(notFound(1201, 'Queue', queueId));
      return queue;
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
        pageSizeMax('listQueueAgents')!,
        30,
      );
    }),
  );
}
