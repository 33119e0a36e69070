import { hkdfSync } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Principal, TokenBook } from './auth';

/**
 * A short-lived session cookie, for the one caller that cannot send a bearer token: the Temporal
 * Web UI calling our codec endpoint with "include cross-origin credentials". The dashboard sets it
 * when a person signs in with their token. It carries a signed {name, role}, never the token; the
 * signing key is derived from the payload key, so every API replica with the same keys accepts it.
 */
export const SESSION_COOKIE = 'onboard_session';
export const SESSION_HOURS = 8;
const ISSUER = 'kore-zcc-onboarding';
const Claims = z.object({ fp: z.string().regex(/^[0-9a-f]{16}$/) });

export class Sessions {
  readonly #key: Uint8Array;

  constructor(
    payloadKey: Buffer,
    private readonly tokens: TokenBook,
  ) {
    this.#key = new Uint8Array(hkdfSync('sha256', payloadKey, 'kore-zcc-onboarding', 'api-session-v1', 32));
  }

  /** A session for a known token; undefined for any other. */
  async issue(token: string): Promise<string | undefined> {
    const fp = this.tokens.fingerprint(token);
    if (!fp) return undefined;
    return new SignJWT({ fp }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setIssuedAt().setExpirationTime(`${SESSION_HOURS}h`).sign(this.#key);
  }

  /** The person of a valid, unexpired session whose token is still in the book; undefined otherwise. */
  async verify(jwt: string): Promise<Principal | undefined> {
    try {
      const { payload } = await jwtVerify(jwt, this.#key, { issuer: ISSUER, algorithms: ['HS256'] });
      const c = Claims.safeParse(payload);
      return c.success ? this.tokens.byFingerprint(c.data.fp) : undefined;
    } catch {
      return undefined;
    }
  }

  cookie(jwt: string, secure: boolean): string {
    // Path=/codec: the cookie authorises payload decoding only, never the rest of the API (no CSRF surface).
    return `${SESSION_COOKIE}=${jwt}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}${secure ? '; Secure' : ''}`;
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
