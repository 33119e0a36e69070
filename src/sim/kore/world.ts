import { randomBytes } from 'node:crypto';
import { KORE_ADMIN_SCOPES, KORE_SCOPES } from '../../integrations/kore/scopes';

/** What the Kore.ai simulator knows: JWT apps with their scopes, bots, and the bots' sessions. */
export interface SimKoreApp {
  clientId: string;
  clientSecret: string;
  botIds: Set<string>;
  scopes: Set<string>;
  /** Admin Console app: may call publish, publish status and get bots for any bot of the account. */
  admin: boolean;
}

export interface SimKoreMessage {
  _id: string;
  type: 'incoming' | 'outgoing';
  text: string;
  createdOn: string;
}

export interface SimKoreSession {
  sessionId: string;
  botId: string;
  userId: string;
  callId?: string;
  channel: string;
  startTime: string;
  endTime: string;
  containmentType: 'selfService' | 'agent' | 'dropOff';
  messages: SimKoreMessage[];
  summary: string;
  /** Epoch ms from which conversationDetails includes the summary (XO GPT takes minutes). */
  summaryReadyAt: number;
}

export interface SimKoreBot {
  botId: string;
  name: string;
  summaryEnabled: boolean;
  published: boolean;
  publishJob?: { startedAt: number; comment: string };
  sessions: SimKoreSession[];
}

export interface NewSession {
  callId?: string;
  userId?: string;
  transcript?: Array<{ type: 'incoming' | 'outgoing'; text: string }>;
  summary?: string;
  summaryDelayMs?: number;
  containmentType?: SimKoreSession['containmentType'];
}

const DEFAULT_TRANSCRIPT: NonNullable<NewSession['transcript']> = [
  { type: 'outgoing', text: 'Hello, thanks for calling. How can I help?' },
  { type: 'incoming', text: 'I want to check my order status, and then talk to an agent please.' },
  { type: 'outgoing', text: 'Your order ships tomorrow. Transferring you to an agent now.' },
];

export class KoreWorld {
  readonly apps = new Map<string, SimKoreApp>();
  readonly bots = new Map<string, SimKoreBot>();
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
      sessions: existing?.sessions ?? [],
    };
    this.bots.set(bot.botId, entry);
    return entry;
  }

  /** A bot, its JWT app and the scopes onboarding expects to end with (Chat History is granted by a person later). */
  addTenant(t: { clientId: string; clientSecret: string; botId: string; botName?: string; scopes?: string[] }): void {
    this.addBot({ botId: t.botId, name: t.botName });
    this.addApp({ clientId: t.clientId, clientSecret: t.clientSecret, botIds: [t.botId], scopes: t.scopes ?? [KORE_SCOPES.botSessions] });
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

  publish(botId: string, comment: string): void {
    const bot = this.bots.get(botId);
    if (!bot) return;
    bot.publishJob = { startedAt: this.now(), comment };
  }

  publishStatus(botId: string): { status: 'successful' | 'failed' | 'inprogress'; percentageComplete: number } | undefined {
    const bot = this.bots.get(botId);
    if (!bot?.publishJob) return undefined;
    const elapsed = this.now() - bot.publishJob.startedAt;
    if (elapsed < this.publishDurationMs) {
      return { status: 'inprogress', percentageComplete: Math.floor((100 * elapsed) / this.publishDurationMs) };
    }
    bot.published = true;
    return { status: 'successful', percentageComplete: 100 };
  }

  reset(): void {
    this.apps.clear();
    this.bots.clear();
  }
}
