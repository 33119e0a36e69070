import { IntegrationError } from '../errors';
import { parseRetryAfter, type RawResponse } from '../http';
import { ZoomApiError, ZoomOAuthError } from './schemas';

/** Zoom's answer to an expired or unknown bearer token, in either of its two shapes. */
export function isExpiredTokenAnswer(res: RawResponse): boolean {
  if (res.status !== 401) return false;
  const body = ZoomApiError.safeParse(res.data);
  if (!body.success) return true; // a bare 401 from the API tier means the same
  return 'code' in body.data ? body.data.code === 124 : body.data.errorCode === 401;
}

/** `Invalid access token, does not contain scopes:[a, b].` -> ['a', 'b'] */
export function scopesFrom4711(message: string): string[] {
  const m = /scopes:\s*\[([^\]]*)\]/i.exec(message);
  return m?.[1]
    ? m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

function rateLimited(res: RawResponse, operation: string, said: string, base: object): IntegrationError {
  let retryAfterMs = parseRetryAfter(res.headers['retry-after']);
  // A per-second (QPS) breach comes without Retry-After; the window is one second.
  if (retryAfterMs === undefined && /qps/i.test(res.headers['x-ratelimit-type'] ?? '')) retryAfterMs = 1000;
  const daily = /daily/i.test(res.headers['x-ratelimit-type'] ?? '');
  return new IntegrationError(
    'RateLimited',
    `${operation}: Zoom ${daily ? 'daily' : 'per-second'} rate limit reached (${said})${
      retryAfterMs !== undefined ? `; retry in ${Math.ceil(retryAfterMs / 1000)} s` : ''
    }`,
    { ...(base as { vendor: 'zoom'; operation: string }), retryAfterMs },
  );
}

/** A call held back by this client because Zoom refused the account until `until` (its Retry-After) a moment ago. */
export function rateLimitedUntil(operation: string, until: number): IntegrationError {
  return new IntegrationError(
    'RateLimited',
    `${operation}: Zoom rate limit for this account until ${new Date(until).toISOString()} (a refusal a moment ago); will retry then`,
    {
      vendor: 'zoom',
      operation,
      retryAfterMs: Math.max(0, until - Date.now()),
    },
  );
}

export function zoomApiError(res: RawResponse, operation: string): IntegrationError {
  const parsed = ZoomApiError.safeParse(res.data);
  const code = parsed.success ? ('code' in parsed.data ? parsed.data.code : parsed.data.errorCode) : undefined;
  const message = parsed.success && 'message' in parsed.data ? (parsed.data.message ?? '').slice(0, 300) : '';
  const said = `${res.status}${code !== undefined ? ` code ${code}` : ''}${message ? ` "${message}"` : ''}`;
  const base = { vendor: 'zoom' as const, operation, status: res.status, vendorCode: code };

  if (res.status === 429) return rateLimited(res, operation, said, base);
  if (code === 4711) {
    const scopes = scopesFrom4711(message);
    return new IntegrationError(
      'ScopeMissing',
      `${operation}: the Zoom Server-to-Server app lacks a scope; add one of ${scopes.join(' or ') || '(unnamed)'} in the Marketplace and re-activate the app`,
      { ...base, scopes },
    );
  }
  if (res.status === 401) {
    return new IntegrationError(
      'AuthRejected',
      `${operation}: Zoom rejected the access token (${said}) even after a fresh one; check the app is activated`,
      base,
    );
  }
  if (res.status === 403) {
    return new IntegrationError('AuthRejected', `${operation}: Zoom forbade the call (${said}); check the app's role permissions`, base);
  }
  if (res.status === 404) return new IntegrationError('NotFound', `${operation}: Zoom did not find it (${said})`, base);
  if (res.status >= 500) return new IntegrationError('Transient', `${operation}: Zoom server error (${said}); will retry`, base);
  return new IntegrationError('InvalidRequest', `${operation}: Zoom refused the request (${said})`, base);
}

export function zoomOAuthError(res: RawResponse): IntegrationError {
  const operation = 'zoom.oauthToken';
  const parsed = ZoomOAuthError.safeParse(res.data);
  const body = parsed.success ? parsed.data : {};
  const said = `${res.status}${body.error ? ` ${body.error}` : ''}${body.reason ? ` "${body.reason.slice(0, 200)}"` : ''}${
    body.code !== undefined ? ` code ${body.code}` : ''
  }`;
  const base = { vendor: 'zoom' as const, operation, status: res.status, vendorCode: body.error ?? body.code };
  if (res.status === 429) return rateLimited(res, operation, said, base);
  if (res.status >= 500) return new IntegrationError('Transient', `${operation}: Zoom OAuth server error (${said}); will retry`, base);
  if (body.error === 'unsupported_grant_type' || body.code === 4705) {
    return new IntegrationError('InvalidRequest', `${operation}: Zoom refused the grant (${said})`, base);
  }
  return new IntegrationError(
    'AuthRejected',
    `${operation}: Zoom rejected the Server-to-Server OAuth credentials (${said}); check the Account ID, Client ID and Client Secret and that the app is activated`,
    base,
  );
}
