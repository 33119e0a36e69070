import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { TenantClients } from '../../activities/clients';
import { importGenAiSettings } from '../../activities/genai-import';
import { publishKoreApp, publishZccFlow } from '../../activities/publish';
import { loadConfig } from '../../src/config';
import type { AutoResult, StepActivityInput } from '../../src/domain/activity-contract';
import { TenantInput } from '../../src/domain/tenant';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { ZOOM_VERIFY_SCOPES } from '../../src/integrations/zoom/scopes';
import { createLogger } from '../../src/log';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';

/**
 * Issue 15's vendor jobs as activities, run in a real MockActivityEnvironment against the
 * simulators: the Kore.ai publish, the ZCC flow's publish and the GenAI settings import from a
 * golden bot. Each is idempotent under a `dropAnswer` fault (the vendor acts, the answer is lost):
 * the retry finds the work done and does not ask the vendor again, counted at the simulator.
 */
let sims: Simulators;
let admin: SimAdminClient;
let stateDir: string;
let clients: TenantClients;
const SECRET = 'vendor-jobs-secret-5b8e';
const FLOW_WRITE = 'contact_center_flow:write:admin';
const PUBLISH = '/api/public/bot/:botId/publish';
const IMPORT = '/api/public/bot/:botId/import';
const FLOW_PUBLISH = '/v2/contact_center/flows/:flowId/publish';
const fast = { initialMs: 20, maxMs: 100 };
// The SDK's default logger would print each expected failure with its whole request object.
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.admin);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-vendor-jobs-'));
  process.env.VENDOR_JOBS_SECRET = SECRET;
  sims.kore.world.publishDurationMs = 60;
  const config = loadConfig({ ...sims.env, ONBOARD_STATE_DIR: stateDir, ONBOARD_SECRET_ENV_NAMES: 'VENDOR_JOBS_SECRET' });
  clients = new TenantClients(config, createLogger({ name: 'vendor-jobs', level: 'silent' }));
});
afterAll(async () => {
  await sims?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
  delete process.env.VENDOR_JOBS_SECRET;
});
afterEach(() => sims.kore.faults.clear());

async function tenant(n: string, opts: { golden?: boolean; goldenSummary?: boolean } = {}) {
  const t = TenantInput.parse({
    tenantId: `jobs-${n}`,
    displayName: 'Vendor Jobs',
    kore: {
      region: 'us',
      botId: `st-jobs-${n}`,
      clientId: `cs-jobs-${n}`,
      clientSecret: 'env:VENDOR_JOBS_SECRET',
      adminApp: { clientId: `cs-admin-jobs-${n}`, clientSecret: 'env:VENDOR_JOBS_SECRET' },
      ...(opts.golden ? { goldenBotId: `st-golden-${n}` } : {}),
    },
    zoom: { accountId: `acc-jobs-${n}`, clientId: `zoom-jobs-${n}`, clientSecret: 'env:VENDOR_JOBS_SECRET' },
    agentTransfer: { option: 'agent-transfer-node', target: '+14155550123' },
    contacts: { owner: 'owner@acme.example' },
  });
  await admin.registerKoreTenant({ clientId: t.kore.clientId, clientSecret: SECRET, botId: t.kore.botId });
  await admin.registerKoreApp({
    clientId: t.kore.adminApp!.clientId,
    clientSecret: SECRET,
    admin: true,
    scopes: [KORE_SCOPES.botPublish, KORE_SCOPES.botExport, KORE_SCOPES.botImport],
  });
  if (opts.golden) {
    await admin.registerKoreApp({ clientId: `cs-golden-${n}`, clientSecret: SECRET, botIds: [t.kore.goldenBotId!] });
    await admin.setConversationSummary(t.kore.goldenBotId!, opts.goldenSummary ?? true);
  }
  await admin.registerZoomAccount({
    accountId: t.zoom.accountId,
    clientId: t.zoom.clientId,
    clientSecret: SECRET,
    scopes: [...ZOOM_VERIFY_SCOPES, FLOW_WRITE],
  });
  return t;
}

const input = (t: TenantInput, extra: Partial<StepActivityInput> = {}): StepActivityInput => ({
  tenant: t,
  since: new Date(Date.now() - 1000).toISOString(),
  evidence: {},
  results: {},
  skipped: [],
  ...extra,
});

