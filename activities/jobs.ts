import { Context } from '@temporalio/activity';
import { beat } from './heartbeat';

/**
 * Long vendor jobs (publish, export, import) are polled inside the activity: with backoff, a
 * heartbeat per read (so the worker's heartbeat timeout sees progress and a retry resumes from the
 * last detail), and never past the activity's own deadline.
 */
export interface PollOptions {
  /** First wait between reads; doubles (x1.6) up to `maxMs`. */
  initialMs?: number;
  maxMs?: number;
}

/** When this attempt must have answered: its start-to-close timeout from now, less a margin to answer in. */
export function attemptDeadline(startedAt = Date.now()): number {
  const timeout = Context.current().info.startToCloseTimeoutMs || 10 * 60_000;
  return startedAt + timeout - Math.min(2_000, timeout / 10);
}

/**
 * Reads until `done` or the deadline, heartbeating `detail(value)` after each read. Answers the last
 * value and whether it is done (false: the deadline came first).
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (t: T) => boolean,
  detail: (t: T) => unknown,
  deadline: number,
  opts: PollOptions = {},
): Promise<{ value: T; done: boolean }> {
  const ctx = Context.current();
  let wait = opts.initialMs ?? 250;
  for (;;) {
    const value = await read();
    beat(detail(value));
    if (done(value)) return { value, done: true };
    const left = deadline - Date.now();
    if (left <= 0) return { value, done: false };
    await ctx.sleep(Math.min(wait, left));
    wait = Math.min(wait * 1.6, opts.maxMs ?? 10_000);
  }
}
