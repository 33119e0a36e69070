import type { AxiosInstance, Method } from 'axios';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { Secret } from '../../secret';
import { IntegrationError } from '../errors';
import { createHttp, parseBody, send, type VendorCallObserver } from '../http';
import { koreError, rateLimitedUntil } from './errors';
import { KoreRateWindows, rateKeyOf } from './rate-windows';
import { signKoreJwt } from './jwt';
import { KORE_SCOPES, type KoreScope } from './scopes';
import {
  ConversationDetails,
  ConversationDetailsRequest,
  ConversationSummary,
  GetBotsResponse,
  GetMessagesRequest,
  GetMessagesResponse,
  GetSessionsRequest,
  GetSessionsResponse,
  ExportJob,
  ExportStatus,
  ImportJob,
  type ImportOptions,
  PublishResult,
  UploadedFile,
  PublishStatus,
  type KoreMessage,
  type KoreSession,
} from './schemas';

export interface KoreAppCredentials {
  clientId: string;
  clientSecret: Secret | string;
}

export interface KoreClientOptions {
  baseUrl: string;
  credentials: KoreAppCredentials;
  timeoutMs?: number;
  jwtTtlSeconds?: number;
  jwtWithJti?: boolean;
  logger?: Logger;
  /** Our own count of calls per bot, shared by a process's clients (Kore's limits are per bot). */
  rateWindows?: KoreRateWindows;
  /** Told of every HTTP call this client makes (the worker's metrics). */
  observe?: VendorCallObserver;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Typed client for the Kore.ai XO public APIs onboarding needs. Each call signs a fresh app JWT
 * (header `auth`), and every failure arrives as an IntegrationError from the shared taxonomy.
 */
export class KoreClient {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly #secret: Secret;
  readonly #http: AxiosInstance;
  readonly #ttl: number;
  readonly #jti: boolean;
  readonly #log?: Logger;
  readonly #windows: KoreRateWindows;

  constructor(opts: KoreClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.clientId = opts.credentials.clientId;
    this.#secret = Secret.from(opts.credentials.clientSecret);
    this.#http = createHttp(this.baseUrl, opts.timeoutMs ?? 10_000, opts.observe);
    this.#ttl = opts.jwtTtlSeconds ?? 300;
    this.#jti = opts.jwtWithJti ?? true;
    this.#log = opts.logger?.child({ vendor: 'kore' });
    this.#windows = opts.rateWindows ?? new KoreRateWindows();
  }