/** One attempt in a mock activity context: its answer or failure, and every heartbeat it sent. */
async function attempt(fn: (i: StepActivityInput) => Promise<AutoResult>, i: StepActivityInput, info: { heartbeatDetails?: unknown; attempt?: number } = {}) {
  const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 20_000, ...info }, { logger: quiet });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  try {
    return { result: await env.run(fn, i), heartbeats, error: undefined };
  } catch (error) {
    return { result: undefined, heartbeats, error: error as Error & { type?: string; nonRetryable?: boolean } };
  }
}

describe('publishKoreApp', () => {
  const publish = () => publishKoreApp(clients, fast);

  it('publishes and polls the job to the end, heartbeating its progress', async () => {
    const t = await tenant('pub-ok');
    const before = sims.kore.calls.count('POST', PUBLISH);
    const { result, heartbeats, error } = await attempt(publish(), input(t));
    expect(error).toBeUndefined();
    expect(result).toMatchObject({
      status: 'done',
      result: {
        publishStatus: 'successful',
        requestedTime: expect.any(String),
        published: expect.arrayContaining([{ resourceType: 'dialog', status: 'SUCCESS', state: 'published' }]),
      },
    });
    expect(sims.kore.calls.count('POST', PUBLISH) - before).toBe(1);
    expect(heartbeats).toContainEqual(expect.objectContaining({ phase: 'polling', status: 'successful', percentageComplete: 100 }));
    expect((await admin.koreBotSetup(t.kore.botId)).published).toBe(true);
  });

  it('a publish whose answer was lost is not asked for again: the retry polls the same job', async () => {
    const t = await tenant('pub-drop');
    const before = sims.kore.calls.count('POST', PUBLISH);
    await admin.addFault('kore', { method: 'POST', path: PUBLISH, dropAnswer: true, count: 1 });
    const i = input(t);
    const first = await attempt(publish(), i);
    expect(first.error).toMatchObject({ type: 'Transient', nonRetryable: false });
    const retry = await attempt(publish(), i, { heartbeatDetails: first.heartbeats.at(-1), attempt: 2 });
    expect(retry.result).toMatchObject({ status: 'done', result: { publishStatus: 'successful', published: expect.stringMatching(/not asked again/) } });
    expect(sims.kore.calls.count('POST', PUBLISH) - before).toBe(1);
  });

  it('a publish asked for before the step opened does not count: the step publishes', async () => {
    const t = await tenant('pub-old');
    await admin.publishKoreBot(t.kore.botId, 'earlier');
    await new Promise((r) => setTimeout(r, 100));
    const before = sims.kore.calls.count('POST', PUBLISH);
    const { result } = await attempt(publish(), input(t, { since: new Date().toISOString() }));
    expect(result).toMatchObject({ status: 'done', result: { publishStatus: 'successful' } });
    expect(sims.kore.calls.count('POST', PUBLISH) - before).toBe(1);
  });

  it('a publish that fails at Kore.ai on the SIP trunk is a non-retryable failure in the vendor words', async () => {
    const t = await tenant('pub-sip');
    const i = input(t);
    // Publishing (a person pressed Publish as the step opened): this step polls that job instead of asking again.
    await admin.publishKoreBot(t.kore.botId, 'go', { failOn: 'SIPTRUNK' });
    const before = sims.kore.calls.count('POST', PUBLISH);
    const { error } = await attempt(publish(), i);
    expect(error).toMatchObject({ type: 'PublishFailed', nonRetryable: true });
    expect(error!.message).toMatch(
      /^Kore\.ai reports the publish asked for at \S+ failed on SIPTRUNK: check the SIP trunk \(step configure-sip-trunk: FQDN, DID, srv, TLS\), then publish again; if it fails again on the SIP trunk, Kore\.ai Support must look at it$/,
    );
    expect(sims.kore.calls.count('POST', PUBLISH) - before).toBe(0);
  });
});

