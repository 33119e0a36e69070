import type { AxiosInstance, Method } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createHttp, parseBody, send, type VendorCallObserver } from '../http';
import { isExpiredTokenAnswer, rateLimitedUntil, zoomApiError } from './errors';
import { ZoomTokenSource, type AccessToken, type ZoomS2SCredentials } from './oauth';
import {
  AgentsPage,
  EngagementsPage,
  EntryPointsPage,
  FlowEntryPoints,
  FlowsPage,
  QueuesPage,
  UsersPage,
  ZccEngagement,
  ZccEngagementEvents,
  ZccFlow,
  ZccQueue,
  ZoomPage,
} from './schemas';
import { pageSizeMax, type ZoomOperation } from './scopes';

export interface ZoomClientOptions {
  apiUrl: string;
  /** `apiUrl` was set on purpose (a simulator, a proxy): it wins over the token answer's `api_url`. */
  apiUrlExplicit?: boolean;
  oauthUrl: string;
  credentials: ZoomS2SCredentials;
  timeoutMs?: number;
  refreshSkewSeconds?: number;
  logger?: Logger;
  /** Share one token source between clients of the same app (one token per process). */
  tokens?: ZoomTokenSource;
  /** Told of every HTTP call this client makes (the worker's metrics). */
  observe?: VendorCallObserver;
}

type Params = Record<string, string | number | boolean | undefined>;

/** Zoom's Contact Center channels (the `channel` enum of its OpenAPI document). */
export type ZccChannel = 'voice' | 'video' | 'messaging' | 'email';

/** `GET /contact_center/engagements` filters, by Zoom's documented names (`queue_id` is this query's name for a queue). */
export interface EngagementQuery extends Params {
  /** `yyyy-mm-dd` or `yyyy-MM-ddTHH:mm:ssZ`; with `from`, `to` is required too. */
  from?: string;
  to?: string;
  timezone?: string;
  queue_id?: string;
  user_id?: string;
  consumer_number?: string;
  channel?: ZccChannel;
  direction?: 'inbound' | 'outbound';
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Typed client for the Zoom Contact Center read calls that let us verify a tenant's setup. A 401
 * for an expired token gets one fresh token and one retry; list calls follow `next_page_token`.
 */
export class ZoomClient {
  readonly apiUrl: string;
  readonly accountId: string;
  readonly tokens: ZoomTokenSource;
  readonly #http: AxiosInstance;
  readonly #log?: Logger;
  readonly #apiUrlExplicit: boolean;

  constructor(opts: ZoomClientOptions) {
    this.apiUrl = opts.apiUrl.replace(/\/+$/, '');
    this.accountId = opts.credentials.accountId;
    this.#http = createHttp(this.apiUrl, opts.timeoutMs ?? 10_000, opts.observe);
    this.#log = opts.logger?.child({ vendor: 'zoom' });
    this.#apiUrlExplicit = opts.apiUrlExplicit ?? false;
    this.tokens =
      opts.tokens ??
      new ZoomTokenSource({
        oauthUrl: opts.oauthUrl,
        credentials: opts.credentials,
        timeoutMs: opts.timeoutMs,
        refreshSkewSeconds: opts.refreshSkewSeconds,
        logger: opts.logger,
        observe: opts.observe,
      });
  }

  listUsers(query: { search_key?: string; user_access?: 'active' | 'inactive' } = {}) {
    return this.#all('listUsers', '/contact_center/users', query, UsersPage, 'users');
  }

  listQueues(query: { channel?: ZccChannel } = {}) {
    return this.#all('listQueues', '/contact_center/queues', query, QueuesPage, 'queues');
  }

  getQueue(queueId: string) {
    return this.#request('getQueue', 'GET', `/contact_center/queues/${enc(queueId)}`, ZccQueue);
  }

  listQueueAgents(queueId: string) {
    return this.#all('listQueueAgents', `/contact_center/queues/${enc(queueId)}/agents`, {}, AgentsPage, 'agents');
  }

  listFlows(
    query: {
      status?: 'draft' | 'published' | 'archived';
      channel?: ZccChannel;
      channel_source?: 'web_chat' | 'in_app_chat' | 'sms' | 'facebook_messenger' | 'whatsapp' | 'email_address';
    } = {},
  ) {
    return this.#all('listFlows', '/contact_center/flows', query, FlowsPage, 'flows');
  }

  /** Publishes the flow's draft (flow:write); Zoom answers 204. Idempotent: a published flow stays published. */
  async publishFlow(flowId: string): Promise<void> {
    await this.#request('publishFlow', 'PUT', `/contact_center/flows/${enc(flowId)}/publish`, z.object({}).passthrough());
  }

  getFlow(flowId: string) {
    return this.#request('getFlow', 'GET', `/contact_center/flows/${enc(flowId)}`, ZccFlow);
  }

