import { randomBytes } from 'node:crypto';
import { KORE_ADMIN_SCOPES } from '../../integrations/kore/scopes';
import type { BotFile } from './routes/bot-io';
import { DEFAULT_TRANSCRIPT, type NewSession, type SimKoreSession } from './sessions';
export type { NewSession, SimKoreMessage, SimKoreSession } from './sessions';
import type { SimAgentTransfer, SimBotSetup, SimExperienceFlow, SimImport, SimPublishStatus, SimSipTrunk } from './setup';

export type { SimAgentTransfer, SimBotSetup, SimExperienceFlow, SimImport, SimPublishStatus, SimSipTrunk } from './setup';

/**
 * What the Kore.ai simulator knows: JWT apps with their scopes, bots with the setup a person makes
 * in AI for Service (experience flows, SIP trunks, agent transfer), and the bots' sessions.
 * Scope mappings and the bot's setup take effect when the app is published, as Kore.ai documents
 * for scopes (kore-api.md S1, S8); for the voice setup that is assumed.
 */
export interface SimKoreApp {
  clientId: string;
  clientSecret: string;
  botIds: Set<string>;
  /** Scopes in effect. */
  scopes: Set<string>;
  /** Scopes mapped in Dev Tools > API Scopes since the last publish of one of the app's bots. */
  pendingScopes: Set<string>;
  /** Admin Console app: may call publish, publish status and get bots for any bot of the account. */
  admin: boolean;
}

export interface SimKoreBot {
  botId: string;
  name: string;
  summaryEnabled: boolean;
  published: boolean;
  publishJob?: { startedAt: number; comment: string; settled?: boolean; failOn?: string };
  /** How the account treats this bot's publishes (test setup): held for an administrator's approval, or failing on a resource. */
  publishRules?: { needsApproval?: boolean; failsOn?: string };
  /** A publish asked for and held for approval: no job runs until it is approved. */
  heldPublish?: { comment: string; askedAt: number };
  /** When the last publish finished (epoch ms). */
  publishedAt?: number;
  draft: SimBotSetup;
  /** The bot definition's dialogs (what an import with tasks, or a default one, replaces). */
  dialogs: string[];
  /** What calls reach: the draft as of the last publish; undefined until the first publish. */
  live?: SimBotSetup;
  sessions: SimKoreSession[];
}

const emptySetup = (): SimBotSetup => ({ sipTrunks: [], experienceFlows: [] });
const cloneSetup = (s: SimBotSetup): SimBotSetup => structuredClone(s);

export class KoreWorld {
  readonly apps = new Map<string, SimKoreApp>();
  readonly bots = new Map<string, SimKoreBot>();
  /** Uploaded and exported files by id. */
  readonly files = new Map<string, { content: string; ext: 'json' | 'js' }>();
  /** The last export job per bot, with the file it makes. */
  readonly exports = new Map<string, { job: Record<string, string>; file: BotFile; readyAt: number }>();
  readonly imports = new Map<string, SimImport>();
  /** How long a publish job stays "inprogress". */
  publishDurationMs = 200;
  /** Answer a missing scope with 403 instead of Kore's real 401. */
  scopeStatus: 401 | 403 = 401;

  constructor(private readonly now: () => number = Date.now) {}

