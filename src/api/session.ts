import { hkdfSync, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Principal, TokenBook } from './auth';

/**
 * A short-lived session cookie, for the one caller that cannot send a bearer token: the Temporal
 * Web UI calling our codec endpoint with "include cross-origin credentials". The dashboard sets it
 * when a person signs in with their token. It carries a signed {name, role}, never the token; the
 * signing key is derived from the payload key, so every API replica with the same keys accepts it.
 *
 * A session must say when it was issued and when it ends, and last no longer than SESSION_HOURS
 * (a cookie signed without `exp`, or for ten years, is refused even with the right key). Signing
 * out ends it here, not only in the browser: its id is remembered as revoked until it would have
 * expired anyway, and a person's sign-out with their token ends every session of that token (a
 * per-token generation the session carries). Both live in this process's memory: a restart, or
 * another replica, does not know of a sign-out (see SECURITY.md).
 */
export const SESSION_COOKIE = 'onboard_session';
export const SESSION_HOURS = 8;
const SESSION_SECONDS = SESSION_HOURS * 3600;
const ISSUER = 'kore-zcc-onboarding';
/** Revoked session ids remembered at once; past it, a sign-out ends all of that token's sessions instead. */
export const MAX_REVOKED_SESSIONS = 50_000;
const Claims = z.object({
  fp: z.string().regex(/^[0-9a-f]{16}$/),
  jti: z.string().min(1).max(100),
  iat: z.number(),
  exp: z.number(),
  gen: z.number().int().min(0).default(0),
});
type Claims = z.infer<typeof Claims>;

export class Sessions {
  readonly #key: Uint8Array;
  /** Session id -> its exp (seconds): signed out, refused until then. */
  readonly #revoked = new Map<string, number>();
  /** Token fingerprint -> generation: sessions of an older generation were signed out. */
  readonly #generation = new Map<string, number>();

  constructor(
    payloadKey: Buffer,
    private readonly tokens: TokenBook,
    private readonly maxRevoked = MAX_REVOKED_SESSIONS,
  ) {
    this.#key = new Uint8Array(hkdfSync('sha256', payloadKey, 'kore-zcc-onboarding', 'api-session-v1', 32));
  }

  /** A session for a known token; undefined for any other. */
  async issue(token: string): Promise<string | undefined> {
    const fp = this.tokens.fingerprint(token);
    if (!fp) return undefined;
    return new SignJWT({ fp, gen: this.#generation.get(fp) ?? 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${SESSION_HOURS}h`)
      .sign(this.#key);
  }

  /** The person of a valid, unexpired, not signed-out session whose token is still in the book; undefined otherwise. */
  async verify(jwt: string): Promise<Principal | undefined> {
    const c = await this.#claims(jwt);
    return c ? this.tokens.byFingerprint(c.fp) : undefined;
  }

  /** Sign-out of one session (the cookie the browser sent): refused from now on. */
  async revoke(jwt: string): Promise<boolean> {
    const c = await this.#claims(jwt);
    if (!c) return false;
    this.#prune();
    if (this.#revoked.size >= this.maxRevoked) this.#bump(c.fp);
    else this.#revoked.set(c.jti, c.exp);
    return true;
  }

  /** Sign-out of every session issued for this token so far; a new sign-in works at once. */
  endAll(token: string): boolean {
    const fp = this.tokens.fingerprint(token);
    if (fp) this.#bump(fp);
    return Boolean(fp);
  }

  cookie(jwt: string, secure: boolean): string {
    // Path=/codec: the cookie authorises payload decoding only, never the rest of the API (no CSRF surface).
    return `${SESSION_COOKIE}=${jwt}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
  }

  /** The header that removes the cookie from the browser. */
  static clearCookie(secure: boolean): string {
    return `${SESSION_COOKIE}=; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
  }

  async #claims(jwt: string): Promise<Claims | undefined> {
    try {
      // exp, iat and jti must be there; iat not in the future and at most a session length ago
      // (5 s of leeway for replicas whose clocks differ a little).
      const { payload } = await jwtVerify(jwt, this.#key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'jti'],
        maxTokenAge: SESSION_SECONDS,
        clockTolerance: 5,
      });
      const c = Claims.safeParse(payload);
      if (!c.success) return undefined;
      // No session lasts longer than a sign-in gives, whoever signed it.
      if (c.data.exp - c.data.iat > SESSION_SECONDS) return undefined;
      if (this.#revoked.has(c.data.jti)) return undefined;
      if (c.data.gen !== (this.#generation.get(c.data.fp) ?? 0)) return undefined;
      return c.data;
    } catch {
      return undefined;
    }
  }

  #bump(fp: string): void {
    this.#generation.set(fp, (this.#generation.get(fp) ?? 0) + 1);
  }

  #prune(): void {
    const now = Math.floor(Date.now() / 1000);
    for (const [jti, exp] of this.#revoked) if (exp <= now) this.#revoked.delete(jti);
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
