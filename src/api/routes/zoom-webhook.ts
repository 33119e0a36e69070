import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Onboardings } from '../../app';
import { problem, sendProblem } from '../problems';

/**
 * Zoom event subscriptions: `x-zm-signature` is HMAC-SHA256 over `v0:{timestamp}:{raw body}` with
 * the app's secret token; stale timestamps are refused (replay). A Contact Center engagement
 * event for an account whose onboarding has `place-test-call` open completes that step by signal
 * (the same rules as a person's Update; a refusal is recorded in the run).
 */
export const MAX_SKEW_SECONDS = 300;

const ZoomEvent = z.object({
  event: z.string(),
  event_ts: z.number().optional(),
  payload: z
    .object({ account_id: z.string().optional(), plainToken: z.string().optional(), object: z.record(z.string(), z.unknown()).optional() })
    .passthrough(),
});

export function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function registerZoomWebhook(app: FastifyInstance, onboardings: Onboardings, secret: string | undefined): void {
  app.register(async (scope) => {
    // The signature covers the exact bytes Zoom sent, so keep them.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/zoom', async (req, reply) => {
      if (!secret) return sendProblem(reply, problem(404, 'WebhookDisabled', 'the Zoom webhook is off: set ONBOARD_ZOOM_WEBHOOK_SECRET', undefined, req.id));
      const raw = typeof req.body === 'string' ? req.body : '';
      const ts = String(req.headers['x-zm-request-timestamp'] ?? '');
      const given = String(req.headers['x-zm-signature'] ?? '');
      const expected = sign(secret, ts, raw);
      const ok = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      if (!ok) return sendProblem(reply, problem(401, 'BadSignature', 'x-zm-signature does not match the body', undefined, req.id));
      if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > MAX_SKEW_SECONDS) {
        return sendProblem(reply, problem(401, 'StaleTimestamp', `x-zm-request-timestamp is more than ${MAX_SKEW_SECONDS} s away from now`, undefined, req.id));
      }
      let parsed: z.infer<typeof ZoomEvent>;
      try {
        parsed = ZoomEvent.parse(JSON.parse(raw));
      } catch {
        return sendProblem(reply, problem(400, 'InvalidInput', 'body is not a Zoom event', undefined, req.id));
      }
      if (parsed.event === 'endpoint.url_validation') {
        const plainToken = parsed.payload.plainToken ?? '';
        return { plainToken, encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex') };
      }
      if (!parsed.event.startsWith('contact_center.engagement_')) return reply.code(204).send();
      const accountId = parsed.payload.account_id;
      const engagementId = typeof parsed.payload.object?.engagement_id === 'string' ? parsed.payload.object.engagement_id : undefined;
      const { items } = await onboardings.list({ waiting: true, pageSize: 200 });
      let matched = 0;
      for (const o of items.filter((x) => x.openSteps.includes('place-test-call'))) {
        // The run's memo names its Zoom account: only that account's calls count as its test call.
        if (!accountId || (await onboardings.memo(o.tenantId)).zoomAccountId !== accountId) continue;
        await onboardings.completeBySignal(o.tenantId, {
          stepId: 'place-test-call',
          evidence: {},
          by: `zoom-webhook${engagementId ? ` (engagement ${engagementId})` : ''}`,
        });
        matched++;
      }
      req.log.info({ event: parsed.event, accountId, matched }, 'zoom event');
      return reply.code(204).send();
    });
  });
}
