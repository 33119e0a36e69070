import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Onboardings } from '../../app';
import { problem, sendProblem } from '../problems';

/**
 * Zoom event subscriptions: `x-zm-signature` is HMAC-SHA256 over `v0:{timestamp}:{raw body}` with
 * the app's secret token. A signed event is accepted once: its timestamp must be at most
 * MAX_SKEW_SECONDS old (StaleTimestamp) and at most MAX_FUTURE_SKEW_SECONDS ahead (FutureTimestamp),
 * and its (timestamp, signature) is remembered for as long as that timestamp stays acceptable, so
 * the same event sent again is refused (ReplayedEvent). A Contact Center engagement event for an
 * account whose onboarding has `place-test-call` open completes that step by signal (the same rules
 * as a person's Update; a refusal is recorded in the run).
 */
export const MAX_SKEW_SECONDS = 300;
/** Zoom stamps the time it sends; a clock a little ahead of ours is fine, minutes ahead is not. */
export const MAX_FUTURE_SKEW_SECONDS = 30;
/** Events remembered at once (about 150 bytes each): far more than Zoom sends in five minutes. */
export const REPLAY_MEMORY = 10_000;

/**
 * The (timestamp, signature) pairs of accepted events, each kept until its timestamp is too old to
 * pass the stale check, so memory is bounded by the window. When it is full, a fresh event is
 * refused (Zoom retries) rather than an entry forgotten early, which would let that event replay.
 * Only signed, fresh events get in, so only someone holding the secret can fill it.
 */
export class ReplayGuard {
  /** key -> the second it may be forgotten; insertion order is timestamp order, near enough, for pruning. */
  readonly #seen = new Map<string, number>();
  readonly #capacity: number;
  readonly #windowSeconds: number;

  constructor(o: { capacity?: number; windowSeconds?: number } = {}) {
    this.#capacity = o.capacity ?? REPLAY_MEMORY;
    this.#windowSeconds = o.windowSeconds ?? MAX_SKEW_SECONDS;
  }

  get size(): number {
    return this.#seen.size;
  }

  /** Remembers a fresh event, or says why not: seen before, or memory full (and when a place frees up). */
  admit(
    timestamp: number,
    signature: string,
    nowSeconds: number,
  ): { ok: true } | { ok: false; reason: 'replay' } | { ok: false; reason: 'full'; retryAfterSeconds: number } {
    this.#prune(nowSeconds);
    const key = `${timestamp}:${signature}`;
    if (this.#seen.has(key)) return { ok: false, reason: 'replay' };
    if (this.#seen.size >= this.#capacity) {
      let soonest = Infinity;
      for (const until of this.#seen.values()) soonest = Math.min(soonest, until);
      return { ok: false, reason: 'full', retryAfterSeconds: Math.max(1, soonest - nowSeconds) };
    }
    this.#seen.set(key, timestamp + this.#windowSeconds);
    return { ok: true };
  }

  /** An event we failed to handle (5xx) may come again: Zoom retries it. */
  forget(timestamp: number, signature: string): void {
    this.#seen.delete(`${timestamp}:${signature}`);
  }

  #prune(nowSeconds: number): void {
    // Entries arrive in roughly timestamp order; a scan stops at the first that is still live,
    // except that a late-arriving older timestamp is caught by the full scan when at capacity.
    for (const [key, until] of this.#seen) {
      if (until >= nowSeconds) break;
      this.#seen.delete(key);
    }
    if (this.#seen.size >= this.#capacity) for (const [key, until] of this.#seen) if (until < nowSeconds) this.#seen.delete(key);
  }
}

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

/** Equal signatures, in constant time; unequal byte lengths (any non-ASCII character makes them so) are simply unequal. */
function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerZoomWebhook(app: FastifyInstance, onboardings: Onboardings, secret: string | undefined, replays = new ReplayGuard()): void {
  app.register(async (scope) => {
    // The signature covers the exact bytes Zoom sent, so keep them.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/zoom', async (req, reply) => {
      if (!secret) return sendProblem(reply, problem(404, 'WebhookDisabled', 'the Zoom webhook is off: set ONBOARD_ZOOM_WEBHOOK_SECRET', undefined, req.id));
      const raw = typeof req.body === 'string' ? req.body : '';
      const ts = String(req.headers['x-zm-request-timestamp'] ?? '');
      const given = String(req.headers['x-zm-signature'] ?? '');
      if (!sameSignature(given, sign(secret, ts, raw)))
        return sendProblem(reply, problem(401, 'BadSignature', 'x-zm-signature does not match the body', undefined, req.id));
      const now = Math.floor(Date.now() / 1000);
      if (!/^\d{1,12}$/.test(ts) || now - Number(ts) > MAX_SKEW_SECONDS) {
        return sendProblem(reply, problem(401, 'StaleTimestamp', `x-zm-request-timestamp is more than ${MAX_SKEW_SECONDS} s old`, undefined, req.id));
      }
      if (Number(ts) - now > MAX_FUTURE_SKEW_SECONDS) {
        return sendProblem(
          reply,
          problem(401, 'FutureTimestamp', `x-zm-request-timestamp is more than ${MAX_FUTURE_SKEW_SECONDS} s ahead of our clock`, undefined, req.id),
        );
      }
      const admitted = replays.admit(Number(ts), given, now);
      if (!admitted.ok && admitted.reason === 'replay') {
        req.log.warn({ status: 409, code: 'ReplayedEvent' }, 'request refused');
        return sendProblem(reply, problem(409, 'ReplayedEvent', 'this signed event (its timestamp and signature) was already received', undefined, req.id));
      }
      if (!admitted.ok) {
        req.log.warn({ status: 429, code: 'WebhookBusy' }, 'request refused');
        reply.header('retry-after', String(admitted.retryAfterSeconds));
        return sendProblem(reply, problem(429, 'WebhookBusy', 'too many events in the replay window; retry later', undefined, req.id));
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
      // Only the run whose call it was: the event's flow names it when Zoom sends one (`flow_id`,
      // matched with the flow the route step was verified to publish); without a flow, only an
      // account with a single run awaiting its test call is unambiguous.
      const flowId = typeof parsed.payload.object?.flow_id === 'string' ? parsed.payload.object.flow_id : undefined;
      let matched = 0;
      try {
        const waiting = accountId ? await onboardings.awaitingTestCall(accountId) : [];
        const chosen = flowId ? waiting.filter((w) => w.flowId === flowId) : waiting.length === 1 ? waiting : [];
        for (const w of chosen) {
          await onboardings.completeBySignal(w.tenantId, {
            stepId: 'place-test-call',
            evidence: {},
            by: `zoom-webhook${engagementId ? ` (engagement ${engagementId})` : ''}`,
            // Zoom's signature vouches for the sender, and this names it.
            via: 'webhook',
            byVerified: true,
          });
          matched++;
        }
        if (waiting.length > 1 && !matched)
          req.log.warn({ accountId, waiting: waiting.length, flowId }, 'zoom event matches no single run; complete the test call by hand');
      } catch (err) {
        // Not handled: Zoom's retry of this very event must not be taken for a replay.
        replays.forget(Number(ts), given);
        throw err;
      }
      req.log.info({ event: parsed.event, accountId, matched }, 'zoom event');
      return reply.code(204).send();
    });
  });
}