  /** One page of sessions for a bot, newest first. */
  listSessions(botId: string, req: GetSessionsRequest = {}): Promise<z.infer<typeof GetSessionsResponse>> {
    return this.#call('kore.getSessions', KORE_SCOPES.botSessions, 'POST', `/api/public/bot/${enc(botId)}/getSessions`, GetSessionsResponse, {
      data: GetSessionsRequest.parse(req),
    });
  }

  /** Every session matching `req`, following `skip` until `moreAvailable` is false. */
  async *iterateSessions(botId: string, req: GetSessionsRequest = {}): AsyncGenerator<KoreSession> {
    const limit = req.limit ?? 100;
    for (let skip = req.skip ?? 0; ; skip += limit) {
      const page = await this.listSessions(botId, { ...req, skip, limit });
      yield* page.sessions;
      if (!page.moreAvailable || page.sessions.length === 0) return;
    }
  }

  /** Conversation details (and the XO GPT summary when asked) for one session or call. */
  getConversationDetails(botId: string, req: ConversationDetailsRequest): Promise<ConversationDetails> {
    return this.#call('kore.conversationDetails', KORE_SCOPES.chatHistory, 'POST', `/api/public/bot/${enc(botId)}/conversationDetails`, ConversationDetails, {
      data: ConversationDetailsRequest.parse(req),
    });
  }

  /**
   * One page of chat history; v1 returns at most 100 messages a call, V2 10,000 (kore-api.md 4).
   * A larger `limit` is refused here, before Kore sees it: paging steps by `limit`, so a page Kore
   * cut short would silently skip messages.
   */
  async getChatHistory(botId: string, req: GetMessagesRequest, version: 'v1' | 'v2' = 'v2'): Promise<GetMessagesResponse> {
    const path = version === 'v2' ? 'getMessagesV2' : 'getMessages';
    const cap = CHAT_HISTORY_CAP[version];
    if (req.limit !== undefined && req.limit > cap)
      throw new IntegrationError('InvalidRequest', `kore.${path}: limit ${req.limit} is over the ${cap} messages Kore.ai returns per call`, {
        vendor: 'kore',
        operation: `kore.${path}`,
      });
    return this.#call(`kore.${path}`, KORE_SCOPES.chatHistory, 'POST', `/api/public/bot/${enc(botId)}/${path}`, GetMessagesResponse, {
      data: GetMessagesRequest.parse(req),
    });
  }

  async *iterateChatHistory(botId: string, req: GetMessagesRequest, version: 'v1' | 'v2' = 'v2'): AsyncGenerator<KoreMessage> {
    const limit = req.limit ?? (version === 'v2' ? 1000 : 100);
    for (let skip = req.skip ?? 0; ; skip += limit) {
      const page = await this.getChatHistory(botId, { ...req, skip, limit }, version);
      yield* page.messages;
      if (!page.moreAvailable || page.messages.length === 0) return;
    }
  }

  /** The stand-alone summariser (documented as US and English only). */
  getConversationSummary(streamId: string, conversationId: string, lang: 'en' = 'en'): Promise<ConversationSummary> {
    return this.#call(
      'kore.conversationSummary',
      KORE_SCOPES.conversationSummary,
      'POST',
      `/api/public/streams/${enc(streamId)}/conversationSummary`,
      ConversationSummary,
      { data: { lang, inputMode: { conversationId } } },
    );
  }

  /**
   * Admin Console app only: starts a publish of the bot (kore-api.md 6). Not idempotent: a caller
   * that may retry reads getPublishStatus first (a publish asked for since it began counts).
   */
  publishBot(botId: string, versionComment: string): Promise<PublishResult> {
    return this.#call('kore.publish', KORE_SCOPES.botPublish, 'POST', `/api/public/bot/${enc(botId)}/publish`, PublishResult, {
      data: { versionComment, initiateTraining: true },
    });
  }

  /** Starts an export of the bot (kore-api-more.md 3); `exportOptions` narrows it (omitted: everything). */
  exportBot(botId: string, opts: { exportType?: 'published' | 'latest'; exportOptions?: Partial<ImportOptions> } = {}): Promise<z.infer<typeof ExportJob>> {
    return this.#call('kore.export', KORE_SCOPES.botExport, 'POST', `/api/public/bot/${enc(botId)}/export`, ExportJob, {
      data: { exportType: opts.exportType ?? 'published', ...(opts.exportOptions ? { exportOptions: opts.exportOptions } : {}) },
    });
  }

  /** The bot's latest export: `success` with a downloadURL once ready. */
  getExportStatus(botId: string): Promise<ExportStatus> {
    return this.#call('kore.exportStatus', KORE_SCOPES.botExport, 'GET', `/api/public/bot/${enc(botId)}/export/status`, ExportStatus);
  }

  /** An export's file, from Kore.ai's own host only (the URL is signed; our JWT never goes with it, nor anywhere else). */
  async downloadExport(downloadURL: string): Promise<unknown> {
    const operation = 'kore.downloadExport';
    if (new URL(downloadURL, this.baseUrl).origin !== new URL(this.baseUrl).origin)
      throw new IntegrationError('InvalidRequest', `${operation}: the download URL is not on ${new URL(this.baseUrl).host}; not followed`, {
        vendor: 'kore',
        operation,
      });
    const res = await send(this.#http, 'kore', { operation, method: 'GET', url: downloadURL });
    if (res.status < 200 || res.status >= 300) throw koreError(res, operation, KORE_SCOPES.botExport, { freeAt: () => Date.now() });
    return typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
  }

  /** Uploads one file for an import (multipart, `fileContext=bulkImport`). */
  uploadFile(content: string, fileName: string, fileExtension: 'json' | 'js' = 'json'): Promise<z.infer<typeof UploadedFile>> {
    const form = new FormData();
    form.append('file', new Blob([content], { type: 'application/json' }), fileName);
    form.append('fileContext', 'bulkImport');
    form.append('fileExtension', fileExtension);
    // No scope: any app the account admin made may upload (kore-api-more.md 1).
    return this.#call('kore.uploadFile', null, 'POST', '/api/public/uploadfile', UploadedFile, { data: form, contentType: null });
  }

  /** Admin Console app only: imports uploaded files into an existing bot; name every option list (an omitted one imports everything). */
  importBot(botId: string, files: { botDefinition: string; configInfo: string }, importOptions: ImportOptions): Promise<ImportJob> {
    return this.#call('kore.import', KORE_SCOPES.botImport, 'POST', `/api/public/bot/${enc(botId)}/import`, ImportJob, {
      data: { ...files, importOptions: { AgentAssist: [], qualityAI: [], ...importOptions } },
    });
  }

  getImportStatus(importId: string): Promise<ImportJob> {
    return this.#call('kore.importStatus', KORE_SCOPES.botImport, 'GET', `/api/public/bot/import/status/${enc(importId)}`, ImportJob);
  }

  /** Admin Console app only: where the bot's last publish stands. */
  getPublishStatus(botId: string): Promise<PublishStatus> {
    return this.#call('kore.publishStatus', KORE_SCOPES.botPublish, 'GET', `/api/public/bot/${enc(botId)}/publish/status`, PublishStatus);
  }

  /** Admin Console app only: the account's bots and whether each is published. */
  listBots(offset = 0, limit = 50): Promise<GetBotsResponse> {
    return this.#call('kore.getBots', KORE_SCOPES.roleManagement, 'GET', '/api/public/bots', GetBotsResponse, {
      params: { offset, limit: Math.min(limit, 50) },
    });
  }

  async #call<S extends z.ZodTypeAny>(
    operation: string,
    /** null: the endpoint documents no scope (a scope refusal then names none). */
    scope: KoreScope | null,
    method: Method,
    url: string,
    schema: S,
    extra: { data?: unknown; params?: Record<string, string | number>; contentType?: string | null } = {},
  ): Promise<z.infer<S>> {
    const token = await signKoreJwt({
      clientId: this.clientId,
      clientSecret: this.#secret,
      ttlSeconds: this.#ttl,
      withJti: this.#jti,
    });
    const started = Date.now();
    const rateKey = rateKeyOf(url, this.clientId);
    // Another activity of this worker was told to wait for this bot: wait too, without asking Kore.ai.
    const blocked = this.#windows.blockedUntil(rateKey, started);
    if (blocked !== undefined) throw rateLimitedUntil(operation, blocked);
    this.#windows.record(rateKey, started);
    const res = await send(this.#http, 'kore', {
      operation,
      method,
      url,
      data: extra.data,
      params: extra.params,
      // null: the body sets its own (multipart with its boundary).
      headers: { auth: token, ...(extra.contentType === null ? {} : { 'content-type': extra.contentType ?? 'application/json' }) },
    });
    this.#log?.debug({ operation, status: res.status, ms: Date.now() - started }, 'kore call');
    if (res.status < 200 || res.status >= 300) {
      const err = koreError(res, operation, scope, { freeAt: () => this.#windows.freeAt(rateKey, Date.now()) });
      if (err.kind === 'RateLimited' && err.retryAfterMs !== undefined) this.#windows.block(rateKey, Date.now() + err.retryAfterMs);
      throw err;
    }
    return parseBody(schema, res.data, 'kore', operation, res.status);
  }

  toString(): string {
    return `KoreClient(${this.baseUrl}, app ${this.clientId})`;
  }

  toJSON(): Record<string, string> {
    return { baseUrl: this.baseUrl, clientId: this.clientId };
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

const enc = encodeURIComponent;
/** Messages per chat-history call, as Kore.ai documents them (kore-api.md 4 [S4]). */
const CHAT_HISTORY_CAP = { v1: 100, v2: 10_000 } as const;
