import { KoreClient } from '../../src/integrations/kore/client';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { rejection } from '../support/fixtures';

/**
 * Export a golden bot, upload its files, and import only its GenAI settings into another bot, as
 * kore-api-more.md 3-4 describe (the way issue 15's automatic XO GPT step will): the target's
 * summary follows the golden bot's and nothing else changes; a default import replaces everything.
 */
let sims: Simulators;
let admin: SimAdminClient;
const SECRET = 'kore-bot-io-secret-7a1d';
const GOLDEN = 'st-golden-bot';
const TARGET = 'st-target-bot';
let bot: KoreClient;
let adminConsole: KoreClient;

beforeAll(async () => {
  sims = await startSimulators();
  sims.kore.world.publishDurationMs = 30;
  admin = new SimAdminClient(sims.admin);
  await admin.registerKoreApp({ clientId: 'cs-io-app', clientSecret: SECRET, botIds: [GOLDEN, TARGET], scopes: [KORE_SCOPES.botExport] });
  await admin.registerKoreApp({ clientId: 'cs-io-admin', clientSecret: SECRET, admin: true, scopes: [KORE_SCOPES.botImport] });
  await admin.setConversationSummary(GOLDEN, true);
  bot = new KoreClient({ baseUrl: sims.kore.url, credentials: { clientId: 'cs-io-app', clientSecret: SECRET }, timeoutMs: 3_000 });
  adminConsole = new KoreClient({ baseUrl: sims.kore.url, credentials: { clientId: 'cs-io-admin', clientSecret: SECRET }, timeoutMs: 3_000 });
});
afterAll(() => sims?.stop());

const until = async <T>(read: () => Promise<T>, done: (t: T) => boolean): Promise<T> => {
  for (let i = 0; i < 100; i++) {
    const t = await read();
    if (done(t)) return t;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('never finished');
};

async function exportOf(botId: string, exportOptions?: { settings: string[]; tasks: string[]; nlpData: string[] }) {
  const job = await bot.exportBot(botId, { exportOptions });
  expect(job).toMatchObject({ _id: expect.stringMatching(/^ber-/), status: 'pending' });
  const status = await until(
    () => bot.getExportStatus(botId),
    (s) => s.status === 'success',
  );
  return (await bot.downloadExport(status.downloadURL!)) as Record<string, unknown>;
}

it('imports only the GenAI settings of a golden bot: the summary follows it, the dialogs stay', async () => {
  const golden = await exportOf(GOLDEN);
  const files = {
    botDefinition: (await bot.uploadFile(JSON.stringify({ botDefinition: { name: 'Golden', dialogs: ['Golden Only'] } }), 'def.json')).fileId,
    configInfo: (await bot.uploadFile(JSON.stringify({ configInfo: golden.configInfo }), 'config.json')).fileId,
  };
  expect(sims.kore.world.bots.get(TARGET)?.summaryEnabled).toBe(false);
  const before = [...sims.kore.world.bots.get(TARGET)!.dialogs];
  const job = await adminConsole.importBot(TARGET, files, { nlpData: [], tasks: [], settings: ['genAIandLLMSettings'] });
  expect(job).toMatchObject({ _id: expect.stringMatching(/^bir-/), status: 'pending' });
  await until(
    () => adminConsole.getImportStatus(job._id),
    (s) => s.status === 'success',
  );
  expect(sims.kore.world.bots.get(TARGET)?.summaryEnabled).toBe(true);
  expect(sims.kore.world.bots.get(TARGET)?.dialogs).toEqual(before);
  // Verified as issue 15 asks: the target's own export now carries the golden settings.
  expect((await exportOf(TARGET, { settings: ['genAIandLLMSettings'], tasks: [], nlpData: [] })).configInfo).toEqual({
    settings: { genAIandLLMSettings: { summaryEnabled: true } },
  });
});

it('an empty golden bot switches the summary off; a default import (no options) replaces the dialogs too', async () => {
  const files = {
    botDefinition: (await bot.uploadFile(JSON.stringify({ botDefinition: { name: 'Empty', dialogs: ['Only This'] } }), 'def.json')).fileId,
    configInfo: (await bot.uploadFile(JSON.stringify({ configInfo: { settings: {} } }), 'config.json')).fileId,
  };
  const raw = await adminConsole.importBot(TARGET, files, { nlpData: [], tasks: [], settings: ['genAIandLLMSettings'] });
  await until(
    () => adminConsole.getImportStatus(raw._id),
    (s) => s.status === 'success',
  );
  expect(sims.kore.world.bots.get(TARGET)?.summaryEnabled).toBe(false);
  // What a default import does, through the raw world (our client always names every option list).
  const all = sims.kore.world.startImport(TARGET, { botDefinition: { name: 'x', dialogs: ['Only This'] }, configInfo: { settings: {} } });
  await new Promise((r) => setTimeout(r, 40));
  sims.kore.world.importStatus(all.id);
  expect(sims.kore.world.bots.get(TARGET)?.dialogs).toEqual(['Only This']);
});

it('import is for Admin Console apps only; a download URL off the Kore.ai host is not followed', async () => {
  const file = (await bot.uploadFile('{}', 'x.json')).fileId;
  expect(await rejection(() => bot.importBot(TARGET, { botDefinition: file, configInfo: file }, { nlpData: [], tasks: [], settings: [] }))).toMatchObject({
    kind: 'ScopeMissing',
  });
  expect(await rejection(() => bot.downloadExport('https://evil.example/file.json'))).toMatchObject({ kind: 'InvalidRequest' });
});
