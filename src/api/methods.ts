import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problems';

/** The methods a route of ours may have (HEAD: Fastify answers it for every GET route). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * A known path with a method it does not have is a 405 with `Allow` (RFC 9110 15.5.6), not
 * Fastify's 404: the client learns the path is right and which methods it takes. Answered in
 * onRequest, before any body is read (Fastify would refuse a QUERY without Content-Type first)
 * and before auth, since nothing route-specific runs. Register after the hook that sets x-request-id.
 */
export function answerWrongMethods(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.is404) return;
    const allowed = METHODS.filter((m) => m !== req.method && app.findRoute({ method: m, url: req.url }));
    if (!allowed.length) return;
    const path = req.url.split('?')[0];
    req.log.warn({ method: req.method, url: path, status: 405 }, 'request refused');
    reply.header('allow', allowed.join(', '));
    return sendProblem(reply, problem(405, 'MethodNotAllowed', `${path} does not take ${req.method}; it takes ${allowed.join(', ')}`, undefined, req.id));
  });
}
