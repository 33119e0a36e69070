import type { FastifyInstance } from 'fastify';
import type { Guarded } from '../auth';
import { notFound, thrower, ZoomFailure } from '../errors';
import { page } from '../paging';
import { CHANNELS, checkQuery } from '../query';
import { pageSizeMax } from '../../../integrations/zoom/scopes';

const ENGAGEMENT_CHANNEL_SOURCES = [
  'in_app_video',
  'kiosk_video',
  'web_video',
  'web_chat',
  'in_app_chat',
  'sms',
  'facebook_messenger',
  'whatsapp',
  'email_address',
] as const;

/** ZCC engagements (calls): list by time window and filters, get one (with its events), its recordings. */
export function registerEngagementRoutes(app: FastifyInstance, guarded: Guarded): void {
  app.get(
    '/v2/contact_center/engagements',
    guarded('listEngagements', (req, a) => {
      checkQuery(req, {
        from: { dateOrInstant: true },
        to: { dateOrInstant: true },
        channel: { oneOf: CHANNELS },
        direction: { oneOf: ['inbound', 'outbound'] },
        channel_sources: { many: true, oneOf: ENGAGEMENT_CHANNEL_SOURCES },
      });
      const q = req.query as { from?: string; to?: string; consumer_number?: string; queue_id?: string; user_id?: string; direction?: string };
      const to = q.to ? Date.parse(q.to) : Date.now();
      const from = q.from ? Date.parse(q.from) : to - 86_400_000;
      if ((q.from && !q.to) || Number.isNaN(from) || Number.isNaN(to) || to - from > 31 * 86_400_000) {
        throw new ZoomFailure(400, { code: 300, message: 'Invalid from/to range.' });
      }
      const list = a.engagements.filter((e) => {
        const t = Date.parse(e.start_time);
        return (
          t >= from &&
          t <= to &&
          (!q.consumer_number || e.consumers.some((c) => c.consumer_number === q.consumer_number)) &&
          (!q.queue_id || e.queues.some((qq) => qq.cc_queue_id === q.queue_id)) &&
          (!q.user_id || e.agents.some((u) => u.user_id === q.user_id)) &&
          (!q.direction || e.direction === q.direction)
        );
      });
      // Zoom lists an engagement only once it has finished.
      return page(
        req,
        'engagements',
        list.filter((e) => Date.parse(e.end_time) <= Date.now() + 120_000).map(({ events: _e, log: _l, ...rest }) => rest),
        pageSizeMax('listEngagements')!,
        10,
      );
    }),
  );
  app.get(
    '/v2/contact_center/engagements/:engagementId',
    guarded('getEngagement', (req, a) => {
      const { engagementId } = req.params as { engagementId: string };
      const e = a.engagements.find((x) => x.engagement_id === engagementId) ?? thrower(notFound(2901, 'Engagement', engagementId));
      const { log: _l, ...shown } = e;
      return shown;
    }),
  );
  app.get(
    '/v2/contact_center/engagements/:engagementId/events',
    guarded('getEngagementEvents', (req, a) => {
      const { engagementId } = req.params as { engagementId: string };
      const e = a.engagements.find((x) => x.engagement_id === engagementId) ?? thrower(notFound(2901, 'Engagement', engagementId));
      return { engagement_id: e.engagement_id, events: e.log };
    }),
  );
  app.get(
    '/v2/contact_center/engagements/:engagementId/recordings',
    guarded('listEngagementRecordings', (req, a) => {
      const { engagementId } = req.params as { engagementId: string };
      if (!a.engagements.some((e) => e.engagement_id === engagementId)) throw notFound(2901, 'Engagement', engagementId);
      return page(req, 'recordings', [], pageSizeMax('listEngagementRecordings')!, 30);
    }),
  );
}
