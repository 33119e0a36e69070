import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

const tracer = trace.getTracer('kore-zcc-onboarding');
const spans = new WeakMap<object, Span>();

/**
 * A server span per request, the parent of what its handler does (the Temporal client's Update,
 * and through it the workflow and the activity). A no-op while tracing is off. The span names the
 * route's template and the status only: never the URL (it holds tenant and step ids), a header or
 * a body. A caller's `traceparent` is continued.
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const parent = propagation.extract(context.active(), req.headers);
    const attributes = { 'http.request.method': req.method, 'http.route': route };
    spans.set(req, tracer.startSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent));
    done();
  });
  // Made active here, after the body is read: the socket's events would otherwise run outside it.
  app.addHook('preHandler', (req, _reply, done) => {
    const span = spans.get(req);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const span = spans.get(req);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      spans.delete(req);
    }
    done();
  });
}
