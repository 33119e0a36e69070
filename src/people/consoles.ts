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

/** What a person remembers from one step to the next (the connector they created). */
export interface ConsoleMemory {
  connectorId?: string;
  did?: string;
  domain?: string;
}

export interface ConsoleOptions {
  /** How long XO GPT takes to summarise the test call (the benchmark uses 0). */
  summaryDelayMs?: number;
}

export type Evidence = Record<string, unknown>;

export async function doInConsoles(
  step: HumanStepId,
  tenant: PublicTenant,
  consoles: SimAdminClient,
  memory: ConsoleMemory,
  opts: ConsoleOptions = {},
): Promise<Evidence> {
  switch (step) {
    case 'associate-experience-flow':
      return { experienceFlowName: REHEARSAL_EXPERIENCE_FLOW };
    case 'create-zoom-connector': {
      const c = await consoles.createConnector({
        accountId: tenant.zoom.accountId,
        name: `${tenant.displayName} voicebot`,
        botId: tenant.kore.botId,
        koreClientId: tenant.kore.clientId,
        baseUrl: consoles.koreUrl,
      });
      Object.assign(memory, { connectorId: c.connectorId, did: c.did, domain: c.domain });
      return { connectorName: c.name, domain: c.domain, did: c.did };
    }
    case 'configure-sip-trunk':
      return { sipUri: `sip:${tenant.kore.botId}@${memory.domain ?? 'voice.kore.sim'}`, attachedFlowName: REHEARSAL_EXPERIENCE_FLOW };
    case 'configure-agent-transfer':
      return { option: tenant.agentTransfer.option };
    case 'route-zcc-flow-to-connector':
      await consoles.addFlow({
        accountId: tenant.zoom.accountId,
        flowName: REHEARSAL_FLOW,
        status: 'published',
        entryNumber: memory.did,
        connectorId: memory.connectorId,
      });
      return { flowName: REHEARSAL_FLOW };
    case 'authorize-zoom-connector':
      if (memory.connectorId) await consoles.authorizeConnector(memory.connectorId);
      return {};
    case 'enable-chat-history-scope':
      await consoles.mapKoreScope(tenant.kore.clientId, KORE_SCOPES.chatHistory);
      return {};
    case 'enable-conversation-summary':
      await consoles.setConversationSummary(tenant.kore.botId, true);
      return { model: 'Kore.ai XO GPT - Summarization' };
    case 'publish-app':
      await consoles.publishKoreBot(tenant.kore.botId, REHEARSAL_PUBLISH_COMMENT);
      return { comment: REHEARSAL_PUBLISH_COMMENT };
    case 'place-test-call':
      // The Zoom simulator links the call to the Kore.ai simulator through the connector.
      await consoles.placeTestCall({ accountId: tenant.zoom.accountId, did: memory.did, summaryDelayMs: opts.summaryDelayMs ?? 1500 });
      return {};
  }
}

/** Registers the tenant's apps in the simulated vendors with the secret values its references resolve to. */
export async function registerTenant(
  consoles: SimAdminClient,
  tenant: PublicTenant,
  secrets: { kore: string; zoom: string; koreAdmin?: string },
): Promise<void> {
  await consoles.registerKoreTenant({ clientId: tenant.kore.clientId, clientSecret: secrets.kore, botId: tenant.kore.botId, botName: tenant.displayName });
  if (tenant.kore.adminAppClientId && secrets.koreAdmin) {
    await consoles.registerKoreApp({
      clientId: tenant.kore.adminAppClientId,
      clientSecret: secrets.koreAdmin,
      admin: true,
      scopes: [KORE_SCOPES.botPublish, KORE_SCOPES.roleManagement],
    });
  }
  await consoles.registerZoomAccount({ accountId: tenant.zoom.accountId, clientId: tenant.zoom.clientId, clientSecret: secrets.zoom });
}
