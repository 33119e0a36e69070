import type { Onboardings } from '../app';
import type { StepId } from '../domain/steps';
import type { PublicTenant, TenantFile } from '../domain/tenant';
import { KORE_SCOPES } from '../integrations/kore/scopes';
import { ZOOM_VERIFY_SCOPES } from '../integrations/zoom/scopes';
import type { SimAdminClient } from '../sim/admin-client';
import { doInConsoles, mistypedDid, mistypedDomain, REHEARSAL_EXPERIENCE_FLOW, type ConsoleMemory, type Slips } from './consoles';

/**
 * The mistakes a person makes in this onboarding, as data: what the scripted person gets wrong
 * (in a console, or in what they type as evidence), where the run must catch it (the earliest step
 * whose checks can see it), words the diagnosis must contain, and what the person does once told.
 * `onboard rehearse --mistake <name>` and test/workflow/mistakes.test.ts play them (through
 * src/people/mistake-rehearsal.ts); the README's
 * table lists them.
 */
export interface MistakeScene {
  tenant: PublicTenant;
  consoles: SimAdminClient;
  memory: ConsoleMemory;
  onboardings: Onboardings;
  by: string;
}

export interface Mistake {
  name: string;
  /** What the person does wrong, in a few words. */
  summary: string;
  kind: 'console' | 'evidence';
  slips: (t: PublicTenant) => Slips;
  /**
   * What the person types instead of what the console shows, for the step's evidence (given the
   * connector they created). Later steps' instructions show it, so the person follows it there too.
   */
  typo?: { step: 'create-zoom-connector'; value: (shown: { did: string; domain: string }) => { did?: string; domain?: string } };
  /** The tenant as this scene needs it (e.g. with an Admin Console app, so a verifier can see the publish). */
  tenant?: (t: TenantFile) => TenantFile;
  /** The S2S app's scopes before onboarding, when the mistake is in them. */
  zoomScopes?: readonly string[];
  caught: {
    step: StepId;
    state: 'open' | 'needs-attention';
    /** Words the diagnosis must contain (it names the value, the console and the step to fix). */
    says: (scene: MistakeScene) => string;
  };
  /** What the person does once the run says what is wrong; the run then completes. */
  fix: (scene: MistakeScene) => Promise<void>;
}

