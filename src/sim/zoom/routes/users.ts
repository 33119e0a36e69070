import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { notFound, thrower } from '../errors';
import { page } from '../paging';

/** ZCC users (the account's agents): list (pages of up to 300) and get by id. */
export function registerUserRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/contact_center/users',
    guarded('listUsers', (req, a) => page(req, 'users', a.users, 300, 30)),
  );
  app.get(
    '/v2/contact_center/users/:userId',
    guarded('getUser', (req, a) => {
      const { userId } = req.params as { userId: string };
      return a.users.find((u) => u.user_id === userId) ?? thrower(notFound(1001, 'User', userId));
    }),
  );
}
