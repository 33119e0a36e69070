import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { page } from '../paging';
import { pageSizeMax } from '../../../integrations/zoom/scopes';

/** Number management: the account's numbers are its flows' entry numbers and its connectors' DIDs. */
export function registerNumberRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/number_management/numbers',
    guarded('listNumbers', (req, a) => {
      const numbers = [...a.flows.flatMap((f) => f.entry_points.map((e) => e.entry_number)), ...a.connectors.map((c) => c.did)];
      return page(
        req,
        'numbers',
        numbers.map((n, i) => ({ id: `n${i}`, number: n, status: 'normal', assigned_list: [] })),
        pageSizeMax('listNumbers')!,
        30,
      );
    }),
  );
}