  addApp(app: { clientId: string; clientSecret: string; botIds?: string[]; scopes?: string[]; admin?: boolean }): SimKoreApp {
    const entry: SimKoreApp = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      botIds: new Set(app.botIds ?? []),
      scopes: new Set(app.scopes ?? []),
      pendingScopes: new Set(),
      admin: app.admin ?? false,
    };
    if (!entry.admin) for (const s of entry.scopes) if (KORE_ADMIN_SCOPES.has(s as never)) entry.scopes.delete(s);
    this.apps.set(app.clientId, entry);
    return entry;
  }

  addBot(bot: { botId: string; name?: string; summaryEnabled?: boolean; published?: boolean }): SimKoreBot {
    const existing = this.bots.get(bot.botId);
    const entry: SimKoreBot = {
      botId: bot.botId,
      name: bot.name ?? existing?.name ?? bot.botId,
      summaryEnabled: bot.summaryEnabled ?? existing?.summaryEnabled ?? false,
      published: bot.published ?? existing?.published ?? false,
      publishJob: existing?.publishJob,
      publishRules: existing?.publishRules,
      heldPublish: existing?.heldPublish,
      publishedAt: existing?.publishedAt,
      draft: existing?.draft ?? emptySetup(),
      dialogs: existing?.dialogs ?? ['Check Order Status', 'Connect To Agent'],
      live: existing?.live ?? (bot.published ? emptySetup() : undefined),
      sessions: existing?.sessions ?? [],
    };
    this.bots.set(bot.botId, entry);
    return entry;
  }

  /** A bot and its JWT app, with no scope mapped unless `scopes` says so (a person maps them during onboarding). */
  addTenant(t: { clientId: string; clientSecret: string; botId: string; botName?: string; scopes?: string[] }): void {
    this.addBot({ botId: t.botId, name: t.botName });
    this.addApp({ clientId: t.clientId, clientSecret: t.clientSecret, botIds: [t.botId], scopes: t.scopes ?? [] });
  }

  /** A person maps (or unmaps) a scope: in effect at the app's next publish, or at once with `now` (test setup). */
  mapScope(app: SimKoreApp, scope: string, on: boolean, now = false): void {
    if (!on) {
      app.scopes.delete(scope);
      app.pendingScopes.delete(scope);
    } else if (now) app.scopes.add(scope);
    else if (!app.scopes.has(scope)) app.pendingScopes.add(scope);
  }

  mustBot(botId: string): SimKoreBot {
    const bot = this.bots.get(botId);
    if (!bot) throw new RangeError(`unknown bot ${botId}`);
    return bot;
  }

  /** Save a SIP trunk as the console does (the SIP URI fills itself); replaces a trunk with the same DID. */
  saveSipTrunk(botId: string, t: Omit<SimSipTrunk, 'trunkId' | 'sipUri' | 'attachedFlow'>): SimSipTrunk {
    const bot = this.mustBot(botId);
    const trunk: SimSipTrunk = { ...t, trunkId: `trunk-${randomBytes(4).toString('hex')}`, sipUri: `sip:${t.did.replace(/^\+/, '')}@voice.kore.sim` };
    bot.draft.sipTrunks = [...bot.draft.sipTrunks.filter((x) => x.did !== t.did), trunk];
    return trunk;
  }

  attachFlow(botId: string, trunkId: string, flowName: string | undefined): SimSipTrunk {
    const trunk = this.mustBot(botId).draft.sipTrunks.find((t) => t.trunkId === trunkId);
    if (!trunk) throw new RangeError(`unknown SIP trunk ${trunkId}`);
    trunk.attachedFlow = flowName;
    return trunk;
  }

  saveExperienceFlow(botId: string, f: SimExperienceFlow): SimExperienceFlow {
    const bot = this.mustBot(botId);
    bot.draft.experienceFlows = [...bot.draft.experienceFlows.filter((x) => x.name !== f.name), { ...f }];
    return f;
  }

  setAgentTransfer(botId: string, t: SimAgentTransfer | undefined): void {
    this.mustBot(botId).draft.agentTransfer = t;
  }

  /** A call reaching the bot: a finished korevg session with a transcript and a summary due later. */
  addSession(botId: string, s: NewSession = {}): SimKoreSession {
    const bot = this.bots.get(botId);
    if (!bot) throw new RangeError(`unknown bot ${botId}`);
    const transcript = s.transcript ?? DEFAULT_TRANSCRIPT;
    // The call has just ended: it started one second per turn ago.
    const start = this.now() - 1000 * transcript.length;
    const session: SimKoreSession = {
      sessionId: randomBytes(12).toString('hex'),
      botId,
      userId: s.userId ?? `u-${randomBytes(4).toString('hex')}`,
      callId: s.callId,
      channel: 'korevg',
      startTime: new Date(start).toISOString(),
      endTime: new Date(this.now()).toISOString(),
      containmentType: s.containmentType ?? 'agent',
      messages: transcript.map((m, i) => ({
        _id: `ms-${randomBytes(6).toString('hex')}`,
        type: m.type,
        text: m.text,
        createdOn: new Date(start + i * 1000).toISOString(),
      })),
      summary: s.summary ?? 'Caller asked about an order status; the bot answered and transferred the caller to an agent.',
      summaryReadyAt: this.now() + (s.summaryDelayMs ?? 0),
    };
    bot.sessions.unshift(session); // newest first, as Kore lists them
    return session;
  }

  findSession(botId: string, by: { sessionId?: string; callId?: string }): SimKoreSession | undefined {
    const sessions = this.bots.get(botId)?.sessions ?? [];
    if (by.sessionId) return sessions.find((s) => s.sessionId === by.sessionId);
    if (by.callId) return sessions.find((s) => s.callId === by.callId);
    return undefined;
  }

  /** `failOn` names a resource the publish fails on (e.g. SIPTRUNK, as after some SIP-number edits): nothing goes live. */
  publish(botId: string, comment: string, failOn?: string): void {
    const bot = this.bots.get(botId);
    if (!bot) return;
    bot.publishJob = { startedAt: this.now(), comment, failOn };
  }

  /**
   * A publish job that has run its time takes effect: the draft setup goes live and the scopes
   * mapped to the bot's apps since the last publish come into force. Called before anything reads
   * the world, so an effect never waits for somebody to ask for the publish status.
   */
  settle(): void {
    // An import runs at Kore.ai whether or not anyone asks for its status (a lost answer does not stop it).
    for (const job of this.imports.values()) if (job.status === 'pending') this.importStatus(job.id);
    for (const bot of this.bots.values()) {
      const job = bot.publishJob;
      if (!job || job.settled || this.now() - job.startedAt < this.publishDurationMs) continue;
      job.settled = true;
      if (job.failOn) continue;
      bot.published = true;
      bot.publishedAt = job.startedAt + this.publishDurationMs;
      bot.live = cloneSetup(bot.draft);
      for (const app of this.apps.values()) {
        if (!app.botIds.has(bot.botId)) continue;
        for (const s of app.pendingScopes) app.scopes.add(s);
        app.pendingScopes.clear();
      }
    }
  }

  /** The last publish job as Kore.ai's status API reports it (kore-api-more.md 8). */
  publishStatus(botId: string): SimPublishStatus | undefined {
    this.settle();
    const bot = this.bots.get(botId);
    const job = bot?.publishJob;
    if (!job) return undefined;
    const times = {
      requestedTime: new Date(job.startedAt).toISOString(),
      initiatedOn: new Date(job.startedAt).toISOString(),
      lastModifiedOn: new Date(Math.min(this.now(), job.startedAt + this.publishDurationMs)).toISOString(),
    };
    const item = (resourceType: string, status: string) => ({
      resourceId: `${resourceType.toLowerCase()}-${bot.botId}`,
      resourceType,
      name: resourceType,
      status,
    });
    if (!job.settled) {
      const elapsed = this.now() - job.startedAt;
      return { status: 'inprogress', percentageComplete: Math.floor((100 * elapsed) / this.publishDurationMs), ...times, statusSummary: [] };
    }
    const summary = ['SETTINGS', 'CHANNELS', 'NL'].map((r) => item(r, 'SUCCESS'));
    if (job.failOn) return { status: 'failed', percentageComplete: 100, ...times, statusSummary: [...summary, item(job.failOn, 'FAILURE')] };
    return { status: 'successful', percentageComplete: 100, ...times, statusSummary: summary };
  }

  storeFile(content: string, ext: 'json' | 'js'): string {
    const fileId = `file-${randomBytes(8).toString('hex')}`;
    this.files.set(fileId, { content, ext });
    return fileId;
  }

  startImport(botId: string, file: BotFile, options?: SimImport['options']): SimImport {
    const job: SimImport = {
      id: `bir-${randomBytes(8).toString('hex')}`,
      botId,
      status: 'pending',
      logs: [{ taskType: 'importRequest', taskName: 'importRequest', status: 'pending' }],
      readyAt: this.now() + this.publishDurationMs,
      file,
      options,
    };
    this.imports.set(job.id, job);
    return job;
  }

  /**
   * An import job, finished once its time has run: a default import (no options) replaces the
   * dialogs and every setting; with options, only the listed parts (kore-api-more.md 4). Importing
   * genAIandLLMSettings replaces the GenAI feature mappings: the golden bot's summary switch, or
   * off when the file has none.
   */
  importStatus(id: string): SimImport | undefined {
    const job = this.imports.get(id);
    if (!job || job.status !== 'pending' || this.now() < job.readyAt) return job;
    const bot = this.bots.get(job.botId);
    if (!bot) {
      job.status = 'failed';
      return job;
    }
    const o = job.options;
    const everything = o === undefined;
    if ((everything || (o.tasks ?? []).length > 0) && job.file.botDefinition) bot.dialogs = [...job.file.botDefinition.dialogs];
    if (everything || o.settings?.includes('genAIandLLMSettings'))
      bot.summaryEnabled = job.file.configInfo?.settings.genAIandLLMSettings?.summaryEnabled ?? false;
    job.status = 'success';
    job.logs = [
      { taskType: 'importRequest', taskName: 'importRequest', status: 'success' },
      { taskType: 'importBot', taskName: 'importBot', status: 'success' },
    ];
    return job;
  }

  reset(): void {
    this.apps.clear();
    this.bots.clear();
    this.files.clear();
    this.exports.clear();
    this.imports.clear();
  }
}
