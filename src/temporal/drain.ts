import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/**
 * Temporal's own gRPC retry, made safe to close. The retry interceptor re-issues a failed call
 * from a timer; if the connection was closed meanwhile, grpc-js throws "Channel has been shut
 * down" from that timer, outside any caller (the test harness's old flake). So once closing, no
 * new retry is scheduled (the caller gets the failure it had), and `close()` waits until every
 * retry already scheduled has been re-issued before the channel closes. Calls still in flight then
 * end CANCELLED, which is never retried.
 */
export function closableRetry(): { interceptors: Interceptor[]; quiesce: (maxMs: number) => Promise<boolean> } {
  const base = defaultGrpcRetryOptions();
  let closing = false;
  let calls = 0; // calls made through the client
  let attempts = 0; // attempts sent: a call's first, and each retry
  let scheduled = 0; // retries the interceptor put on a timer
  const retry = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && base.retryableDecider(attempt, status),
    delayFunction: (attempt, status) => (scheduled++, base.delayFunction(attempt, status)),
  });
  const counted: Interceptor = (options, nextCall) => {
    calls++;
    return retry(options, (o) => (attempts++, nextCall(o)));
  };
  /** True once no retry timer is pending (each scheduled retry became an attempt); false after maxMs. */
  const quiesce = async (maxMs: number) => {
    closing = true;
    const until = Date.now() + maxMs;
    while (scheduled > attempts - calls) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  };
  return { interceptors: [counted], quiesce };
}
