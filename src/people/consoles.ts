import { KORE_SCOPES } from '../integrations/kore/scopes';
import type { HumanStepId } from '../domain/steps';
import type { PublicTenant } from '../domain/tenant';
import type { SimAdminClient } from '../sim/admin-client';

/**
 * What a person does in the two vendors' consoles for each human step, played against the
 * simulators through their admin API (as clicks would), returning the evidence the person would
 * then enter. The evidence goes through the same completeStep Update a person uses.
 */
export const REHEARSAL_FLOW = 'ZCC Voice Entry';
export const REHEARSAL_EXPERIENCE_FLOW = 'Kore Voice Experience';
export const REHEARSAL_PUBLISH_COMMENT = 'ZCC voice go-live';

/** What a person remembers from one step to the next (the connector they created, the flow they routed). */
export interface ConsoleMemory {
  connectorId?: string;
  /** The connector page as it shows the connector (the person reads it again rather than create a second one). */
  connector?: { name: string; did: string; domain: string };
  /** The connector's DID and Domain as the person entered them (later steps use these values, as the instructions show them). */
  did?: string;
  domain?: string;
  trunkId?: string;
  flowId?: string;
  /** The number callers dial: the routed ZCC flow's entry number. */
  entryNumber?: string;
}

/**
 * What a person may get wrong in the consoles (src/people/mistakes.ts names them): each field
 * changes one thing the scripted person does, and is undefined when the person does it right.
 */
export interface Slips {
  /** The connector's Authorization Parameters as typed in the Marketplace. */
  connector?: { botId?: string; clientId?: string; baseUrl?: string };
  /** The SIP trunk as saved in AI for Service. */
  sipTrunk?: { mistypeDid?: boolean; fqdn?: string; transport?: 'tls' | 'tcp' | 'udp' };
  skipAuthorize?: boolean;
  skipAttachFlow?: boolean;
  skipRouteToConnector?: boolean;
  skipFlowPublish?: boolean;
  skipChatHistoryMapping?: boolean;
  skipSummary?: boolean;
  skipPublish?: boolean;
}

export interface ConsoleOptions {
  /** How long XO GPT takes to summarise the test call (the benchmark uses 0). */
  summaryDelayMs?: number;
  /** What the person gets wrong (nothing by default). */
  slips?: Slips;
  /**
   * The run's steps (default: today's catalogue): where publish-zcc-flow is not one (catalogue
   * versions 1-3), the person publishes the ZCC flow as part of routing it.
   */
  steps?: readonly string[];
}

export type Evidence = Record<string, unknown>;

/** One digit of a DID off, as people mistype it. */
export const mistypedDid = (did: string) => did.slice(0, -1) + String((Number(did.at(-1)) + 1) % 10);
/** The connector's domain with its first label mistyped. */
export const mistypedDomain = (domain: string) => `x${domain}`;

