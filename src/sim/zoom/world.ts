import { randomBytes } from 'node:crypto';
import { ZOOM_VERIFY_SCOPES } from '../../integrations/zoom/scopes';

/**
 * What the Zoom simulator knows per account: the Server-to-Server app, issued tokens, ZCC users,
 * queues, flows (with entry numbers), engagements, and Kore.ai Assistant Connectors (which in real
 * Zoom live only in the Marketplace UI; here an admin call stands in for the person creating one).
 */
export interface SimZoomToken {
  accountId: string;
  scopes: string[];
  expiresAt: number;
}

export interface SimZccFlow {
  flow_id: string;
  flow_name: string;
  channel: 'voice';
  status: 'draft' | 'published' | 'archived';
  entry_points: Array<{ entry_id: string; entry_name: string; entry_number: string; entry_language: string }>;
  flow_versions: Array<{ flow_version: number; flow_version_status: string }>;
  /** Which connector the flow routes calls to (the widget a person configures in the flow editor). */
  connectorId?: string;
}

export interface SimConnector {
  connectorId: string;
  name: string;
  botId: string;
  koreClientId: string;
  /** Never shown back by the admin API. */
  koreClientSecret?: string;
  baseUrl: string;
  domain: string;
  did: string;
  authorized: boolean;
}

/**
 * One event of an engagement as `GET /contact_center/engagements/{id}/events` documents it:
 * `event_content` is a JSON string. The event names and content keys for the connector leg are
 * assumed (Zoom's KB lists engagement events; its page is not in our references).
 */
export interface SimEngagementEvent {
  start_time: string;
  event_name: string;
  channel: 'voice';
  event_content: string;
}

/** How the connector leg went, as ZCC logs it (assumed keys; see SimEngagementEvent). */
export type ConnectorLegLog =
  | { result: 'connected'; connector_id: string; sip_to: string; sip_from: string; kore_session_id: string; kore_reason: string }
  | {
      result: 'failed';
      connector_id: string;
      /** The SIP leg's DID (To) and the connector's domain (From), when it got that far. */
      sip_to?: string;
      sip_from?: string;
      reason: 'not_authorized' | 'unreachable' | 'credentials_rejected' | 'bot_rejected' | 'sip_rejected';
      sip_status?: number;
      sip_reason?: string;
    };

export interface SimEngagement {
  engagement_id: string;
  start_time: string;
  end_time: string;
  direction: 'inbound';
  channels: Array<{ channel: 'voice' }>;
  consumers: Array<{ consumer_number: string }>;
  /** Zoom documents an engagement's `flow_version` as a string (a flow's own `flow_version` is an integer). */
  flows: Array<{ flow_id: string; flow_name: string; flow_version: string }>;
  queues: Array<{ cc_queue_id: string; queue_name: string }>;
  agents: Array<{ user_id: string; display_name: string }>;
  events: Array<{ event_type: string; start_time: string }>;
  /** What `.../events` answers for this engagement. */
  log: SimEngagementEvent[];
}

export interface SimZoomAccount {
  accountId: string;
  clientId: string;
  clientSecret: string;
  scopes: Set<string>;
  tokenTtlSeconds: number;
  users: Array<{ user_id: string; display_name: string; user_email: string; role_name: string; user_access: string }>;
  queues: Array<{ cc_queue_id: string; queue_name: string; channel: string; agents_count: number }>;
  flows: SimZccFlow[];
  engagements: SimEngagement[];
  connectors: SimConnector[];
}

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

export class ZoomWorld {
  readonly accounts = new Map<string, SimZoomAccount>();
  readonly tokens = new Map<string, SimZoomToken>();
  /** Answer an expired token on /contact_center/users with ZCC's `{status:false,errorCode:401}` shape. */
  zccUsers401Variant = false;
  #didSeq = 100;

  constructor(private readonly now: () => number = Date.now) {}

  addAccount(a: { accountId: string; clientId: string; clientSecret: string; scopes?: string[]; tokenTtlSeconds?: number }): SimZoomAccount {
    const agent = { user_id: id('u_'), display_name: 'Ada Agent', user_email: 'ada.agent@example.com', role_name: 'Agent', user_access: 'active' };
    const queueId = id('q_');
    const account: SimZoomAccount = {
      accountId: a.accountId,
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      scopes: new Set(a.scopes ?? ZOOM_VERIFY_SCOPES),
      tokenTtlSeconds: a.tokenTtlSeconds ?? 3599,
      users: [agent],
      queues: [{ cc_queue_id: queueId, queue_name: 'Kore Voice Agents', channel: 'voice', agents_count: 1 }],
      flows: [],
      engagements: [],
      connectors: [],
    };
    this.accounts.set(a.accountId, account);
    this.addFlow(a.accountId, { flowName: 'Main IVR', status: 'draft' });
    return account;
  }

  accountByClient(clientId: string): SimZoomAccount | undefined {
    for (const a of this.accounts.values()) if (a.clientId === clientId) return a;
    return undefined;
  }

  issueToken(account: SimZoomAccount): { value: string; token: SimZoomToken } {
    const value = `sim.${randomBytes(24).toString('base64url')}`;
    const token = { accountId: account.accountId, scopes: [...account.scopes], expiresAt: this.now() + account.tokenTtlSeconds * 1000 };
    this.tokens.set(value, token);
    return { value, token };
  }

