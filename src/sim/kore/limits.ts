import { WindowSet } from '../rate-limit';
import { fail, RATE_LIMIT_MSG } from './errors';

/**
 * Kore.ai's limits by API class (kore-api.md 8 [S7]): analytics and definition APIs (sessions,
 * messages, details, summary, publish) 60/min and 1800/h per bot; status APIs (publish status)
 * 60/min per request id; admin APIs (get bots) 60/min per account. The numbers are one mutable
 * object so PUT /__sim/limits and the admin answer see the same values; `perMinute` is every
 * class's minute window, `perHour` the analytics class's hour window.
 */
export interface KoreLimitValues {
  perMinute: number;
  perHour: number;
}

/** Kore's rate-limit classes: what a window counts by and which windows apply. */
export type KoreRateClass = 'analytics' | 'status' | 'admin';

export class KoreLimits {
  readonly values: KoreLimitValues;
  #windows = new WindowSet();

  constructor(initial?: Partial<KoreLimitValues>) {
    this.values = { perMinute: 60, perHour: 1800, ...initial };
  }

  /** Counts one call for `key` in its class's windows, or throws Kore's 429 with Retry-After in whole seconds. */
  take(key: string, now = Date.now(), rateClass: KoreRateClass = 'analytics'): void {
    const windows: Array<readonly [number, number]> = [[this.values.perMinute, 60_000]];
    if (rateClass === 'analytics') windows.push([this.values.perHour, 3_600_000]);
    for (const [limit, windowMs] of windows) {
      const r = this.#windows.take(`${rateClass}|${key}`, limit, windowMs, now);
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
