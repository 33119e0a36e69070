import { IntegrationError } from '../errors';
import { parseRetryAfter, type RawResponse } from '../http';
import { KoreErrorBody } from './schemas';

const RATE_LIMIT_TEXT = /rate limit/i;
const SCOPE_TEXT = /scope is incorrect|permission denied/i;

/**
 * Turns a non-2xx Kore.ai answer into our taxonomy. Kore reports a missing API scope as a 401 whose
 * message says the scope is incorrect without naming it, so the caller tells us which scope the
 * endpoint needs. A 403 with the same body is treated alike (some deployments answer so).
 */
/** A wall-clock time as a person reads it in a message: `14:05Z` today, or the date too. */
const clock = (at: number) => {
  const iso = new Date(at).toISOString();
  return new Date(at).toDateString() === new Date().toDateString() ? `${iso.slice(11, 16)}Z` : `${iso.slice(0, 16).replace('T', ' ')}Z`;
};

/** `freeAt`: when our own count of calls says the limit's window ends, for a 429 without `Retry-After`. */
export function koreError(res: RawResponse, operation: string, scope: string | null, limits: { freeAt?: () => number } = {}): IntegrationError {
  const body = KoreErrorBody.safeParse(res.data);
  const first = body.success ? body.data.errors[0] : undefined;
  const msg = (first?.msg ?? '').slice(0, 200);
  const said = `${res.status}${msg ? ` "${msg}"` : ''}`;
  const base = { vendor: 'kore' as const, operation, status: res.status, vendorCode: first?.code };

  if (res.status === 429 || RATE_LIMIT_TEXT.test(msg)) {
    // Kore's hourly limit outlasts a retry policy of minutes: wait as long as the vendor said, or
    // until our own count says the window ends, so a retry never comes back into the same limit.
    const said429 = parseRetryAfter(res.headers['retry-after']);
    const freeAt = said429 !== undefined ? Date.now() + said429 : limits.freeAt?.();
    const retryAfterMs = said429 ?? (freeAt !== undefined ? Math.max(0, freeAt - Date.now()) : undefined);
    return new IntegrationError(
      'RateLimited',
      `${operation}: Kore.ai rate limit for this bot${freeAt !== undefined ? ` until ${clock(freeAt)}` : ''} (${said}${said429 === undefined && freeAt !== undefined ? '; Kore gave no Retry-After, so this is from our own count of calls' : ''}); will retry then`,
      { ...base, retryAfterMs },
    );
  }
  if ((res.status === 401 && SCOPE_TEXT.test(msg)) || res.status === 403) {
    if (scope === null)
      // The upload documents no scope (kore-api-more.md 1): refused anyway, the app is not one the account admin made.
      return new IntegrationError(
        'AuthRejected',
        `${operation}: Kore.ai refused the app (${said}) on an API documented without a scope; use an app the account admin made`,
        base,
      );
    return new IntegrationError(
      'ScopeMissing',
      `${operation}: the Kore.ai JWT app lacks the "${scope}" API scope (Kore said ${said}); map it under Dev Tools > API Scopes and publish the app`,
      { ...base, scopes: [scope] },
    );
  }
  if (res.status === 401) {
    return new IntegrationError(
      'AuthRejected',
      `${operation}: Kore.ai rejected the app credentials (${said}); check the JWT app's Client ID and Client Secret and the region`,
      base,
    );
  }
  if (res.status === 404 || (res.status === 400 && /invalid streamid/i.test(msg))) {
    return new IntegrationError('NotFound', `${operation}: Kore.ai did not find it (${said}); check the Bot ID and region`, base);
  }
  if (res.status >= 500) {
    return new IntegrationError('Transient', `${operation}: Kore.ai server error (${said}); will retry`, base);
  }
  return new IntegrationError('InvalidRequest', `${operation}: Kore.ai refused the request (${said})`, base);
}

/** A call held back in this process because Kore.ai already refused the bot until `until`. */
export function rateLimitedUntil(operation: string, until: number): IntegrationError {
  return new IntegrationError('RateLimited', `${operation}: Kore.ai rate limit for this bot until ${clock(until)} (a refusal a moment ago); will retry then`, {
    vendor: 'kore',
    operation,
    retryAfterMs: Math.max(0, until - Date.now()),
  });
}