describe('publishZccFlow', () => {
  async function routed(n: string, status: 'draft' | 'published') {
    const t = await tenant(n);
    const flow = await admin.addFlow({ accountId: t.zoom.accountId, flowName: `Kore ${n}`, status });
    const i = input(t, {
      evidence: { 'route-zcc-flow-to-connector': { flowName: flow.flow_name } },
      results: { 'route-zcc-flow-to-connector': { flowId: flow.flow_id } },
    });
    return { t, flow, i };
  }
  const zoomPublishes = () => sims.zoom.calls.count('PUT', FLOW_PUBLISH);

  it('publishes a draft flow once and reads it back', async () => {
    const { flow, i } = await routed('flow-draft', 'draft');
    const before = zoomPublishes();
    const { result, error } = await attempt(publishZccFlow(clients), i);
    expect(error).toBeUndefined();
    expect(result).toEqual({
      status: 'done',
      result: expect.objectContaining({ flowId: flow.flow_id, status: 'published', publishedNow: true, flowVersion: expect.any(Number) }),
    });
    expect(zoomPublishes() - before).toBe(1);
  });

  it('an already published flow is done without a publish call', async () => {
    const { flow, i } = await routed('flow-live', 'published');
    const before = zoomPublishes();
    const { result } = await attempt(publishZccFlow(clients), i);
    expect(result).toMatchObject({ status: 'done', result: { flowId: flow.flow_id, status: 'published', publishedNow: false } });
    expect(zoomPublishes() - before).toBe(0);
  });

  it('a publish whose answer was lost is one effect: the retry finds the flow published', async () => {
    const { flow, i } = await routed('flow-drop', 'draft');
    const before = zoomPublishes();
    await admin.addFault('zoom', { method: 'PUT', path: FLOW_PUBLISH, dropAnswer: true, count: 1 });
    const first = await attempt(publishZccFlow(clients), i);
    expect(first.error).toMatchObject({ type: 'Transient' });
    const retry = await attempt(publishZccFlow(clients), i, { attempt: 2 });
    expect(retry.result).toMatchObject({ status: 'done', result: { flowId: flow.flow_id, status: 'published', publishedNow: false } });
    expect(zoomPublishes() - before).toBe(1);
    sims.zoom.faults.clear();
  });

  it('without flow:write the ScopeMissing failure passes through (the workflow makes it the human step)', async () => {
    const { t, i } = await routed('flow-noscope', 'draft');
    await admin.removeZoomScope(t.zoom.accountId, FLOW_WRITE);
    const { error } = await attempt(publishZccFlow(clients), i);
    expect(error).toMatchObject({ type: 'ScopeMissing', nonRetryable: true });
  });
});

