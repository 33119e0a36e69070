import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TenantClients } from '../../activities/clients';
import { verifyBotPublished } from '../../activities/verifiers';
import { loadConfig } from '../../src/config';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { TenantInput } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';

/**
 * The publish verifier (a tenant with an Admin Console app): it takes only a publish asked for
 * after the step opened and finished successfully, and a failed one names the resource that failed.
 */
let sims: Simulators;
let admin: SimAdminClient;
let stateDir: string;
const SECRET = 'kore-admin-publish-secret-9c2e';
beforeAll(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.admin);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-publish-'));
  process.env.PUBLISH_TEST_SECRET = SECRET;
  sims.kore.world.publishDurationMs = 50;
});
afterAll(async () => {
  await sims?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
  delete process.env.PUBLISH_TEST_SECRET;
});

async function tenantWithAdminApp(n: string) {
  const t = TenantInput.parse({
    tenantId: `pub-${n}`,
    displayName: 'Publish Test',
    kore: {
      region: 'us',
      botId: `st-pub-${n}`,
      clientId: `cs-pub-${n}`,
      clientSecret: 'env:PUBLISH_TEST_SECRET',
      adminApp: { clientId: `cs-admin-pub-${n}`, clientSecret: 'env:PUBLISH_TEST_SECRET' },
    },
    zoom: { accountId: `acc-pub-${n}`, clientId: `zoom-pub-${n}`, clientSecret: 'env:PUBLISH_TEST_SECRET' },
    agentTransfer: { option: 'agent-transfer-node', target: '+14155550123' },
    contacts: { owner: 'owner@acme.example' },
  });
  await admin.registerKoreTenant({ clientId: t.kore.clientId, clientSecret: SECRET, botId: t.kore.botId });
  await admin.registerKoreApp({ clientId: t.kore.adminApp!.clientId, clientSecret: SECRET, admin: true, scopes: [KORE_SCOPES.botPublish] });
  return t;
}

const verify = (t: TenantInput, since: string) => {
  const config = loadConfig({ ...sims.env, ONBOARD_STATE_DIR: stateDir, ONBOARD_SECRET_ENV_NAMES: 'PUBLISH_TEST_SECRET' });
  const clients = new TenantClients(config, createLogger({ name: 'publish', level: 'warn' }));
  return verifyBotPublished(clients)({ tenant: t, since, evidence: {}, results: {}, skipped: [], stepId: 'publish-app', claim: {} });
};
const settled = () => new Promise((r) => setTimeout(r, 80));

it('no publish at all: publish the app', async () => {
  const t = await tenantWithAdminApp('none');
  expect(await verify(t, new Date().toISOString())).toEqual({
    ok: false,
    message: 'Kore.ai has no publish for this bot; publish the app (Deploy > Publish) and complete the step again',
  });
});

it('a publish asked for before the step opened does not count; one after it does', async () => {
  const t = await tenantWithAdminApp('stale');
  await admin.publishKoreBot(t.kore.botId, 'early');
  await settled();
  const later = new Date(Date.now() + 5 * 60_000).toISOString();
  const stale = await verify(t, later);
  expect(stale.ok).toBe(false);
  expect(!stale.ok && stale.message).toMatch(
    /^the last publish Kore\.ai reports was asked for at \S+, before this step opened \(\S+\), so it does not hold the setup done since: publish again/,
  );
  const fresh = await verify(t, new Date(Date.now() - 1000).toISOString());
  expect(fresh).toMatchObject({ ok: true, result: { publishStatus: 'successful', requestedTime: expect.any(String) } });
});

it('a publish that failed on the SIP trunk says so, and where to look', async () => {
  const t = await tenantWithAdminApp('sip');
  await admin.publishKoreBot(t.kore.botId, 'go', { failOn: 'SIPTRUNK' });
  await settled();
  expect(await verify(t, new Date(Date.now() - 1000).toISOString())).toEqual({
    ok: false,
    message:
      'Kore.ai reports the last publish failed on SIPTRUNK: check the SIP trunk (step configure-sip-trunk: FQDN, DID, srv, TLS), then publish again; if it fails again on the SIP trunk, Kore.ai Support must look at it',
  });
  // Nothing went live with it.
  expect((await admin.koreBotSetup(t.kore.botId)).live).toBeNull();
});
