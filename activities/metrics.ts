import { ApplicationFailure, noopMetricMeter, type MetricMeter } from '@temporalio/common';
import type { VerifierResult } from '../src/domain/activity-contract';
import type { VendorCall } from '../src/integrations/http';

/**
 * Our metrics from the worker, where the vendor calls happen: through the Temporal SDK's metric
 * meter, so they are served on the worker's Prometheus endpoint beside the SDK's own (names get
 * `_total` and unit suffixes there; src/temporal/runtime.ts). Labels are bounded sets: vendor,
 * operation (an endpoint's name), HTTP status, activity name, outcome; never a tenant or an id.
 */
export class WorkerMetrics {
  readonly #vendorCalls;
  readonly #vendorLatency;
  readonly #rateLimitWait;
  readonly #verifications;

  constructor(meter: MetricMeter = noopMetricMeter) {
    this.#vendorCalls = meter.createCounter('onboard_vendor_requests', '', 'Calls to the Kore.ai and Zoom APIs by vendor, operation and HTTP status');
    this.#vendorLatency = meter.createHistogram('onboard_vendor_request_duration', 'float', 'seconds', 'Latency of calls to the Kore.ai and Zoom APIs');
    this.#rateLimitWait = meter.createHistogram(
      'onboard_rate_limit_wait',
      'float',
      'seconds',
      'Waits a vendor rate limit imposed on an activity (Retry-After, or our own count of Kore.ai calls)',
    );
    this.#verifications = meter.createCounter(
      'onboard_verifications',
      '',
      'Verifier activities by outcome: passed, failed (the claim was wrong), error (could not check)',
    );
  }

  /** For the vendor clients' `observe`. */
  readonly vendorCall = (c: VendorCall): void => {
    this.#vendorCalls.add(1, { vendor: c.vendor, operation: c.operation, status: c.status });
    this.#vendorLatency.record(c.seconds, { vendor: c.vendor, operation: c.operation });
  };

  /**
   * An activity with its outcomes counted: a verifier's verdict, and a rate limit's wait (the
   * RateLimited failure's next retry delay, which Temporal waits before the next attempt).
   */
  instrument<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>, verifier: boolean): (...args: A) => Promise<R> {
    return async (...args: A) => {
      try {
        const out = await fn(...args);
        if (verifier) this.#verifications.add(1, { verifier: name, outcome: (out as VerifierResult).ok ? 'passed' : 'failed' });
        return out;
      } catch (err) {
        if (verifier) this.#verifications.add(1, { verifier: name, outcome: 'error' });
        if (err instanceof ApplicationFailure && err.type === 'RateLimited' && err.nextRetryDelay !== undefined) {
          const vendor = String((err.details?.[0] as { vendor?: unknown } | undefined)?.vendor ?? 'unknown');
          this.#rateLimitWait.record(durationSeconds(err.nextRetryDelay), { vendor, activity: name });
        }
        throw err;
      }
    };
  }
}

/** nextRetryDelay as toFailure sets it: milliseconds (a number), or a duration string Temporal accepts. */
function durationSeconds(d: unknown): number {
  if (typeof d === 'number') return d / 1000;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(String(d));
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 's' ? n : m[2] === 'm' ? n * 60 : n / 1000;
}
