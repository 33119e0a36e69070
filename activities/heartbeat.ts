import { Context } from '@temporalio/activity';

/**
 * Every vendor activity heartbeats while it runs, so a worker that dies mid-call (SIGKILL, OOM, a
 * lost node) is noticed by its heartbeat timeout (workflows/activities.ts: seconds) rather than
 * the start-to-close timeout (a minute), and the call is retried on another worker at once.
 * A timer beats every BEAT_EVERY_MS, whatever the activity is waiting on (a vendor call, a poll's
 * sleep); the SDK throttles what reaches the server to one per 80% of the heartbeat timeout.
 */
export const BEAT_EVERY_MS = 2_000;

/** The details each running activity last gave (its checkpoint), which the timer repeats. */
const latest = new WeakMap<Context, { details: unknown }>();

/**
 * A heartbeat with details (a checkpoint a retried attempt resumes from). Activities call this
 * rather than `Context.heartbeat`, so the keep-alive repeats these details and never replaces a
 * checkpoint with nothing.
 */
export function beat(details?: unknown): void {
  const ctx = Context.current();
  latest.set(ctx, { details });
  ctx.heartbeat(details);
}

/** Runs an activity with the keep-alive: until it has beaten its own, it repeats the previous attempt's details. */
export function keepAlive<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    const ctx = Context.current();
    const timer = setInterval(() => ctx.heartbeat(latest.has(ctx) ? latest.get(ctx)!.details : ctx.info.heartbeatDetails), BEAT_EVERY_MS);
    try {
      ctx.heartbeat(ctx.info.heartbeatDetails);
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
