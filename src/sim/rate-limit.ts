/**
 * Sliding-window limits the simulators enforce like the vendors do (Kore: per bot per minute and
 * per hour; Zoom: per account and label per second, plus a daily cap for heavy calls).
 */
export class SlidingWindow {
  #hits: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records a hit if allowed; otherwise says how long until one slot frees. */
  take(now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const from = now - this.windowMs;
    while (this.#hits.length && this.#hits[0]! <= from) this.#hits.shift();
    if (this.#hits.length >= this.limit) return { ok: false, retryAfterMs: this.#hits[0]! + this.windowMs - now };
    this.#hits.push(now);
    return { ok: true };
  }
}

/** Keyed windows created on first use. */
export class WindowSet {
  #windows = new Map<string, SlidingWindow>();

  take(key: string, limit: number, windowMs: number, now: number): ReturnType<SlidingWindow['take']> {
    const id = `${key}|${limit}|${windowMs}`;
    let w = this.#windows.get(id);
    if (!w) this.#windows.set(id, (w = new SlidingWindow(limit, windowMs)));
    return w.take(now);
  }

  clear(): void {
    this.#windows.clear();
  }
}
