import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { notFound, thrower, ZoomFailure } from '../errors';
import { page } from '../paging';
import type { SimZoomAccount } from '../world';

const flowOf = (a: SimZoomAccount, flowId: string) => a.flows.find((f) => f.flow_id === flowId) ?? thrower(notFound(3201, 'Flow', flowId));
/** The connector a flow routes to is simulator state (the flow editor's widget), not part of Zoom's flow object. */
const publicFlow = ({ connectorId: _c, ...f }: SimZoomAccount['flows'][number]) => f;

/** ZCC flows: list (by status/channel), get, entry points (per flow and account-wide), publish. */
export function registerFlowRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/contact_center/flows',
    guarded('listFlows', (req, a) => {
      const q = req.query as { status?: string; channel?: string };
      const flows = a.flows.filter((f) => (!q.status || f.status === q.status) && (!q.channel || f.channel === q.channel));
      return page(req, 'flows', flows.map(publicFlow), 300, 10);
    }),
  );
  app.get(
    '/v2/contact_center/flows/:flowId',
    guarded('getFlow', (req, a) => publicFlow(flowOf(a, (req.params as { flowId: string }).flowId))),
  );
  app.get(
    '/v2/contact_center/flows/:flowId/entry_points',
    guarded('listFlowEntryPoints', (req, a) => page(req, 'entry_points', flowOf(a, (req.params as { flowId: string }).flowId).entry_points, 300, 30)),
  );
  app.get(
    '/v2/contact_center/flows_entry_points',
    guarded('listAccountEntryPoints', (req, a) => {
      const q = req.query as { channel?: string };
      if (!q.channel) throw new ZoomFailure(400, { code: 3210, message: 'Invalid channel.' });
      return page(
        req,
        'entry_points',
        a.flows.filter((f) => f.channel === q.channel).flatMap((f) => f.entry_points),
        300,
        30,
      );
    }),
  );
  app.put(
    '/v2/contact_center/flows/:flowId/publish',
    guarded('publishFlow', (req, a) => {
      const flow = flowOf(a, (req.params as { flowId: string }).flowId);
      flow.status = 'published';
      for (const v of flow.flow_versions) v.flow_version_status = 'published';
      return undefined;
    }),
  );
}
