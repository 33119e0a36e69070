import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { FaultSpec } from './faults';
import type {
  AgentTransferBody,
  AppBody,
  BotPatch,
  PublishRulesBody,
  ExperienceFlowBody,
  LimitsBody as KoreLimitsBody,
  SessionBody,
  SipTrunkBody,
  TenantBody,
} from './kore/admin';
import type { SimExperienceFlow, SimSipTrunk } from './kore/world';
import type { KoreLimitValues } from './kore/limits';
import type { AccountBody, ConnectorBody, ConnectorPatch, FlowBody, FlowPatch, LimitsBody as ZoomLimitsBody, TestCallBody } from './zoom/admin';
import type { ZoomLimitValues } from './zoom/limits';
import type { WebhookSendBody } from './zoom/webhooks';
import type { SimConnector, SimZccFlow } from './zoom/world';
import type { CertificateBody } from './sip/admin';
import { messageOf, oneLine, route } from './admin-route';

/**
 * A typed client for the simulators' /__sim/ admin APIs: what a scripted person does in the
 * vendors' consoles, and what a test sets up, over HTTP, so it works against simulators in another
 * process (`onboard sim`) as well as in this one. Request types are the routes' own zod schemas,
 * so the client cannot drift from what the routes accept. Every failure is a one-line
 * SimAdminError naming the simulator, the admin route and the simulator's message.
 */
export type SimName = 'kore' | 'zoom';

export interface SimAdminClientOptions {
  /** The Kore.ai simulator's base URL (`Simulators.kore.url`). */
  koreUrl?: string;
  /** The Zoom simulator's base URL (`Simulators.zoom.url`, not its /v2 API URL). */
  zoomUrl?: string;
  /** Per admin call; longer than the webhook sender's own 3 s receiver timeout. Default 10 s. */
  timeoutMs?: number;
}

export type { CallCounts, FaultView, KoreBotSetupView, KoreBotView, ScopesView, TestCallResult } from './admin-views';
import type { CallCounts, FaultView, KoreBotSetupView, KoreBotView, ScopesView, TestCallResult } from './admin-views';

