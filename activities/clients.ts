import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../src/config';
import type { TenantInput } from '../src/domain/tenant';
import { KoreClient } from '../src/integrations/kore/client';
import { KoreRateWindows } from '../src/integrations/kore/rate-windows';
import { koreBaseUrl } from '../src/integrations/kore/regions';
import { ZoomClient } from '../src/integrations/zoom/client';
import type { Secret } from '../src/secret';
import { resolveSecretRef, SecretUnavailable, type SecretField } from '../src/secret-store';
import type { VendorCallObserver } from '../src/integrations/http';

/**
 * Typed clients for a tenant, built from its secret references. Clients are kept per tenant and
 * credential so a Zoom token is fetched once per process, not once per activity. References are
 * resolved on every call (a rotated secret gets a new client), under the worker's own checks: the
 * allow-lists, the run's own tenant for `store:`, regular files only (src/secret-store.ts).
 */
export class TenantClients {
  readonly #cache = new Map<string, KoreClient | ZoomClient>();
  /** One count of Kore.ai calls per bot for the whole worker, whichever client made them. */
  readonly #koreWindows = new KoreRateWindows();

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    /** Told of every vendor call (the worker's metrics). */
    private readonly observe?: VendorCallObserver,
  ) {}

  async kore(t: TenantInput, app: 'bot' | 'admin' = 'bot'): Promise<KoreClient> {
    const creds = app === 'admin' ? t.kore.adminApp : t.kore;
    if (!creds) throw new Error(`tenant ${t.tenantId} has no Kore.ai Admin Console app`);
    const secret = await this.#secret(t, app === 'admin' ? 'kore.adminApp.clientSecret' : 'kore.clientSecret', creds.clientSecret);
    return this.#cached(
      `kore|${t.tenantId}|${app}|${creds.clientId}|${fingerprint(secret.reveal())}`,
      () =>
        new KoreClient({
          baseUrl: koreBaseUrl(t.kore.region, this.config.kore),
          credentials: { clientId: creds.clientId, clientSecret: secret },
          timeoutMs: this.config.http.timeoutMs,
          jwtTtlSeconds: this.config.kore.jwtTtlSeconds,
          jwtWithJti: this.config.kore.jwtWithJti,
          logger: this.logger,
          rateWindows: this.#koreWindows,
          observe: this.observe,
        }),
    ) as KoreClient;
  }

  async zoom(t: TenantInput): Promise<ZoomClient> {
    const secret = await this.#secret(t, 'zoom.clientSecret', t.zoom.clientSecret);
    return this.#cached(
      // Keyed by the S2S app, not the tenant: tenants sharing an app share one token (a new token
      // may revoke the previous one).
      `zoom|${t.zoom.accountId}|${t.zoom.clientId}|${fingerprint(secret.reveal())}`,
      () =>
        new ZoomClient({
          apiUrl: this.config.zoom.apiUrl,
          apiUrlExplicit: this.config.zoom.apiUrlExplicit,
          oauthUrl: this.config.zoom.oauthUrl,
          credentials: { accountId: t.zoom.accountId, clientId: t.zoom.clientId, clientSecret: secret },
          timeoutMs: this.config.http.timeoutMs,
          refreshSkewSeconds: this.config.zoom.tokenRefreshSkewSeconds,
          logger: this.logger,
          observe: this.observe,
        }),
    ) as ZoomClient;
  }

  /** The secret a reference names, for this run's tenant; why one is refused goes to the log, not the run. */
  async #secret(t: TenantInput, field: SecretField, ref: string): Promise<Secret> {
    try {
      return await resolveSecretRef(ref, { store: this.config.secrets.storeDir, tenantId: t.tenantId, policy: this.config.secrets, field });
    } catch (err) {
      if (err instanceof SecretUnavailable) this.logger.warn({ tenantId: t.tenantId, field, reason: err.reason }, 'secret reference refused');
      throw err;
    }
  }

  #cached(key: string, make: () => KoreClient | ZoomClient): KoreClient | ZoomClient {
    let c = this.#cache.get(key);
    if (!c) this.#cache.set(key, (c = make()));
    return c;
  }
}

/** A rotated secret gets a new client; the key never holds the secret itself. */
const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
