import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Secret } from '../../secret';

export interface KoreJwtOptions {
  clientId: string;
  clientSecret: Secret;
  /** Kore accepts any subject for API tokens; we name ourselves so the audit trail says who called. */
  subject?: string;
  ttlSeconds: number;
  /** Apps with "Enforce JTI" reject tokens without one; a fresh one per call is always safe. */
  withJti: boolean;
}

/**
 * The self-signed app token Kore.ai expects in the `auth` header: HS256 over
 * `{ sub, appId }` with the app's Client Secret. A new token per request, so a `jti` is never reused.
 */
export async function signKoreJwt(opts: KoreJwtOptions): Promise<string> {
  const jwt = new SignJWT({ appId: opts.clientId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.subject ?? 'kore-zcc-onboarding')
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds}s`);
  if (opts.withJti) jwt.setJti(randomUUID());
  return jwt.sign(new TextEncoder().encode(opts.clientSecret.reveal()));
}
