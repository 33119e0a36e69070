import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { RunWatchers, type Onboardings } from '../../app';
import type { Role } from '../auth';
import { ProblemError } from '../problems';
import { TenantIdParam } from '../schemas';
import { tenantOf } from './onboardings';

/** The longest Last-Event-ID taken (the OpenAPI document says so). */
export const MAX_EVENT_ID = 200;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /api/v1/onboardings/{tenantId}/events`: Server-Sent Events, one `progress` event with the
 * whole progress document on each change of the run (its read model, watched once per run in this
 * process for every viewer), the first at once. The event id is the run's last change; a client
 * that reconnects with `Last-Event-ID` gets only what is newer. Authenticated like every route,
 * with `Authorization: Bearer` (the dashboard reads the stream with fetch; `EventSource` cannot send
 * that header, so a browser client uses fetch too, and curl or a server-side client sends it as is).
 */
export function registerEventRoutes(
  app: FastifyInstance,
  onboardings: Onboardings,
  role: (r: Role) => { preHandler: preHandlerAsyncHookHandler },
): RunWatchers {
  const watchers = new RunWatchers((tenantId) => onboardings.progress(tenantId));
  app.get('/api/v1/onboardings/:tenantId/events', role('viewer'), async (req, reply) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    const lastEventId = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : undefined;
    // Our ids are short (the run's last change); a longer one is no id of ours, refused as the document says.
    if (lastEventId !== undefined && lastEventId.length > MAX_EVENT_ID)
      throw new ProblemError(400, 'InvalidInput', `header.Last-Event-ID: is longer than ${MAX_EVENT_ID} characters`, [
        { field: 'header.Last-Event-ID', message: `is longer than ${MAX_EVENT_ID} characters` },
      ]);
    // Refused before the stream opens when there is no such run (a 404 problem like every route).
    await onboardings.progress(tenantId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    let stop = () => undefined as void;
    const end = () => {
      clearInterval(keepalive);
      stop();
      res.end();
    };
    stop = watchers.subscribe(
      tenantId,
      (progress, id) => res.write(`id: ${id}\nevent: progress\ndata: ${JSON.stringify(progress)}\n\n`),
      (err) => {
        res.write(`event: error\ndata: ${JSON.stringify({ detail: (err as Error).message })}\n\n`);
        end();
      },
      lastEventId,
    );
    req.raw.on('close', () => {
      clearInterval(keepalive);
      stop();
    });
  });
  return watchers;
}