  /** Make every token of an account (or all) expire now: the next call sees a 401 code 124. */
  expireTokens(accountId?: string): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (!accountId || t.accountId === accountId) {
        t.expiresAt = 0;
        n++;
      }
    }
    return n;
  }

  /** A person's work in the flow editor: route the flow to a connector (or not), publish it (or not). */
  updateFlow(accountId: string, flowId: string, patch: { status?: SimZccFlow['status']; connectorId?: string | null }): SimZccFlow {
    const flow = this.mustAccount(accountId).flows.find((f) => f.flow_id === flowId);
    if (!flow) throw new RangeError(`unknown flow ${flowId}`);
    if (patch.connectorId !== undefined) flow.connectorId = patch.connectorId ?? undefined;
    if (patch.status) {
      flow.status = patch.status;
      const top = flow.flow_versions[flow.flow_versions.length - 1]!;
      if (patch.status === 'published') flow.flow_versions.push({ flow_version: top.flow_version + 1, flow_version_status: 'published' });
    }
    return flow;
  }

  addFlow(accountId: string, f: { flowName: string; status?: SimZccFlow['status']; entryNumber?: string; connectorId?: string }): SimZccFlow {
    const account = this.mustAccount(accountId);
    const flow: SimZccFlow = {
      flow_id: id('f_'),
      flow_name: f.flowName,
      channel: 'voice',
      status: f.status ?? 'draft',
      entry_points: [{ entry_id: id('e_'), entry_name: f.flowName, entry_number: f.entryNumber ?? this.nextNumber(), entry_language: 'en-US' }],
      flow_versions: [{ flow_version: 1, flow_version_status: f.status === 'published' ? 'published' : 'draft' }],
      connectorId: f.connectorId,
    };
    account.flows.push(flow);
    return flow;
  }

  /** The person's Marketplace work: a Kore.ai Assistant Connector, which yields a SIP domain and a DID. */
  addConnector(accountId: string, c: { name: string; botId: string; koreClientId: string; koreClientSecret?: string; baseUrl: string }): SimConnector {
    const account = this.mustAccount(accountId);
    const connectorId = id('c_');
    const connector: SimConnector = {
      connectorId,
      ...c,
      domain: `${connectorId.slice(2, 10)}.kore-connector.zoomcc.sim`,
      did: this.nextNumber(),
      authorized: false,
    };
    account.connectors.push(connector);
    return connector;
  }

  /**
   * A finished call through `flow`: it reached the connector (`leg` says how that went) or, with no
   * connector routed, went straight to the flow's fallback queue. An agent transfer puts the queue
   * and the agent on the engagement; a failed connector leg falls back to the queue too.
   */
  addEngagement(accountId: string, e: { flow?: SimZccFlow; callerNumber?: string; leg?: ConnectorLegLog; toAgent?: boolean }): SimEngagement {
    const account = this.mustAccount(accountId);
    const start = this.now();
    const flow = e.flow;
    const queue = account.queues[0];
    const agent = account.users[0];
    const toQueue = e.toAgent ?? (e.leg === undefined || e.leg.result === 'failed');
    const at = (ms: number) => new Date(start + ms).toISOString();
    const log: SimEngagementEvent[] = [];
    const event = (ms: number, name: string, content: Record<string, unknown>) =>
      log.push({ start_time: at(ms), event_name: name, channel: 'voice', event_content: JSON.stringify(content) });
    event(0, 'Start', { consumer_number: e.callerNumber ?? '+14155550100' });
    if (flow) event(500, 'Flow', { flow_id: flow.flow_id, flow_name: flow.flow_name });
    if (e.leg) event(1_000, 'Assistant Connector', e.leg);
    if (toQueue && queue) event(20_000, 'Queue', { cc_queue_id: queue.cc_queue_id, queue_name: queue.queue_name });
    if (toQueue && agent) event(30_000, 'Agent Connected', { user_id: agent.user_id });
    event(60_000, 'End', {});
    const engagement: SimEngagement = {
      engagement_id: id('eng_'),
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 60_000).toISOString(),
      direction: 'inbound',
      channels: [{ channel: 'voice' }],
      consumers: [{ consumer_number: e.callerNumber ?? '+14155550100' }],
      flows: flow ? [{ flow_id: flow.flow_id, flow_name: flow.flow_name, flow_version: String(flow.flow_versions.length) }] : [],
      queues: toQueue && queue ? [{ cc_queue_id: queue.cc_queue_id, queue_name: queue.queue_name }] : [],
      agents: toQueue && agent ? [{ user_id: agent.user_id, display_name: agent.display_name }] : [],
      events: [
        { event_type: 'engagement_started', start_time: at(0) },
        ...(e.leg?.result === 'connected' ? [{ event_type: 'transfer_to_voicebot', start_time: at(1_000) }] : []),
        ...(toQueue ? [{ event_type: 'transfer_to_agent', start_time: at(30_000) }] : []),
        { event_type: 'engagement_ended', start_time: at(60_000) },
      ],
      log,
    };
    account.engagements.unshift(engagement);
    return engagement;
  }

  mustAccount(accountId: string): SimZoomAccount {
    const a = this.accounts.get(accountId);
    if (!a) throw new RangeError(`unknown account ${accountId}`);
    return a;
  }

  private nextNumber(): string {
    return `+1415555${String(this.#didSeq++).padStart(4, '0')}`;
  }

  reset(): void {
    this.accounts.clear();
    this.tokens.clear();
  }
}