  /** A flow's entry points: Zoom answers them in one body, not in pages. */
  async listFlowEntryPoints(flowId: string) {
    return (await this.#request('listFlowEntryPoints', 'GET', `/contact_center/flows/${enc(flowId)}/entry_points`, FlowEntryPoints)).entry_points;
  }

  /** Every number bound to a flow on the account, for one channel (Zoom requires it). */
  listAccountEntryPoints(channel: ZccChannel) {
    return this.#all('listAccountEntryPoints', '/contact_center/flows_entry_points', { channel }, EntryPointsPage, 'entry_points');
  }

  listEngagements(query: EngagementQuery = {}) {
    return this.#all('listEngagements', '/contact_center/engagements', query, EngagementsPage, 'engagements');
  }

  getEngagement(engagementId: string) {
    return this.#request('getEngagement', 'GET', `/contact_center/engagements/${enc(engagementId)}`, ZccEngagement);
  }

  getEngagementEvents(engagementId: string) {
    return this.#request('getEngagementEvents', 'GET', `/contact_center/engagements/${enc(engagementId)}/events`, ZccEngagementEvents);
  }

  /**
   * Pages of a list endpoint, following `next_page_token` until it comes back empty; pages as large
   * as Zoom documents for the operation (a larger `page_size` is refused).
   */
  async *paginate<S extends typeof ZoomPage, K extends keyof z.infer<S>>(
    operation: ZoomOperation,
    url: string,
    params: Params,
    schema: S,
    key: K,
    pageSize = pageSizeMax(operation) ?? 30,
  ): AsyncGenerator<z.infer<S>[K] extends Array<infer T> ? T : never> {
    let token = '';
    for (;;) {
      const page = await this.#request(operation, 'GET', url, schema, {
        ...params,
        page_size: pageSize,
        next_page_token: token || undefined,
      });
      const items = page[key] as unknown;
      if (Array.isArray(items)) yield* items;
      token = page.next_page_token ?? '';
      if (!token) return;
    }
  }

  async #all<S extends typeof ZoomPage, K extends keyof z.infer<S>>(
    operation: ZoomOperation,
    url: string,
    params: Params,
    schema: S,
    key: K,
  ): Promise<Array<z.infer<S>[K] extends Array<infer T> ? T : never>> {
    const out: Array<z.infer<S>[K] extends Array<infer T> ? T : never> = [];
    for await (const item of this.paginate(operation, url, params, schema, key)) out.push(item);
    return out;
  }

  /**
   * Until when Zoom refused this account (its Retry-After): Zoom's limits are per account, and the
   * worker shares one client per account among its activities, so every one of them waits, not only
   * the one refused (zoom-api.md, rate limits; the vendor-storm fault test checks every wait).
   */
  #blockedUntil = 0;

  async #request<S extends z.ZodTypeAny>(operation: ZoomOperation, method: Method, url: string, schema: S, params?: Params): Promise<z.infer<S>> {
    const op = `zoom.${operation}`;
    if (Date.now() < this.#blockedUntil) throw rateLimitedUntil(op, this.#blockedUntil);
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.token();
      const started = Date.now();
      const res = await send(this.#http, 'zoom', {
        operation: op,
        method,
        url,
        params,
        headers: { authorization: `Bearer ${token.value.reveal()}` },
        baseURL: apiBaseFor(this.apiUrl, this.#apiUrlExplicit, token),
      });
      this.#log?.debug({ operation: op, status: res.status, ms: Date.now() - started, attempt }, 'zoom call');
      if (res.status >= 200 && res.status < 300) return parseBody(schema, res.status === 204 ? {} : res.data, 'zoom', op, res.status);
      // An expired or revoked token: one fresh token, one retry; a second 401 is a real rejection.
      if (attempt === 0 && isExpiredTokenAnswer(res)) {
        this.tokens.invalidate(token);
        continue;
      }
      const err = zoomApiError(res, op);
      // A token carries the app's scopes as they were when it was issued: after a scope refusal the
      // next call gets a fresh token, so a scope an admin adds counts from the next retry, not in an hour.
      if (err.kind === 'ScopeMissing') this.tokens.invalidate(token);
      if (err.kind === 'RateLimited' && err.retryAfterMs !== undefined) this.#blockedUntil = Math.max(this.#blockedUntil, Date.now() + err.retryAfterMs);
      throw err;
    }
  }

  toString(): string {
    return `ZoomClient(${this.apiUrl}, account ${this.accountId})`;
  }

  toJSON(): Record<string, string> {
    return { apiUrl: this.apiUrl, accountId: this.accountId };
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * Where a call goes: an explicit endpoint (ONBOARD_ZOOM_API_URL: simulators, proxies) wins;
 * otherwise the account's API host from its token answer (already checked to be a Zoom https
 * host), with the API's `/v2` path; otherwise the configured default.
 */
export function apiBaseFor(configured: string, explicit: boolean, token: Pick<AccessToken, 'apiUrl'>): string | undefined {
  if (explicit || !token.apiUrl) return undefined;
  return `${token.apiUrl}${new URL(configured).pathname.replace(/\/+$/, '') || '/v2'}`;
}

const enc = encodeURIComponent;
