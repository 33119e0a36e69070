import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { NON_RETRYABLE_TYPES, type OnboardingActivities } from '../src/domain/activity-contract';

/**
 * Calls to Kore.ai and Zoom: transient failures retry with backoff (RateLimited waits as told).
 * The activities heartbeat every 2 s while they run (activities/heartbeat.ts), so a worker that
 * dies mid-call is noticed by the heartbeat timeout and the call retried elsewhere in seconds, not
 * after the start-to-close minute. 12 s is also above the longest single vendor call
 * (ONBOARD_HTTP_TIMEOUT_MS, 10 s; each SIP preflight probe, 5 s), so an activity that beat only
 * between calls would still live. (Options of a scheduled activity are not replayed: safe to change.)
 */
export const VENDOR_HEARTBEAT_TIMEOUT = '12 seconds';
export const vendor = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: VENDOR_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE_TYPES },
});

/** Notices to the owner: a few tries, then give up quietly (a missed reminder never blocks onboarding). */
export const messenger = proxyActivities<Pick<OnboardingActivities, 'notify'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

/** The type an activity's failure names (ScopeMissing, PublishFailed, ...), if it names one. */
export function failureType(err: unknown): string | undefined {
  let e: unknown = err;
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  return e instanceof ApplicationFailure ? (e.type ?? undefined) : undefined;
}

/** The failure's own message, not Temporal's wrapping ("Activity task failed"). */
export function reason(err: unknown): string {
  let e: unknown = err;
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  const message = e instanceof Error ? e.message : String(e);
  return err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED' ? `${message} (gave up after retries)` : message;
}
