import { KoreClient } from '../../src/integrations/kore/client';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { ZoomClient } from '../../src/integrations/zoom/client';
import { createLogger } from '../../src/log';
import { startSimulators, type Simulators } from '../../src/sim';

/**
 * The credentials every test tenant uses. They are distinctive on purpose: the leak test searches
 * the suite's logs, errors and histories for each of them.
 */
export const TEST_SECRETS = {
  koreClientSecret: 'kore-SECRET-9f3a1c7e5b2d4a60',
  zoomClientSecret: 'zoom-SECRET-4e8b2a6c1d9f3e70',
  koreAdminSecret: 'kore-ADMIN-SECRET-1a2b3c4d5e6f',
} as const;

export const TENANT = {
  kore: { clientId: 'cs-0a1b2c3d-test', botId: 'st-5e6f7a8b-test', botName: 'Acme Voice Bot' },
  zoom: { accountId: 'acc-acme-test', clientId: 'zoomclient-acme' },
  koreAdmin: { clientId: 'cs-admin-acme-test' },
} as const;

export interface World {
  sims: Simulators;
  kore: KoreClient;
  zoom: ZoomClient;
  stop(): Promise<void>;
}

/** Simulators seeded with one tenant, and clients pointed at them (as ONBOARD_* overrides would). */
export async function startWorld(opts: { tokenTtlSeconds?: number; koreScopes?: string[] } = {}): Promise<World> {
  const sims = await startSimulators();
  const logger = createLogger({ name: 'test' });
  sims.kore.world.addTenant({
    clientId: TENANT.kore.clientId,
    clientSecret: TEST_SECRETS.koreClientSecret,
    botId: TENANT.kore.botId,
    botName: TENANT.kore.botName,
    scopes: opts.koreScopes ?? [KORE_SCOPES.botSessions, KORE_SCOPES.chatHistory, KORE_SCOPES.conversationSummary],
  });
  sims.zoom.world.addAccount({
    accountId: TENANT.zoom.accountId,
    clientId: TENANT.zoom.clientId,
    clientSecret: TEST_SECRETS.zoomClientSecret,
    tokenTtlSeconds: opts.tokenTtlSeconds,
  });
  const kore = new KoreClient({
    baseUrl: sims.kore.url,
    credentials: { clientId: TENANT.kore.clientId, clientSecret: TEST_SECRETS.koreClientSecret },
    timeoutMs: 3_000,
    logger,
  });
  const zoom = new ZoomClient({
    apiUrl: sims.zoom.apiUrl,
    oauthUrl: sims.zoom.oauthUrl,
    credentials: { accountId: TENANT.zoom.accountId, clientId: TENANT.zoom.clientId, clientSecret: TEST_SECRETS.zoomClientSecret },
    timeoutMs: 3_000,
    logger,
  });
  return { sims, kore, zoom, stop: () => sims.stop() };
}

/** Runs `fn`, expecting it to reject; returns the error (and logs it, as an activity would). */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    const log = createLogger({ name: 'test-errors' });
    log.error({ err }, 'expected failure');
    return err;
  }
  throw new Error('expected a rejection, but the call succeeded');
}
