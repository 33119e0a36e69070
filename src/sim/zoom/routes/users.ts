import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { notFound, thrower } from '../errors';
import { page } from '../paging';
import { checkQuery } from '../query';
import { pageSizeMax } from '../../../integrations/zoom/scopes';

/** ZCC users (the account's agents): list (pages of up to 300) and get by id. */
const USER_ACCESS = ['active', 'inactive'] as const;

export function registerUserRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/contact_center/users',
    guarded('listUsers', (req, a) => {
      checkQuery(req, { user_access: { oneOf: USER_ACCESS } });
      const q = req.query as { user_access?: string };
      return page(
        req,
        'users',
        a.users.filter((u) => !q.user_access || u.user_access === q.user_access),
        pageSizeMax('listUsers')!,
        30,
      );
    }),
  );
  app.get(
    '/v2/contact_center/users/:userId',
    guarded('getUser', (req, a) => {
      const { userId } = req.params as { userId: string };
      return a.users.find((u) => u.user_id === userId) ?? thrower(notFound(1001, 'User', userId));
    }),
  );
}
