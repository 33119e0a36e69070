import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { Secret } from '../../secret';
import { createHttp, parseBody, send, type VendorCallObserver } from '../http';
import { zoomOAuthError } from './errors';
import { ZoomTokenResponse } from './schemas';

export interface ZoomS2SCredentials {
  accountId: string;
  clientId: string;
  clientSecret: Secret | string;
}

export interface AccessToken {
  value: Secret;
  expiresAt: number;
  scopes: string[];
  /** The account's API host from the token answer (`api_url`), only when it is a Zoom host over https. */
  apiUrl?: string;
}

/**
 * Zoom answers a token with the `api_url` to call for that account (accounts live in different
 * regions). A token is sent only to a Zoom host: https, `zoom.us` or a subdomain of it, no
 * credentials, no path; anything else in `api_url` is ignored, so a tampered token answer cannot
 * send our bearer token elsewhere.
 */
export function zoomApiHost(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  let u: URL;
  try {
    u = new URL(apiUrl);
  } catch {
    return undefined;
  }
  const host = u.hostname.toLowerCase();
  const zoomHost = host === 'zoom.us' || (host.endsWith('.zoom.us') && !host.startsWith('.'));
  if (u.protocol !== 'https:' || !zoomHost || u.username || u.password || u.port || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash)
    return undefined;
  return u.origin;
}

export interface ZoomTokenSourceOptions {
  oauthUrl: string;
  credentials: ZoomS2SCredentials;
  timeoutMs?: number;
  /** Renew this long before expiry, so a call never leaves with a token about to die. */
  refreshSkewSeconds?: number;
  now?: () => number;
  logger?: Logger;
  /** Told of every HTTP call this client makes (the worker's metrics). */
  observe?: VendorCallObserver;
}

/**
 * Server-to-Server OAuth (`grant_type=account_credentials`). One token per process, cached until
 * shortly before it expires; concurrent callers share one in-flight request (single flight), since
 * older Zoom behaviour revoked the previous token on every new one.
 */
export class ZoomTokenSource {
  readonly #http: AxiosInstance;
  readonly #creds: { accountId: string; clientId: string; clientSecret: Secret };
  readonly #skewMs: number;
  readonly #now: () => number;
  readonly #log?: Logger;
  #cached?: AccessToken;
  #inflight?: Promise<AccessToken>;
  /** How many tokens this source has fetched: observable so tests can prove single flight. */
  fetches = 0;

  constructor(opts: ZoomTokenSourceOptions) {
    this.#http = createHttp(opts.oauthUrl, opts.timeoutMs ?? 10_000, opts.observe);
    this.#creds = { ...opts.credentials, clientSecret: Secret.from(opts.credentials.clientSecret) };
    this.#skewMs = (opts.refreshSkewSeconds ?? 60) * 1000;
    this.#now = opts.now ?? Date.now;
    this.#log = opts.logger?.child({ vendor: 'zoom' });
  }

  async token(): Promise<AccessToken> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.expiresAt - this.#skewMs) return cached;
    return (this.#inflight ??= this.#fetch().finally(() => (this.#inflight = undefined)));
  }

  /** Drop `token` if it is still the cached one (a 401 told us it is dead). */
  invalidate(token: AccessToken): void {
    if (this.#cached === token) this.#cached = undefined;
  }

  async #fetch(): Promise<AccessToken> {
    this.fetches += 1;
    const basic = Buffer.from(`${this.#creds.clientId}:${this.#creds.clientSecret.reveal()}`).toString('base64');
    const res = await send(this.#http, 'zoom', {
      operation: 'zoom.oauthToken',
      method: 'POST',
      url: '',
      data: new URLSearchParams({ grant_type: 'account_credentials', account_id: this.#creds.accountId }).toString(),
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (res.status !== 200) throw zoomOAuthError(res);
    const body = parseBody(ZoomTokenResponse, res.data, 'zoom', 'zoom.oauthToken', res.status);
    const token: AccessToken = {
      value: new Secret(body.access_token),
      expiresAt: this.#now() + body.expires_in * 1000,
      scopes: body.scope.split(/\s+/).filter(Boolean),
      apiUrl: zoomApiHost(body.api_url),
    };
    if (body.api_url && !token.apiUrl)
      this.#log?.warn({ apiUrl: body.api_url.slice(0, 200) }, 'zoom token answer names an api_url that is not a Zoom https host; ignored');
    this.#log?.debug({ expiresInS: body.expires_in, scopes: token.scopes.length }, 'zoom token fetched');
    this.#cached = token;
    return token;
  }
}
