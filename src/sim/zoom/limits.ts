import type { RateLabel } from '../../integrations/zoom/scopes';
import { WindowSet } from '../rate-limit';
import { PER_SECOND_LIMIT_MSG, ZoomFailure } from './errors';

/**
 * Zoom's per-account limits by rate label (LIGHT 40/s, MEDIUM 20/s, HEAVY 10/s) plus a daily cap
 * on HEAVY calls, refused with Zoom's 429 headers. The numbers are one mutable object so PUT
 * /__sim/limits and its answer see the same values.
 */
export type ZoomLimitValues = Record<RateLabel, number> & { heavyDaily: number };

export class ZoomLimits {
  readonly values: ZoomLimitValues;
  #windows = new WindowSet();

  constructor(initial?: Partial<ZoomLimitValues>) {
    this.values = { LIGHT: 40, MEDIUM: 20, HEAVY: 10, heavyDaily: 30_000, ...initial };
  }

  /** Counts one call of `label` for the account, or throws Zoom's per-second or daily 429. */
  take(accountId: string, label: RateLabel, now = Date.now()): void {
    const perSecond = this.#windows.take(`${accountId}:${label}`, this.values[label], 1000, now);
    if (!perSecond.ok) {
      throw new ZoomFailure(
        429,
        { code: 429, message: PER_SECOND_LIMIT_MSG },
        { 'x-ratelimit-category': label[0] + label.slice(1).toLowerCase(), 'x-ratelimit-type': 'QPS' },
      );
    }
    if (label === 'HEAVY') {
      const daily = this.#windows.take(`${accountId}:daily`, this.values.heavyDaily, 86_400_000, now);
      if (!daily.ok) {
        // The daily limit resets at midnight UTC; Zoom gives that instant as Retry-After.
        const midnight = new Date(now);
        midnight.setUTCHours(24, 0, 0, 0);
        throw new ZoomFailure(
          429,
          { code: 429, message: 'You have reached the maximum daily rate limit for this API.' },
          {
            'x-ratelimit-type': 'Daily-limit',
            'x-ratelimit-limit': String(this.values.heavyDaily),
            'x-ratelimit-remaining': '0',
            'retry-after': midnight.toISOString().replace('.000', ''),
          },
        );
      }
    }
  }

  set(values: Partial<ZoomLimitValues>): ZoomLimitValues {
    Object.assign(this.values, values);
    this.clear();
    return this.values;
  }

  clear(): void {
    this.#windows.clear();
  }
}
