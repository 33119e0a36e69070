import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { notFound, thrower } from '../errors';
import { page } from '../paging';
import { CHANNELS, checkQuery } from '../query';
import { pageSizeMax } from '../../../integrations/zoom/scopes';
import type { SimZoomAccount } from '../world';

const flowOf = (a: SimZoomAccount, flowId: string) => a.flows.find((f) => f.flow_id === flowId) ?? thrower(notFound(3201, 'Flow', flowId));
/** The connector a flow routes to is simulator state (the flow editor's widget), not part of Zoom's flow object. */
const publicFlow = ({ connectorId: _c, ...f }: SimZoomAccount['flows'][number]) => f;
const FLOW_STATUSES = ['draft', 'published', 'archived'] as const;
const FLOW_CHANNEL_SOURCES = ['web_chat', 'in_app_chat', 'sms', 'facebook_messenger', 'whatsapp', 'email_address'] as const;
const ENTRY_CHANNEL_SOURCES = ['sms', 'web_chat', 'in_app_chat', 'team_chat', 'instagram', 'facebook_messenger', 'whatsapp', 'email_address'] as const;

/** ZCC flows: list (by status/channel), get, entry points (per flow and account-wide), publish. */
export function registerFlowRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/contact_center/flows',
    guarded('listFlows', (req, a) => {
      checkQuery(req, { status: { oneOf: FLOW_STATUSES }, channel: { oneOf: CHANNELS }, channel_source: { oneOf: FLOW_CHANNEL_SOURCES } });
      const q = req.query as { status?: string; channel?: string };
      const flows = a.flows.filter((f) => (!q.status || f.status === q.status) && (!q.channel || f.channel === q.channel));
      return page(req, 'flows', flows.map(publicFlow), pageSizeMax('listFlows')!, 30);
    }),
  );
  app.get(
    '/v2/contact_center/flows/:flowId',
    guarded('getFlow', (req, a) => publicFlow(flowOf(a, (req.params as { flowId: string }).flowId))),
  );
  app.get(
    '/v2/contact_center/flows/:flowId/entry_points',
    // Not paged: Zoom answers every entry point of the flow with the flow's channel.
    guarded('listFlowEntryPoints', (req, a) => {
      const flow = flowOf(a, (req.params as { flowId: string }).flowId);
      return { entry_points: flow.entry_points, channel: flow.channel };
    }),
  );
  app.get(
    '/v2/contact_center/flows_entry_points',
    guarded('listAccountEntryPoints', (req, a) => {
      checkQuery(req, { channel: { required: true, oneOf: CHANNELS, code: 3210 }, channel_source: { oneOf: ENTRY_CHANNEL_SOURCES, code: 3210 } });
      const q = req.query as { channel: string };
      // The account-wide list documents each entry point's channel, and no entry_language.
      return page(
        req,
        'entry_points',
        a.flows.filter((f) => f.channel === q.channel).flatMap((f) => f.entry_points.map(({ entry_language: _l, ...e }) => ({ ...e, channel: f.channel }))),
        pageSizeMax('listAccountEntryPoints')!,
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
