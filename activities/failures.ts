import { ApplicationFailure } from '@temporalio/common';
import { IntegrationError } from '../src/integrations/errors';
import { SecretUnavailable } from '../src/secret-store';

/**
 * Activity errors in the form Temporal acts on: the taxonomy kind becomes the failure type
 * (non-retryable kinds stop retries at once), and a vendor's Retry-After becomes the next delay.
 */
export function toFailure(err: unknown): never {
  if (err instanceof IntegrationError) {
    throw ApplicationFailure.create({
      type: err.kind,
      message: err.message,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.kind === 'RateLimited' && err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 100) : undefined,
      details: [{ vendor: err.vendor, operation: err.operation, status: err.status, scopes: err.scopes }],
    });
  }
  if (err instanceof SecretUnavailable) throw ApplicationFailure.create({ type: 'SecretUnavailable', message: err.message, nonRetryable: true });
  throw err;
}

/** Runs an activity body, translating failures. */
export async function translated<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    return toFailure(err);
  }
}
