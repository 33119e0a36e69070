import { createHmac } from 'node:crypto';
import axios from 'axios';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adminBody } from '../http';

/**
 * The Zoom simulator's event sender: signs an event as Zoom does (`x-zm-signature: v0=HMAC-SHA256
 * (secret, "v0:{ts}:{body}")`, `x-zm-request-timestamp` in seconds), posts it with a 3 s timeout,
 * and can first run the URL-validation challenge. Faults: a bad signature, a stale timestamp.
 */
export const WebhookSendBody = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  secret: z.string().min(8, 'must be at least 8 characters'),
  event: z.string().min(1),
  accountId: z.string().min(1),
  object: z.record(z.string(), z.unknown()).default({}),
  validateFirst: z.boolean().default(false),
  fault: z.enum(['bad-signature', 'stale-timestamp']).optional(),
});

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

async function post(url: string, secret: string, payload: object, fault?: string) {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000) - (fault === 'stale-timestamp' ? 3600 : 0));
  const signature = fault === 'bad-signature' ? `v0=${'0'.repeat(64)}` : `v0=${hmac(secret, `v0:${ts}:${body}`)}`;
  return axios.post(url, body, {
    timeout: 3_000,
    maxRedirects: 0,
    validateStatus: () => true,
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': ts, 'x-zm-signature': signature, 'x-zm-request-id': `sim-${Date.now()}` },
  });
}

export function registerWebhookSender(app: FastifyInstance): void {
  app.post('/__sim/webhooks/send', async (req, reply) => {
    const b = adminBody(WebhookSendBody, req.body, reply);
    if (!b) return;
    let validated: boolean | undefined;
    if (b.validateFirst) {
      const plainToken = `plain-${Date.now()}`;
      const res = await post(b.url, b.secret, { event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken } });
      validated = res.status === 200 && res.data?.plainToken === plainToken && res.data?.encryptedToken === hmac(b.secret, plainToken);
      if (!validated) return reply.code(502).send({ error: `URL validation failed (${res.status})`, validated });
    }
    const res = await post(b.url, b.secret, { event: b.event, event_ts: Date.now(), payload: { account_id: b.accountId, object: b.object } }, b.fault);
    return { status: res.status, validated };
  });
}
