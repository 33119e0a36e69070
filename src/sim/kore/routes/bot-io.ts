import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KORE_SCOPES } from '../../../integrations/kore/scopes';
import { requireAdminApp, type Guarded } from '../auth';
import { bodyOf, fail, invalidArgs } from '../errors';
import type { KoreWorld } from '../world';

/**
 * Bot export, file upload and import into an existing bot (kore-api-more.md 3 and 4 [D
 * bot-export, upload-file, import-bot-into-an-existing-bot, bot-import-status]). Documented: the
 * paths, the job ids (`ber-`, `bir-`), `pending` then `success`, import for Admin Console apps
 * only, the option lists, that a default import (no `importOptions`) brings everything and that
 * importing `genAIandLLMSettings` replaces the bot's GenAI feature mappings. Scopes as kore-api-more.md
 * 1 names them: Bot Export (a bot app may hold it), Bot Import (Admin Console apps), none for the
 * upload. Assumed: the file's layout, the `fileId` field of the upload answer (inferred there) and
 * the download route.
 */
export interface BotFile {
  botDefinition?: { name: string; dialogs: string[] };
  configInfo?: { settings: { genAIandLLMSettings?: { summaryEnabled: boolean } } };
}

const id = (prefix: string) => `${prefix}-${randomBytes(8).toString('hex')}`;
const SETTINGS = ['botSettings', 'botVariables', 'ivrSettings', 'genAIandLLMSettings'] as const;
/** The option lists and their documented values: export (kore-api-more.md 3) and import (4) differ. */
const AGENT_AI = ['rules', 'playbooks', 'widgetSettings', 'layoutSettings'];
const EXPORT_LISTS: Record<string, readonly string[] | undefined> = {
  settings: SETTINGS,
  tasks: ['botTask', 'knowledgeGraph', 'smallTalk'],
  nlpData: ['utterances', 'patterns', 'traits', 'rules', 'concepts', 'synonyms', 'standardResponses', 'nlpSettings'],
  AgentAI: AGENT_AI,
  AgentAssist: AGENT_AI,
};
const IMPORT_LISTS: Record<string, readonly string[] | undefined> = {
  settings: SETTINGS,
  tasks: ['smallTalk', 'knowledgeGraph', 'forms', 'botTask'],
  AgentAssist: ['rules', 'playbooks'],
  qualityAI: ['taxonomy', 'connectors', 'autoQA'],
};

/** A value outside an option list's documented values is refused (412), never ignored. */
function checkLists(options: unknown, lists: Record<string, readonly string[] | undefined>): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalidArgs();
  for (const [name, values] of Object.entries(lists)) {
    const v = (options as Record<string, unknown>)[name];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !values!.includes(x))) throw invalidArgs();
  }
}

/** One multipart/form-data body's fields (text parts) and its `file` part: enough for uploadfile. */
function multipart(raw: Buffer, contentType: string): { fields: Record<string, string>; file?: Buffer } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw invalidArgs();
  const sep = `--${boundary[1] ?? boundary[2]}`;
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  for (const part of raw.toString('latin1').split(sep).slice(1, -1)) {
    const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
    const body = rest.join('\r\n\r\n').replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(head ?? '')?.[1];
    if (!name) continue;
    if (/filename="/.test(head ?? '')) file = Buffer.from(body, 'latin1');
    else fields[name] = Buffer.from(body, 'latin1').toString('utf8');
  }
  return { fields, file };
}

