import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Bearer tokens mapped to a person and a role. Configured as JSON, in ONBOARD_API_TOKENS or the
 * file ONBOARD_API_TOKENS_FILE: `[{"name": "Pat Lee", "role": "engineer", "token": "..."}]`, where
 * `tokenSha256` (hex) may stand instead of `token` so the file holds no usable secret. `tenants`
 * scopes a token to those tenants (a customer's admin doing the console steps): it sees and acts
 * on them only, and every other tenant is "not found" to it. Without it, a token sees every tenant.
 */
export const ROLES = ['viewer', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 0, engineer: 1, admin: 2 };

export const TokenEntry = z
  .object({
    name: z.string().trim().min(1, 'is required').max(120),
    role: z.enum(ROLES, { error: 'must be viewer, engineer or admin' }),
    token: z.string().min(16, 'must be at least 16 characters').optional(),
    tokenSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits')
      .optional(),
    tenants: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'is not a tenant id'))
      .min(1, 'names no tenant (leave it out for a token that sees every tenant)')
      .optional(),
  })
  .refine((e) => Boolean(e.token) !== Boolean(e.tokenSha256), 'give exactly one of token or tokenSha256');
export const TokenBookFile = z.array(TokenEntry);

export interface Principal {
  name: string;
  role: Role;
  /** The only tenants this token sees and acts on; absent: every tenant. */
  tenants?: string[];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export class TokenBook {
  readonly #entries: Array<{ digest: Buffer; principal: Principal }>;

  constructor(entries: z.infer<typeof TokenBookFile>) {
    this.#entries = entries.map((e) => ({
      digest: e.token ? sha256(e.token) : Buffer.from(e.tokenSha256!, 'hex'),
      principal: { name: e.name, role: e.role, ...(e.tenants ? { tenants: [...new Set(e.tenants)] } : {}) },
    }));
  }

  static parse(json: string, source: string): TokenBook {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (err) {
      throw new Error(`${source}: not JSON (${(err as Error).message})`);
    }
    const r = TokenBookFile.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new Error(`${source}: [${i.path.join('.')}] ${i.message}`);
    }
    return new TokenBook(r.data);
  }

  static fromConfig(api: { tokens?: string; tokensFile?: string }): TokenBook {
    if (api.tokens) return TokenBook.parse(api.tokens, 'ONBOARD_API_TOKENS');
    if (api.tokensFile) return TokenBook.parse(fs.readFileSync(api.tokensFile, 'utf8'), api.tokensFile);
    return new TokenBook([]);
  }

  get size(): number {
    return this.#entries.length;
  }

  /** A short public handle of a known token (the first 8 bytes of its SHA-256), for sessions. */
  fingerprint(token: string): string | undefined {
    return this.find(token) ? sha256(token).subarray(0, 8).toString('hex') : undefined;
  }

  /** The person a fingerprint stands for, as the book says now (gone once the token is removed). */
  byFingerprint(fp: string): Principal | undefined {
    return this.#entries.find((e) => e.digest.subarray(0, 8).toString('hex') === fp)?.principal;
  }

  /** Constant-time over each entry, so timing tells nothing about which token came close. */
  find(token: string): Principal | undefined {
    const digest = sha256(token);
    let found: Principal | undefined;
    for (const e of this.#entries) if (timingSafeEqual(e.digest, digest)) found = e.principal;
    return found;
  }
}

export const allows = (p: Principal, needed: Role) => RANK[p.role] >= RANK[needed];

/** Whether the token may see and act on this tenant. */
export const seesTenant = (p: Principal, tenantId: string) => !p.tenants || p.tenants.includes(tenantId);

/** `onboard dev`: a local engineer token, created once under the state dir (mode 0600). */
export function devTokens(stateDir: string): { file: string; token: string } {
  const file = path.join(stateDir, 'dev-tokens.json');
  if (fs.existsSync(file)) {
    const entries = TokenBookFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    const engineer = entries.find((e) => e.role === 'engineer' && e.token);
    if (engineer?.token) return { file, token: engineer.token };
  }
  const token = `dev-${randomBytes(24).toString('base64url')}`;
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify([{ name: 'local engineer', role: 'engineer', token }], null, 2), { mode: 0o600 });
  return { file, token };
}
