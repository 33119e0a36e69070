import type { HumanStepId } from '../../src/domain/steps';
import type { PublicTenant } from '../../src/domain/tenant';
import { doInConsoles, type ConsoleMemory } from '../../src/people';
import type { SimAdminClient } from '../../src/sim/admin-client';

/** The console steps that set the voice path up, in an order that satisfies their dependencies. */
export const VOICE_PATH_STEPS: readonly HumanStepId[] = [
  'associate-experience-flow',
  'create-zoom-connector',
  'configure-sip-trunk',
  'configure-agent-transfer',
  'route-zcc-flow-to-connector',
  'publish-zcc-flow',
  'authorize-zoom-connector',
  'enable-chat-history-scope',
  'accept-genai-policy',
  'enable-conversation-summary',
  'publish-app',
];

/**
 * A tenant already registered in both simulators, set up in both consoles as the scripted people
 * do it, so a call to `memory.entryNumber` reaches the bot (for tests below the workflow).
 */
export async function setUpVoicePath(consoles: SimAdminClient, tenant: PublicTenant): Promise<ConsoleMemory & { entryNumber: string }> {
  const memory: ConsoleMemory = {};
  for (const step of VOICE_PATH_STEPS) await doInConsoles(step, tenant, consoles, memory);
  return memory as ConsoleMemory & { entryNumber: string };
}

/** The fixtures' TENANT (test/support/fixtures.ts) as the consoles read a tenant. */
export function fixtureTenant(t: { kore: { clientId: string; botId: string }; zoom: { accountId: string } }): PublicTenant {
  return {
    tenantId: 'acme-fixture',
    displayName: 'Acme Corp',
    kore: { region: 'us', botId: t.kore.botId, clientId: t.kore.clientId },
    zoom: { accountId: t.zoom.accountId },
    agentTransfer: { option: 'agent-transfer-node', target: '+14155550123', sipHeaders: {} },
  } as unknown as PublicTenant;
}