export function registerBotIoRoutes(app: FastifyInstance, world: KoreWorld, guarded: Guarded): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    '/api/public/bot/:botId/export',
    guarded(KORE_SCOPES.botExport, (req, botId) => {
      const b = bodyOf(req);
      const options = (b.exportOptions ?? {}) as { settings?: string[]; tasks?: string[] };
      if (b.exportType !== undefined && b.exportType !== 'published' && b.exportType !== 'latest') throw invalidArgs();
      checkLists(b.exportOptions, EXPORT_LISTS);
      const bot = world.bots.get(botId)!;
      // A default export (no options) brings everything.
      const all = b.exportOptions === undefined;
      const file: BotFile = {
        ...(all || (options.tasks ?? []).length ? { botDefinition: { name: bot.name, dialogs: [...bot.dialogs] } } : {}),
        configInfo: {
          settings: all || options.settings?.includes('genAIandLLMSettings') ? { genAIandLLMSettings: { summaryEnabled: bot.summaryEnabled } } : {},
        },
      };
      const job = {
        _id: id('ber'),
        streamId: botId,
        status: 'pending',
        exportType: String(b.exportType ?? 'published'),
        requestType: 'Botexport',
        createdOn: new Date().toISOString(),
      };
      world.exports.set(botId, { job, file, readyAt: Date.now() + world.publishDurationMs });
      return job;
    }),
  );

  app.get(
    '/api/public/bot/:botId/export/status',
    guarded(
      KORE_SCOPES.botExport,
      (req, botId) => {
        const e = world.exports.get(botId);
        if (!e) throw fail(404, 'No export found', 404);
        // A pending answer is not shown in the docs: the documented fields, no link yet.
        if (Date.now() < e.readyAt) return { status: 'pending', botId };
        const fileId = world.storeFile(JSON.stringify(e.file), 'json');
        const host = `${req.protocol}://${req.headers.host}`;
        return { status: 'success', downloadURL: `${host}/api/public/files/${fileId}`, fileId, fileSize: String(JSON.stringify(e.file).length), botId };
      },
      'status',
      (_req, botId) => (botId === undefined ? undefined : world.exports.get(botId)?.job._id),
    ),
  );

  // Where an export's downloadURL points (assumed: Kore's is a signed URL on its own host).
  app.get('/api/public/files/:fileId', async (req, reply) => {
    const f = world.files.get((req.params as { fileId: string }).fileId);
    if (!f) return reply.code(404).send({ errors: [{ msg: 'File not found', code: 404 }] });
    return reply.type('application/json').send(f.content);
  });

  app.post(
    '/api/public/uploadfile',
    guarded(null, (req: FastifyRequest) => {
      const type = String(req.headers['content-type'] ?? '');
      if (!type.startsWith('multipart/form-data') || !Buffer.isBuffer(req.body)) throw invalidArgs();
      const { fields, file } = multipart(req.body, type);
      if (!file || fields.fileContext !== 'bulkImport' || !['json', 'js'].includes(fields.fileExtension ?? '')) throw invalidArgs();
      return { fileId: world.storeFile(file.toString('utf8'), fields.fileExtension as 'json' | 'js') };
    }),
  );

  app.post(
    '/api/public/bot/:botId/import',
    guarded(KORE_SCOPES.botImport, (req, botId, caller) => {
      requireAdminApp(world, caller);
      const b = bodyOf(req);
      const def = typeof b.botDefinition === 'string' ? world.files.get(b.botDefinition) : undefined;
      const config = typeof b.configInfo === 'string' ? world.files.get(b.configInfo) : undefined;
      if (!def || !config) throw invalidArgs();
      checkLists(b.importOptions, IMPORT_LISTS);
      const options = b.importOptions as { settings?: string[]; tasks?: string[] } | undefined;
      let parsed: BotFile;
      try {
        parsed = { ...(JSON.parse(def.content) as BotFile), ...(JSON.parse(config.content) as BotFile) };
      } catch {
        throw invalidArgs();
      }
      const job = world.startImport(botId, parsed, options);
      return { _id: job.id, status: 'pending', statusLogs: [{ taskType: 'importRequest', taskName: 'importRequest', status: 'pending' }] };
    }),
  );

  app.get(
    '/api/public/bot/import/status/:birId',
    guarded(
      KORE_SCOPES.botImport,
      (req, _botId, caller) => {
        requireAdminApp(world, caller);
        const job = world.importStatus((req.params as { birId: string }).birId);
        if (!job) throw fail(404, 'No import found', 404);
        return { _id: job.id, status: job.status, statusLogs: job.logs };
      },
      'status',
      (req) => (req.params as { birId: string }).birId,
    ),
  );
}
