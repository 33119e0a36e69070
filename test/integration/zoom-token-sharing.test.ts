import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TenantClients } from '../../activities/clients';
import { loadConfig } from '../../src/config';
import { TenantInput } from '../../src/domain/tenant';
import { ZoomClient } from '../../src/integrations/zoom/client';
import { createLogger } from '../../src/log';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';

/**
 * One Zoom S2S app may serve several tenants (one account, several bots). A new token may revoke
 * the previous one, so the worker keeps one token per app, not per tenant. And the account's
 * api_url from the token answer is followed only to a Zoom host: the simulator's answer names a
 * loopback http URL, which must be ignored (the configured endpoint is used).
 */
let sims: Simulators;
let stateDir: string;
beforeAll(async () => {
  sims = await startSimulators();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-zoom-tokens-'));
  process.env.ZOOM_SHARED_APP_SECRET = 'zoom-shared-app-secret-5e1d';
  await new SimAdminClient(sims.admin).registerZoomAccount({
    accountId: 'acc-shared',
    clientId: 'zoom-shared',
    clientSecret: process.env.ZOOM_SHARED_APP_SECRET,
  });
});
afterAll(async () => {
  await sims?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
  delete process.env.ZOOM_SHARED_APP_SECRET;
});

const tenant = (tenantId: string) =>
  TenantInput.parse({
    tenantId,
    displayName: tenantId,
    kore: { region: 'us', botId: `st-${tenantId}`, clientId: `cs-${tenantId}`, clientSecret: 'env:ZOOM_SHARED_APP_SECRET' },
    zoom: { accountId: 'acc-shared', clientId: 'zoom-shared', clientSecret: 'env:ZOOM_SHARED_APP_SECRET' },
    agentTransfer: { option: 'agent-transfer-node', target: '+14155550123' },
    contacts: { owner: 'owner@acme.example' },
  });

it('two tenants on the same S2S app share one client and fetch one token between them', async () => {
  const config = loadConfig({ ...sims.env, ONBOARD_STATE_DIR: stateDir, ONBOARD_SECRET_ENV_NAMES: 'ZOOM_SHARED_APP_SECRET' });
  const clients = new TenantClients(config, createLogger({ name: 'zoom-tokens', level: 'warn' }));
  const [a, b] = [await clients.zoom(tenant('tenant-one')), await clients.zoom(tenant('tenant-two'))];
  await a.listFlows();
  await b.listFlows();
  expect(a).toBe(b);
  expect(a.tokens.fetches).toBe(1);
});

it("a token answer's api_url that is not a Zoom https host is ignored: calls go to the configured endpoint", async () => {
  const client = new ZoomClient({
    apiUrl: sims.zoom.apiUrl,
    apiUrlExplicit: false,
    oauthUrl: sims.zoom.oauthUrl,
    credentials: { accountId: 'acc-shared', clientId: 'zoom-shared', clientSecret: 'zoom-shared-app-secret-5e1d' },
  });
  const token = await client.tokens.token();
  expect(token.apiUrl).toBeUndefined();
  expect(Array.isArray(await client.listFlows())).toBe(true);
});