describe('importGenAiSettings', () => {
  const importer = () => importGenAiSettings(clients, { poll: fast, lostImportGraceMs: 3_000 });
  const imports = () => sims.kore.calls.count('POST', IMPORT);
  const summaryOf = (botId: string) => sims.kore.world.bots.get(botId)?.summaryEnabled;

  it("the target's summary follows the golden bot; the backup export is in the result; only the GenAI settings are imported", async () => {
    const t = await tenant('gen-ok', { golden: true });
    const dialogs = [...sims.kore.world.bots.get(t.kore.botId)!.dialogs];
    expect(summaryOf(t.kore.botId)).toBe(false);
    const before = imports();
    const { result, heartbeats, error } = await attempt(importer(), input(t));
    expect(error).toBeUndefined();
    expect(result).toMatchObject({
      status: 'done',
      result: {
        importId: expect.stringMatching(/^bir-/),
        importStatus: 'success',
        goldenBotId: t.kore.goldenBotId,
        backup: { exportId: expect.stringMatching(/^ber-/), fileId: expect.any(String) },
      },
    });
    expect(summaryOf(t.kore.botId)).toBe(true);
    expect(sims.kore.world.bots.get(t.kore.botId)!.dialogs).toEqual(dialogs);
    expect(imports() - before).toBe(1);
    expect(heartbeats).toContainEqual(expect.objectContaining({ importId: expect.stringMatching(/^bir-/), progress: { importStatus: 'success' } }));
    // The export's signed download URL never leaves the activity (not in the result, progress or history).
    expect(JSON.stringify(result)).not.toMatch(/downloadURL|\/api\/public\/files\//);
    // The backup is the target's full export as it was: summary off.
    const backup = (result as { result: { backup: { fileId: string } } }).result.backup;
    expect(JSON.parse(sims.kore.world.files.get(backup.fileId)!.content)).toMatchObject({
      configInfo: { settings: { genAIandLLMSettings: { summaryEnabled: false } } },
    });
    // Every option list but settings was named empty.
    const job = [...sims.kore.world.imports.values()].find((j) => j.botId === t.kore.botId)!;
    expect(job.options).toEqual({ settings: ['genAIandLLMSettings'], tasks: [], nlpData: [], AgentAssist: [], qualityAI: [] });
  });

  it('an empty golden bot switches the summary off', async () => {
    const t = await tenant('gen-off', { golden: true, goldenSummary: false });
    await admin.setConversationSummary(t.kore.botId, true);
    const { result } = await attempt(importer(), input(t));
    expect(result).toMatchObject({ status: 'done', result: { importStatus: 'success' } });
    expect(summaryOf(t.kore.botId)).toBe(false);
  });

  it('an import whose answer was lost is not asked for again: the retry, with the first attempt heartbeat, finds it applied', async () => {
    const t = await tenant('gen-drop', { golden: true });
    const before = imports();
    await admin.addFault('kore', { method: 'POST', path: IMPORT, dropAnswer: true, count: 1 });
    const first = await attempt(importer(), input(t));
    expect(first.error).toMatchObject({ type: 'Transient' });
    const last = first.heartbeats.at(-1) as { importRequestedAt?: string; importId?: string; backup?: unknown };
    expect(last).toMatchObject({ importRequestedAt: expect.any(String), backup: { fileId: expect.any(String) } });
    expect(last.importId).toBeUndefined();
    const exportsFrom = Date.now();
    const retry = await attempt(importer(), input(t), { heartbeatDetails: last, attempt: 2 });
    expect(retry.error).toBeUndefined();
    expect(retry.result).toMatchObject({
      status: 'done',
      result: { importId: null, importStatus: 'success', backup: last.backup, note: expect.stringMatching(/answer was lost/) },
    });
    expect(imports() - before).toBe(1);
    expect(summaryOf(t.kore.botId)).toBe(true);
    // The retry made no second backup nor golden export: only the target's settings, to verify.
    const exportedBots = sims.kore.calls
      .timeline()
      .filter((c) => c.method === 'POST' && c.route === '/api/public/bot/:botId/export' && c.at >= exportsFrom)
      .map((c) => c.client);
    expect(new Set(exportedBots)).toEqual(new Set([`bot:${t.kore.botId}`]));
  });

  it('a retry that knows the import id polls it instead of importing again (an attempt lost after Kore.ai answered)', async () => {
    const t = await tenant('gen-resume', { golden: true });
    const before = imports();
    const first = await attempt(importer(), input(t));
    expect(first.result).toMatchObject({ status: 'done' });
    // The worker died once it had heard the import id: the heartbeat it left is where the retry starts.
    const heard = first.heartbeats.find((h) => (h as { importId?: string }).importId !== undefined);
    const retry = await attempt(importer(), input(t), { heartbeatDetails: heard, attempt: 2 });
    expect(retry.result).toMatchObject({ status: 'done', result: { importId: (heard as { importId: string }).importId, importStatus: 'success' } });
    expect(imports() - before).toBe(1);
  });

  it('a retry with no checkpoint at all (heartbeats are throttled: the worker died before one reached the server) finds the settings in the target and imports nothing', async () => {
    const t = await tenant('gen-nocheckpoint', { golden: true });
    const before = imports();
    expect((await attempt(importer(), input(t))).result).toMatchObject({ status: 'done' });
    const retry = await attempt(importer(), input(t), { attempt: 2 });
    expect(retry.result).toMatchObject({
      status: 'done',
      result: { importId: null, note: expect.stringMatching(/already carries the golden bot's GenAI settings/) },
    });
    expect(imports() - before).toBe(1);
    expect(summaryOf(t.kore.botId)).toBe(true);
  });

  it('a tenant without a golden bot is told what to name', async () => {
    const t = await tenant('gen-none');
    const { error } = await attempt(importer(), input(t));
    expect(error).toMatchObject({ type: 'InvalidRequest', nonRetryable: true, message: expect.stringMatching(/kore\.goldenBotId/) });
  });
});