/** A person waits for the console's "published" confirmation before closing it. */
async function waitForPublish(consoles: SimAdminClient, botId: string, since: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const s = await consoles.koreBotSetup(botId);
    if (s.published && (s.publishedAt ?? 0) >= since) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function doInConsoles(
  step: HumanStepId,
  tenant: PublicTenant,
  consoles: SimAdminClient,
  memory: ConsoleMemory,
  opts: ConsoleOptions = {},
): Promise<Evidence> {
  return consoleWork(step, tenant, consoles, memory, opts, opts.slips ?? {});
}

async function consoleWork(
  step: HumanStepId,
  tenant: PublicTenant,
  consoles: SimAdminClient,
  memory: ConsoleMemory,
  opts: ConsoleOptions,
  slips: Slips,
): Promise<Evidence> {
  const botId = tenant.kore.botId;
  switch (step) {
    case 'associate-experience-flow':
      await consoles.saveExperienceFlow(botId, { name: REHEARSAL_EXPERIENCE_FLOW, automationBotId: botId });
      return { experienceFlowName: REHEARSAL_EXPERIENCE_FLOW };
    case 'create-zoom-connector': {
      // Back at this step (reopened): the connector exists; the person reads its page again.
      if (memory.connectorId && memory.connector) {
        Object.assign(memory, { did: memory.connector.did, domain: memory.connector.domain });
        return { connectorName: memory.connector.name, domain: memory.connector.domain, did: memory.connector.did };
      }
      // The person copies the Client Secret from JWT App Details; it never reaches our evidence.
      const app = await consoles.koreAppDetails(tenant.kore.clientId);
      const c = await consoles.createConnector({
        accountId: tenant.zoom.accountId,
        name: `${tenant.displayName} voicebot`,
        botId: slips.connector?.botId ?? botId,
        koreClientId: slips.connector?.clientId ?? tenant.kore.clientId,
        koreClientSecret: app.clientSecret,
        baseUrl: slips.connector?.baseUrl ?? consoles.koreUrl,
      });
      Object.assign(memory, { connectorId: c.connectorId, did: c.did, domain: c.domain, connector: { name: c.name, did: c.did, domain: c.domain } });
      return { connectorName: c.name, domain: c.domain, did: c.did };
    }
    case 'configure-sip-trunk': {
      const trunk = await consoles.saveSipTrunk(botId, {
        fqdn: slips.sipTrunk?.fqdn ?? memory.domain ?? 'unknown.invalid',
        did: slips.sipTrunk?.mistypeDid ? mistypedDid(memory.did ?? '+10000000000') : (memory.did ?? '+10000000000'),
        dnsResolve: 'srv',
        transport: slips.sipTrunk?.transport ?? 'tls',
        padCrypto: true,
        inbound: true,
        outbound: true,
      });
      memory.trunkId = trunk.trunkId;
      if (!slips.skipAttachFlow) await consoles.attachFlowToTrunk(botId, trunk.trunkId, REHEARSAL_EXPERIENCE_FLOW);
      return { sipUri: trunk.sipUri, attachedFlowName: REHEARSAL_EXPERIENCE_FLOW };
    }
    case 'configure-agent-transfer':
      await consoles.setAgentTransfer(botId, { via: tenant.agentTransfer.option, method: 'sip-bye', headers: tenant.agentTransfer.sipHeaders });
      return { option: tenant.agentTransfer.option };
    case 'route-zcc-flow-to-connector': {
      const alsoPublish = opts.steps !== undefined && !opts.steps.includes('publish-zcc-flow');
      const status = alsoPublish && !slips.skipFlowPublish ? 'published' : 'draft';
      const connectorId = slips.skipRouteToConnector ? undefined : memory.connectorId;
      // Back at this step: the flow exists; the person routes it (and in older runs publishes it) in the flow editor.
      if (memory.flowId) {
        await consoles.updateFlow(tenant.zoom.accountId, memory.flowId, { connectorId: connectorId ?? null, ...(alsoPublish ? { status } : {}) });
        return { flowName: REHEARSAL_FLOW };
      }
      const flow = await consoles.addFlow({
        accountId: tenant.zoom.accountId,
        flowName: REHEARSAL_FLOW,
        status,
        connectorId,
      });
      Object.assign(memory, { flowId: flow.flow_id, entryNumber: flow.entry_points[0]?.entry_number });
      return { flowName: REHEARSAL_FLOW };
    }
    case 'publish-zcc-flow':
      if (memory.flowId && !slips.skipFlowPublish) await consoles.updateFlow(tenant.zoom.accountId, memory.flowId, { status: 'published' });
      return {};
    case 'accept-genai-policy':
      // A click in the Models Library that no API sees (the simulators do not model the policy).
      return {};
    case 'authorize-zoom-connector':
      if (memory.connectorId && !slips.skipAuthorize) await consoles.authorizeConnector(memory.connectorId);
      return {};
    case 'enable-chat-history-scope':
      // As the instructions ask: Chat History, and Bot Sessions for finding the test call without its session id.
      if (!slips.skipChatHistoryMapping) await consoles.mapKoreScope(tenant.kore.clientId, KORE_SCOPES.chatHistory);
      await consoles.mapKoreScope(tenant.kore.clientId, KORE_SCOPES.botSessions);
      return {};
    case 'enable-conversation-summary':
      if (!slips.skipSummary) await consoles.setConversationSummary(botId, true);
      return { model: 'Kore.ai XO GPT - Summarization' };
    case 'publish-app':
      if (!slips.skipPublish) {
        const at = Date.now();
        await consoles.publishKoreBot(botId, REHEARSAL_PUBLISH_COMMENT);
        await waitForPublish(consoles, botId, at);
      }
      return { comment: REHEARSAL_PUBLISH_COMMENT };
    case 'place-test-call':
      // The caller dials the routed flow's number; the call goes where the people's setup takes it.
      if (memory.entryNumber) {
        await consoles.placeTestCall({ accountId: tenant.zoom.accountId, number: memory.entryNumber, summaryDelayMs: opts.summaryDelayMs ?? 1500 });
      }
      return {};
  }
}

/**
 * Registers the tenant's apps in the simulated vendors with the secret values its references
 * resolve to, as they are before onboarding: no Kore.ai scope mapped; an Admin Console app (when
 * the file names one) that may publish, export and import; the golden bot (when named) with XO
 * GPT's Conversation Summary on; the Zoom S2S app with the scopes the README's prerequisites list
 * (`zoomScopes` overrides them, e.g. to leave one out or add flow:write).
 */
export async function registerTenant(
  consoles: SimAdminClient,
  tenant: PublicTenant,
  secrets: { kore: string; zoom: string; koreAdmin?: string },
  opts: { zoomScopes?: string[] } = {},
): Promise<void> {
  await consoles.registerKoreTenant({ clientId: tenant.kore.clientId, clientSecret: secrets.kore, botId: tenant.kore.botId, botName: tenant.displayName });
  if (tenant.kore.adminAppClientId && secrets.koreAdmin) {
    await consoles.registerKoreApp({
      clientId: tenant.kore.adminAppClientId,
      clientSecret: secrets.koreAdmin,
      admin: true,
      scopes: [KORE_SCOPES.botPublish, KORE_SCOPES.roleManagement, KORE_SCOPES.botExport, KORE_SCOPES.botImport],
    });
  }
  if (tenant.kore.goldenBotId) {
    // The account's golden bot, whose GenAI settings a tenant copies; its own app only makes it exist.
    await consoles.registerKoreApp({ clientId: `${tenant.kore.clientId}-golden`, clientSecret: secrets.kore, botIds: [tenant.kore.goldenBotId] });
    await consoles.setConversationSummary(tenant.kore.goldenBotId, true);
  }
  await consoles.registerZoomAccount({ accountId: tenant.zoom.accountId, clientId: tenant.zoom.clientId, clientSecret: secrets.zoom, scopes: opts.zoomScopes });
}
