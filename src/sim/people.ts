import axios from 'axios';
import { KORE_SCOPES } from '../integrations/kore/scopes';
import type { HumanStepId } from '../domain/evidence';
import type { PublicTenant } from '../domain/tenant';
import type { Simulators } from './index';

/**
 * The people's part of an onboarding, played against the simulators: for each human step, do in
 * the simulated consoles what the instructions say, and return the evidence a person would enter.
 * Used by `onboard rehearse` and by the tests; the evidence then goes through the same Update.
 */
export const REHEARSAL_FLOW = 'ZCC Voice Entry';
export const REHEARSAL_EXPERIENCE_FLOW = 'Kore Voice Experience';

export interface PeopleMemory {
  connectorId?: string;
  did?: string;
  domain?: string;
}

/** `summaryDelayMs`: how long XO GPT takes to summarise the test call (the benchmark uses 0). */
export async function actOut(step: HumanStepId, tenant: PublicTenant, sims: Simulators, memory: PeopleMemory, opts: { summaryDelayMs?: number } = {}): Promise<Record<string, unknown>> {
  const { kore, zoom } = sims;
  switch (step) {
    case 'associate-experience-flow':
      return { experienceFlowName: REHEARSAL_EXPERIENCE_FLOW };
    case 'create-zoom-connector': {
      const c = zoom.world.addConnector(tenant.zoom.accountId, {
        name: `${tenant.displayName} voicebot`,
        botId: tenant.kore.botId,
        koreClientId: tenant.kore.clientId,
        baseUrl: kore.url,
      });
      Object.assign(memory, { connectorId: c.connectorId, did: c.did, domain: c.domain });
      return { connectorName: c.name, domain: c.domain, did: c.did };
    }
    case 'configure-sip-trunk':
      return { sipUri: `sip:${tenant.kore.botId}@${memory.domain ?? 'voice.kore.sim'}`, attachedFlowName: REHEARSAL_EXPERIENCE_FLOW };
    case 'configure-agent-transfer':
      return { option: tenant.agentTransfer.option };
    case 'route-zcc-flow-to-connector':
      zoom.world.addFlow(tenant.zoom.accountId, { flowName: REHEARSAL_FLOW, status: 'published', entryNumber: memory.did, connectorId: memory.connectorId });
      return { flowName: REHEARSAL_FLOW };
    case 'authorize-zoom-connector':
      for (const c of zoom.world.mustAccount(tenant.zoom.accountId).connectors) if (c.connectorId === memory.connectorId) c.authorized = true;
      return {};
    case 'enable-chat-history-scope':
      kore.world.apps.get(tenant.kore.clientId)?.scopes.add(KORE_SCOPES.chatHistory);
      return {};
    case 'enable-conversation-summary':
      kore.world.addBot({ botId: tenant.kore.botId, summaryEnabled: true });
      return { model: 'Kore.ai XO GPT - Summarization' };
    case 'publish-app':
      kore.world.publish(tenant.kore.botId, 'ZCC voice go-live');
      return { comment: 'ZCC voice go-live' };
    case 'place-test-call':
      // Through the Zoom simulator's admin API, which links the call to the Kore.ai simulator.
      await axios.post(`${zoom.url}/__sim/test-calls`, { accountId: tenant.zoom.accountId, did: memory.did, summaryDelayMs: opts.summaryDelayMs ?? 1500 });
      return {};
  }
}

/** Registers the tenant's apps in the simulators with the secret values its references resolve to. */
export function registerTenantInSims(
  sims: Simulators,
  tenant: PublicTenant,
  secrets: { kore: string; zoom: string; koreAdmin?: string },
): void {
  sims.kore.world.addTenant({ clientId: tenant.kore.clientId, clientSecret: secrets.kore, botId: tenant.kore.botId, botName: tenant.displayName });
  if (tenant.kore.adminAppClientId && secrets.koreAdmin) {
    sims.kore.world.addApp({
      clientId: tenant.kore.adminAppClientId,
      clientSecret: secrets.koreAdmin,
      admin: true,
      scopes: [KORE_SCOPES.botPublish, KORE_SCOPES.roleManagement],
    });
  }
  sims.zoom.world.addAccount({ accountId: tenant.zoom.accountId, clientId: tenant.zoom.clientId, clientSecret: secrets.zoom });
}
