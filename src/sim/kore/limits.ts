import { WindowSet } from '../rate-limit';
import { fail, RATE_LIMIT_MSG } from './errors';

/**
 * Kore.ai's per-bot limits (60/min and 1800/h by default). Apps calling account-wide APIs (no bot
 * in the path) are limited per app. The numbers are one mutable object so PUT /__sim/limits and
 * the admin answer see the same values.
 */
export interface KoreLimitValues {
  perMinute: number;
  perHour: number;
}

export class KoreLimits {
  readonly values: KoreLimitValues;
  #windows = new WindowSet();

  constructor(initial?: Partial<KoreLimitValues>) {
    this.values = { perMinute: 60, perHour: 1800, ...initial };
  }

  /** Counts one call for `key`, or throws Kore's 429 with Retry-After in whole seconds. */
  take(key: string, now = Date.now()): void {
    for (const [limit, windowMs] of [
      [this.values.perMinute, 60_000],
      [this.values.perHour, 3_600_000],
    ] as const) {
      const r = this.#windows.take(key, limit, windowMs, now);
      if (!r.ok) throw fail(429, RATE_LIMIT_MSG, 429, { 'retry-after': String(Math.max(1, Math.ceil(r.retryAfterMs / 1000))) });
    }
  }

  /** New numbers start from empty windows. */
  set(values: Partial<KoreLimitValues>): KoreLimitValues {
    Object.assign(this.values, values);
    this.clear();
    return this.values;
  }

  clear(): void {
    this.#windows.clear();
  }
}
