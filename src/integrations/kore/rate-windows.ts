/**
 * Kore.ai's documented limits for the analytics and definition APIs (sessions, messages, details,
 * summary, publish): 60 calls a minute and 1,800 an hour per bot (../shared/reference/kore-api.md,
 * "Rate limits"). Whether Kore sends `Retry-After` with its 429 is not documented, so when it does
 * not, we work out when the window frees from our own count of calls per bot.
 */
export const KORE_LIMITS = [
  { calls: 60, windowMs: 60_000 },
  { calls: 1800, windowMs: 3_600_000 },
] as const;

/** Call times per bot (or per app for calls on no bot) over the last hour; shared by a process's clients. */
export class KoreRateWindows {
  readonly #calls = new Map<string, number[]>();
  /** Per bot, until when Kore.ai refused us: no call of this process goes out for it before then. */
  readonly #blockedUntil = new Map<string, number>();

  /** A refusal said when the limit frees: every client of this process waits for it, not only the one refused. */
  block(key: string, until: number): void {
    this.#blockedUntil.set(key, Math.max(until, this.#blockedUntil.get(key) ?? 0));
  }

  /** When the bot's limit frees, if Kore.ai refused it and that time is still ahead. */
  blockedUntil(key: string, now: number): number | undefined {
    const until = this.#blockedUntil.get(key);
    if (until === undefined || until <= now) {
      this.#blockedUntil.delete(key);
      return undefined;
    }
    return until;
  }

  record(key: string, now: number): void {
    const times = this.#recent(key, now);
    times.push(now);
    this.#calls.set(key, times);
  }

  /**
   * When the next call should be allowed after a refusal: the end of the window our own count
   * fills; if ours fills none (others use the bot too), the end of the minute window.
   */
  freeAt(key: string, now: number): number {
    const times = this.#recent(key, now);
    let at: number | undefined;
    for (const { calls, windowMs } of KORE_LIMITS) {
      const inWindow = times.filter((t) => t > now - windowMs);
      if (inWindow.length >= calls) at = Math.max(at ?? 0, inWindow[inWindow.length - calls]! + windowMs);
    }
    return at ?? now + KORE_LIMITS[0].windowMs;
  }

  #recent(key: string, now: number): number[] {
    const longest = KORE_LIMITS[KORE_LIMITS.length - 1]!.windowMs;
    return (this.#calls.get(key) ?? []).filter((t) => t > now - longest);
  }
}

/**
 * What a Kore.ai API path's limits count by: the bot (`/api/public/bot/{botId}/...`, and the
 * summariser's `/api/public/streams/{streamId}/...`); a status API (publish, export and import
 * status) its own window per request id, apart from the bot's analytics calls (kore-api.md 8,
 * kore-api-more.md 1), so a refused status poll never holds the bot's other calls back; else the
 * app. The import status has no bot in its path, only its `bir-` id.
 */
export const rateKeyOf = (url: string, clientId: string): string => {
  const path = url.split('?')[0]!;
  const imported = /\/bot\/import\/status\/([^/]+)\/?$/.exec(path)?.[1];
  if (imported !== undefined) return `import-status:${imported}`;
  // The summariser's `/streams/{streamId}/` is the bot too (a stream id is a bot id), in the same analytics window.
  const bot = /\/(?:bot|streams)\/([^/?]+)/.exec(path)?.[1];
  if (bot === undefined) return `app:${clientId}`;
  const status = /\/(publish|export)\/status\/?$/.exec(path)?.[1];
  return status ? `${bot}:${status}-status` : bot;
};