async function publishAndWait(scene: MistakeScene): Promise<void> {
  const botId = scene.tenant.kore.botId;
  const at = Date.now();
  await scene.consoles.publishKoreBot(botId, 'fix');
  for (let i = 0; i < 200; i++) {
    const s = await scene.consoles.koreBotSetup(botId);
    if (s.published && (s.publishedAt ?? 0) >= at) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
const retry = (scene: MistakeScene, stepId: StepId) => scene.onboardings.retry(scene.tenant.tenantId, { stepId, by: scene.by }).then(() => undefined);
const connectorOf = (scene: MistakeScene) => scene.memory.connector ?? { did: '?', domain: '?', name: '?' };

export const MISTAKES: readonly Mistake[] = [
  {
    name: 'wrong-did',
    summary: 'types the connector DID with one digit wrong into create-zoom-connector (and so into the SIP trunk)',
    kind: 'evidence',
    slips: () => ({}),
    typo: { step: 'create-zoom-connector', value: (c) => ({ did: mistypedDid(c.did) }) },
    caught: {
      step: 'place-test-call',
      state: 'open',
      says: (s) =>
        `the connector sends calls to DID ${connectorOf(s).did}, but step create-zoom-connector recorded DID ${mistypedDid(connectorOf(s).did)}: reopen create-zoom-connector`,
    },
    fix: (s) => s.onboardings.reopen(s.tenant.tenantId, { stepId: 'create-zoom-connector', reason: 'the DID was mistyped', by: s.by }).then(() => undefined),
  },
  {
    name: 'wrong-domain',
    summary: 'types the connector Domain wrong into create-zoom-connector (and so into the SIP trunk FQDN)',
    kind: 'evidence',
    slips: () => ({}),
    typo: { step: 'create-zoom-connector', value: (c) => ({ domain: mistypedDomain(c.domain) }) },
    // The SIP preflight finds no SRV record for the mistyped domain before anyone dials.
    caught: {
      step: 'sip-preflight',
      state: 'needs-attention',
      says: (s) =>
        `no SRV record for _sips._tcp.${mistypedDomain(connectorOf(s).domain)} or _sip._tls.${mistypedDomain(connectorOf(s).domain)}: the connector's domain must publish one`,
    },
    // The person reopens the connector step, reads the Domain again, and retries the check.
    fix: async (s) => {
      const tenantId = s.tenant.tenantId;
      await s.onboardings.reopen(tenantId, { stepId: 'create-zoom-connector', reason: 'the Domain was mistyped', by: s.by });
      const evidence = await doInConsoles('create-zoom-connector', s.tenant, s.consoles, s.memory);
      await s.onboardings.complete(tenantId, { stepId: 'create-zoom-connector', evidence, by: s.by });
      await retry(s, 'sip-preflight');
    },
  },
  {
    name: 'wrong-did-in-sip-trunk',
    summary: 'enters the right DID as evidence but saves the SIP trunk with one digit wrong',
    kind: 'console',
    slips: () => ({ sipTrunk: { mistypeDid: true } }),
    caught: {
      step: 'place-test-call',
      state: 'open',
      says: (s) =>
        `the Kore.ai voice gateway answered SIP 404 Not Found for DID ${connectorOf(s).did}: in AI for Service > Flows & Channels > Voice Gateway > SIP Numbers`,
    },
    fix: async (s) => {
      const trunk = await s.consoles.saveSipTrunk(s.tenant.kore.botId, {
        fqdn: connectorOf(s).domain,
        did: connectorOf(s).did,
        dnsResolve: 'srv',
        transport: 'tls',
        padCrypto: true,
        inbound: true,
        outbound: true,
      });
      await s.consoles.attachFlowToTrunk(s.tenant.kore.botId, trunk.trunkId, REHEARSAL_EXPERIENCE_FLOW);
      await publishAndWait(s);
    },
  },
  {
    name: 'connector-not-authorized',
    summary: 'never clicks Next to authorize the connector with Kore.ai, but completes the step',
    kind: 'console',
    slips: () => ({ skipAuthorize: true }),
    caught: {
      step: 'place-test-call',
      state: 'open',
      says: () => 'the Kore.ai connector is not authorized: on the connector page in the Zoom App Marketplace',
    },
    fix: async (s) => {
      await s.consoles.authorizeConnector(s.memory.connectorId!);
    },
  },
  {
    name: 'wrong-client-id-in-connector',
    summary: "pastes another app's Client ID into the connector",
    kind: 'console',
    slips: () => ({ connector: { clientId: 'cs-someone-elses-app' } }),
    caught: {
      step: 'place-test-call',
      state: 'open',
      says: (s) => `Kore.ai refused the connector's credentials: in the Zoom App Marketplace connector, Client ID must read ${s.tenant.kore.clientId}`,
    },
    fix: async (s) => {
      await s.consoles.updateConnector(s.memory.connectorId!, { koreClientId: s.tenant.kore.clientId });
    },
  },
  {
    name: 'wrong-bot-id',
    summary: 'types a wrong Bot ID into the connector',
    kind: 'console',
    slips: (t) => ({ connector: { botId: `${t.kore.botId}x` } }),
    caught: {
      step: 'place-test-call',
      state: 'open',
      says: (s) => `Kore.ai refused the connector's Bot ID: in the Zoom App Marketplace connector, Bot ID must read ${s.tenant.kore.botId}`,
    },
    fix: async (s) => {
      await s.consoles.updateConnector(s.memory.connectorId!, { botId: s.tenant.kore.botId });
    },
  },
  {
    name: 'app-not-published',
    summary: 'completes publish-app without publishing',
    kind: 'console',
    slips: () => ({ skipPublish: true }),
    caught: {
      step: 'verify-chat-history-access',
      state: 'needs-attention',
      says: (s) => `Kore.ai still refuses Chat History for JWT app ${s.tenant.kore.clientId}: map Chat History to it`,
    },
    fix: async (s) => {
      await publishAndWait(s);
      await retry(s, 'verify-chat-history-access');
    },
  },
  {
    name: 'app-not-published-admin-app',
    summary:
      'completes publish-app without publishing, on a tenant with an Admin Console app (so the publish status is read) whose file says a person publishes (stepModes.publish-app: human)',
    kind: 'console',
    slips: () => ({ skipPublish: true }),
    tenant: (t) => ({
      ...t,
      kore: { ...t.kore, adminApp: { clientId: `${t.kore.clientId}-admin`, clientSecret: `${t.kore.clientSecret}-admin` } },
      stepModes: { 'publish-app': 'human' },
    }),
    caught: {
      step: 'publish-app',
      state: 'open',
      says: () => 'Kore.ai has no publish for this bot; publish the app (Deploy > Publish) and complete the step again',
    },
    // Told so, the person does the step again, and this time publishes.
    fix: async () => undefined,
  },
  {
    name: 'flow-not-attached',
    summary: 'saves the SIP trunk but never attaches the experience flow',
    kind: 'console',
    slips: () => ({ skipAttachFlow: true }),
    caught: { step: 'place-test-call', state: 'open', says: () => `(SIP 480): click Attach Flow on that SIP trunk and attach "${REHEARSAL_EXPERIENCE_FLOW}"` },
    fix: async (s) => {
      await s.consoles.attachFlowToTrunk(s.tenant.kore.botId, s.memory.trunkId!, REHEARSAL_EXPERIENCE_FLOW);
      await publishAndWait(s);
    },
  },
  {
    name: 'zcc-flow-not-routed',
    summary: 'publishes the ZCC flow without routing it to the connector',
    kind: 'console',
    slips: () => ({ skipRouteToConnector: true }),
    caught: {
      step: 'place-test-call',
      state: 'open',
      says: () => 'but never reached the Kore.ai connector: in Zoom Contact Center\'s flow editor route ZCC flow "ZCC Voice Entry"',
    },
    fix: async (s) => {
      await s.consoles.updateFlow(s.tenant.zoom.accountId, s.memory.flowId!, { connectorId: s.memory.connectorId! });
    },
  },
  {
    name: 'zcc-flow-not-published',
    summary: "completes publish-zcc-flow (a person's, since the Zoom app may not publish flows) but leaves the flow a draft",
    kind: 'console',
    slips: () => ({ skipFlowPublish: true }),
    caught: { step: 'publish-zcc-flow', state: 'open', says: () => 'ZCC flow "ZCC Voice Entry" is draft, not published; publish it' },
    fix: async (s) => {
      await s.consoles.updateFlow(s.tenant.zoom.accountId, s.memory.flowId!, { status: 'published' });
    },
  },
  {
    name: 'chat-history-not-mapped',
    summary: 'maps Bot Sessions but not Chat History',
    kind: 'console',
    slips: () => ({ skipChatHistoryMapping: true }),
    caught: {
      step: 'verify-chat-history-access',
      state: 'needs-attention',
      says: (s) =>
        `Kore.ai still refuses Chat History for JWT app ${s.tenant.kore.clientId}: map Chat History to it under Settings > App Settings > Dev Tools > API Scopes (step enable-chat-history-scope), publish the app again`,
    },
    fix: async (s) => {
      await s.consoles.mapKoreScope(s.tenant.kore.clientId, KORE_SCOPES.chatHistory);
      await publishAndWait(s);
      await retry(s, 'verify-chat-history-access');
    },
  },
  {
    name: 'summary-off',
    summary: 'completes enable-conversation-summary without turning Conversation Summary on',
    kind: 'console',
    slips: () => ({ skipSummary: true }),
    caught: {
      step: 'verify-conversation-summary',
      state: 'needs-attention',
      says: () => 'if none comes, turn Conversation Summary on with a model under Generative AI > GenAI Features (step enable-conversation-summary)',
    },
    fix: async (s) => {
      await s.consoles.setConversationSummary(s.tenant.kore.botId, true);
      await publishAndWait(s);
      await retry(s, 'verify-conversation-summary');
    },
  },
  {
    name: 'zoom-scope-missing',
    summary: 'created the Zoom S2S app without the Contact Center report scope (engagements)',
    kind: 'console',
    slips: () => ({}),
    zoomScopes: ZOOM_VERIFY_SCOPES.filter((s) => s !== 'contact_center_report:read:admin'),
    caught: {
      step: 'verify-zoom-access',
      state: 'needs-attention',
      says: () => 'the Server-to-Server app lacks scopes to read engagements (contact_center_report:read:admin or contact_center:read:list_engagements:admin)',
    },
    fix: async (s) => {
      await s.consoles.addZoomScope(s.tenant.zoom.accountId, 'contact_center_report:read:admin');
      await retry(s, 'verify-zoom-access');
    },
  },
];

export type MistakeName = (typeof MISTAKES)[number]['name'];

export function mistake(name: string): Mistake {
  const m = MISTAKES.find((x) => x.name === name);
  if (!m) throw new RangeError(`--mistake: unknown mistake "${name}"; one of: ${MISTAKES.map((x) => x.name).join(', ')}`);
  return m;
}