export class SimAdminError extends Error {
  override name = 'SimAdminError';
  constructor(
    message: string,
    readonly sim: SimName,
    readonly route: string,
    /** The simulator's HTTP status; undefined when it could not be reached. */
    readonly status?: number,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class SimAdminClient {
  readonly #http: Partial<Record<SimName, AxiosInstance>> = {};

  /** The Kore.ai simulator's base URL: what a person types as the connector's Base URL. */
  readonly koreUrl: string;

  constructor(opts: SimAdminClientOptions) {
    this.koreUrl = opts.koreUrl ?? '';
    for (const [sim, baseURL] of [
      ['kore', opts.koreUrl],
      ['zoom', opts.zoomUrl],
    ] as const) {
      // Admin answers are read whatever their status, so an error can carry the simulator's message.
      if (baseURL) this.#http[sim] = axios.create({ baseURL, timeout: opts.timeoutMs ?? 10_000, validateStatus: () => true, maxRedirects: 0 });
    }
  }

  // ---- Kore.ai: XO Platform and Admin Console

  /** A bot and its JWT app (default scope: Bot Sessions). */
  registerKoreTenant(t: z.input<typeof TenantBody>): Promise<{ botId: string; clientId: string }> {
    return this.#call('kore', 'POST', route`/__sim/tenants`, t);
  }

  /** Any app, e.g. an Admin Console app (`admin: true`) with Bot Publish and Role Management. */
  registerKoreApp(a: z.input<typeof AppBody>): Promise<{ clientId: string }> {
    return this.#call('kore', 'POST', route`/__sim/apps`, a);
  }

  /** Ticks an API scope for the app (Dev Tools > API Scopes): in effect after the next publish, or at once with `now` (test setup). */
  mapKoreScope(clientId: string, scope: string, opts: { now?: boolean } = {}): Promise<ScopesView & { clientId: string; pendingScopes: string[] }> {
    const r = route`/__sim/apps/${clientId}/scopes/${scope}`;
    return this.#call('kore', 'PUT', opts.now ? { url: `${r.url}?now=true`, shown: r.shown } : r);
  }

  /** JWT App Details as the console shows them (Client ID, Client Secret, bots). */
  koreAppDetails(clientId: string): Promise<{ clientId: string; clientSecret: string; botIds: string[] }> {
    return this.#call('kore', 'GET', route`/__sim/apps/${clientId}`);
  }

  /** Configure SIP Trunk, Save (replaces a trunk with the same DID). */
  saveSipTrunk(botId: string, t: z.input<typeof SipTrunkBody>): Promise<SimSipTrunk> {
    return this.#call('kore', 'POST', route`/__sim/bots/${botId}/sip-trunks`, t);
  }

  /** Attach Flow on a saved trunk (null detaches). */
  attachFlowToTrunk(botId: string, trunkId: string, flowName: string | null): Promise<SimSipTrunk> {
    return this.#call('kore', 'PUT', route`/__sim/bots/${botId}/sip-trunks/${trunkId}/flow`, { flowName });
  }

  /** An experience flow whose Automation node runs `automationBotId`. */
  saveExperienceFlow(botId: string, f: z.input<typeof ExperienceFlowBody>): Promise<SimExperienceFlow> {
    return this.#call('kore', 'PUT', route`/__sim/bots/${botId}/experience-flows`, f);
  }

  /** The voice agent transfer (SIP BYE with headers, as the guide asks). */
  setAgentTransfer(botId: string, t: z.input<typeof AgentTransferBody>): Promise<z.output<typeof AgentTransferBody>> {
    return this.#call('kore', 'PUT', route`/__sim/bots/${botId}/agent-transfer`, t);
  }

  /** The bot's saved setup and what its last publish put live. */
  koreBotSetup(botId: string): Promise<KoreBotSetupView> {
    return this.#call('kore', 'GET', route`/__sim/bots/${botId}/setup`);
  }

  unmapKoreScope(clientId: string, scope: string): Promise<ScopesView & { clientId: string }> {
    return this.#call('kore', 'DELETE', route`/__sim/apps/${clientId}/scopes/${scope}`);
  }

  /** Turns XO GPT conversation summary on or off for the bot. */
  setConversationSummary(botId: string, enabled: boolean): Promise<KoreBotView> {
    return this.updateKoreBot(botId, { summaryEnabled: enabled });
  }

  /** Name, summary feature, or the published flag set directly (no publish job). */
  updateKoreBot(botId: string, patch: z.input<typeof BotPatch>): Promise<KoreBotView> {
    return this.#call('kore', 'PATCH', route`/__sim/bots/${botId}`, patch);
  }

  /** Publishes the bot as a person does: a publish job that the vendor status API then reports. */
  publishKoreBot(botId: string, comment = '', opts: { failOn?: string } = {}): Promise<{ botId: string; comment: string; status: 'inprogress' }> {
    return this.#call('kore', 'POST', route`/__sim/bots/${botId}/publish`, { comment, ...opts });
  }

  /** How the account treats the bot's API publishes: held for an administrator's approval, or failing on a resource (null clears). */
  setKorePublishRules(botId: string, rules: z.input<typeof PublishRulesBody>): Promise<{ botId: string; needsApproval?: boolean; failsOn?: string }> {
    return this.#call('kore', 'PUT', route`/__sim/bots/${botId}/publish-rules`, rules);
  }

  /** An administrator approves the publish the bot holds: its job starts. */
  approveKorePublish(botId: string): Promise<{ botId: string; status: 'inprogress' }> {
    return this.#call('kore', 'POST', route`/__sim/bots/${botId}/approve-publish`, {});
  }

  /** A finished voice session on the bot (what a call leaves behind). */
  addKoreSession(botId: string, s: z.input<typeof SessionBody> = {}): Promise<{ sessionId: string; userId: string; callId?: string; summaryReadyAt: string }> {
    return this.#call('kore', 'POST', route`/__sim/bots/${botId}/sessions`, s);
  }

  setKoreLimits(l: z.input<typeof KoreLimitsBody>): Promise<KoreLimitValues> {
    return this.#call('kore', 'PUT', route`/__sim/limits`, l);
  }

  /** How a missing scope is answered: 401 (real Kore) or 403. */
  setKoreScopeStatus(status: 401 | 403): Promise<{ scopeStatus: 401 | 403 }> {
    return this.#call('kore', 'PUT', route`/__sim/scope-status/${String(status)}`);
  }

  // ---- Zoom: Marketplace and ZCC admin portal

  /** An account with its S2S app, one agent, one queue and a draft "Main IVR" flow. */
  registerZoomAccount(a: z.input<typeof AccountBody>): Promise<ScopesView & { accountId: string }> {
    return this.#call('zoom', 'POST', route`/__sim/accounts`, a);
  }

  /** Adds a scope to the account's S2S app; tokens issued from now on carry it. */
  addZoomScope(accountId: string, scope: string): Promise<ScopesView & { accountId: string }> {
    return this.#call('zoom', 'PUT', route`/__sim/accounts/${accountId}/scopes/${scope}`);
  }

  /** Removes a scope from the S2S app and expires the account's live tokens. */
  removeZoomScope(accountId: string, scope: string): Promise<ScopesView & { accountId: string }> {
    return this.#call('zoom', 'DELETE', route`/__sim/accounts/${accountId}/scopes/${scope}`);
  }

  expireZoomTokens(accountId: string): Promise<{ expired: number }> {
    return this.#call('zoom', 'POST', route`/__sim/accounts/${accountId}/tokens/expire`);
  }

  /** The Marketplace step: a Kore.ai Assistant Connector, with the SIP domain and DID it yields. */
  createConnector(c: z.input<typeof ConnectorBody>): Promise<SimConnector> {
    return this.#call('zoom', 'POST', route`/__sim/connectors`, c);
  }

  /** Edits the connector's Authorization Parameters (Bot ID, Client ID, Client Secret, Base URL). */
  updateConnector(connectorId: string, patch: z.input<typeof ConnectorPatch>): Promise<SimConnector> {
    return this.#call('zoom', 'PATCH', route`/__sim/connectors/${connectorId}`, patch);
  }

  /** The connector authorised with Kore.ai. */
  authorizeConnector(connectorId: string): Promise<SimConnector> {
    return this.#call('zoom', 'POST', route`/__sim/connectors/${connectorId}/authorize`);
  }

  /** A ZCC flow; with `connectorId` its calls go to that connector, with `entryNumber` it answers that number. */
  addFlow(f: z.input<typeof FlowBody>): Promise<SimZccFlow> {
    return this.#call('zoom', 'POST', route`/__sim/flows`, f);
  }

  /** The flow editor: route a flow to a connector (null removes the route) and/or change its status. */
  updateFlow(accountId: string, flowId: string, patch: z.input<typeof FlowPatch>): Promise<SimZccFlow> {
    return this.#call('zoom', 'PATCH', route`/__sim/accounts/${accountId}/flows/${flowId}`, patch);
  }

  /** A caller dials `number`: what the call reached, through the flow, connector, SIP trunk and bot the people set up. */
  placeTestCall(c: z.input<typeof TestCallBody>): Promise<TestCallResult> {
    return this.#call('zoom', 'POST', route`/__sim/test-calls`, c);
  }

  setZoomLimits(l: z.input<typeof ZoomLimitsBody>): Promise<ZoomLimitValues> {
    return this.#call('zoom', 'PUT', route`/__sim/limits`, l);
  }

  /** Expired tokens on `users` answered with ZCC's `{status:false,errorCode:401}`. */
  setZcc401Variant(on: boolean): Promise<{ zccUsers401Variant: boolean }> {
    return this.#call('zoom', 'PUT', route`/__sim/zcc-401-variant/${on ? 'on' : 'off'}`);
  }

  /** The connector domains' SBC gets a new certificate with `daysLeft` days left (negative: expired), e.g. a renewal forgotten. */
  reissueSipCertificate(daysLeft: z.input<typeof CertificateBody>['daysLeft']): Promise<{ validTo: string; daysLeft: number }> {
    return this.#call('zoom', 'PUT', route`/__sim/sip/certificate`, { daysLeft });
  }

  /** Sends a signed Zoom event to a receiver; answers with the receiver's status. */
  sendWebhook(w: z.input<typeof WebhookSendBody>): Promise<{ status: number; validated?: boolean }> {
    return this.#call('zoom', 'POST', route`/__sim/webhooks/send`, w);
  }

  // ---- Both simulators

  /** Returns the fault's id. */
  async addFault(sim: SimName, spec: z.input<typeof FaultSpec>): Promise<number> {
    return (await this.#call<{ id: number }>(sim, 'POST', route`/__sim/faults`, spec)).id;
  }

  listFaults(sim: SimName): Promise<FaultView[]> {
    return this.#call(sim, 'GET', route`/__sim/faults`);
  }

  async clearFaults(sim: SimName): Promise<void> {
    await this.#call(sim, 'DELETE', route`/__sim/faults`);
  }

  /** Vendor calls counted by `METHOD route` and status. */
  calls(sim: SimName): Promise<CallCounts> {
    return this.#call(sim, 'GET', route`/__sim/calls`);
  }

  async clearCalls(sim: SimName): Promise<void> {
    await this.#call(sim, 'DELETE', route`/__sim/calls`);
  }

  /** Forgets everything on one simulator, or on each one this client knows when none is named. */
  async reset(sim?: SimName): Promise<void> {
    const sims = sim ? [sim] : (Object.keys(this.#http) as SimName[]);
    await Promise.all(sims.map((s) => this.#call(s, 'POST', route`/__sim/reset`)));
  }

  async #call<T>(sim: SimName, method: Method, r: { url: string; shown: string }, data?: unknown): Promise<T> {
    const where = `${sim} simulator ${method} ${r.shown}`;
    const http = this.#http[sim];
    if (!http) throw new SimAdminError(`${where}: no ${sim}Url was given to SimAdminClient`, sim, r.shown);
    let res;
    try {
      res = await http.request({ method, url: r.url, data });
    } catch (err) {
      throw new SimAdminError(oneLine(`${where}: ${(err as Error).message || (err as { code?: string }).code || 'request failed'}`), sim, r.shown);
    }
    if (res.status >= 400) throw new SimAdminError(oneLine(`${where}: ${res.status} ${messageOf(res.data)}`), sim, r.shown, res.status);
    return res.data as T;
  }
}
