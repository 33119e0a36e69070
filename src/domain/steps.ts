import type { z } from 'zod';
import { EVIDENCE, type HumanStepId } from './evidence';
import { INSTRUCTIONS, type InstructionContext } from './instructions';
import type { PublicTenant } from './tenant';

/**
 * The checklist of the vendor guide as data: each step's side, kind, dependencies, evidence,
 * instructions and the activity that runs or verifies it. The workflow engine walks this graph;
 * no step has a code path of its own.
 */
export const STEP_IDS = [
  'verify-kore-access',
  'verify-zoom-access',
  'associate-experience-flow',
  'create-zoom-connector',
  'configure-sip-trunk',
  'configure-agent-transfer',
  'route-zcc-flow-to-connector',
  'authorize-zoom-connector',
  'enable-chat-history-scope',
  'enable-conversation-summary',
  'publish-app',
  'place-test-call',
  'verify-conversation-summary',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** The guide's phases, for grouping the checklist on screen. */
export const PHASES = ['Setup', 'Channel integration', 'Routing', 'Agent interaction'] as const;
export type Phase = (typeof PHASES)[number];

/** Activities the catalogue names (implemented in activities/, called through one proxy). */
export type AutoActivity = 'checkKoreAccess' | 'checkZoomAccess' | 'verifyConversationSummary';
export type VerifierActivity = 'verifyZccFlowPublished' | 'verifyChatHistoryScope' | 'verifyBotPublished' | 'findTestCallSession';

export interface CrossCheckContext {
  tenant: PublicTenant;
  evidence: InstructionContext['evidence'];
}

interface StepBase {
  id: StepId;
  title: string;
  phase: Phase;
  side: 'kore' | 'zoom';
  dependsOn: StepId[];
  skippable?: boolean;
  instructions: (ctx: InstructionContext) => string[];
}

export interface AutoStep extends StepBase {
  kind: 'auto';
  activity: AutoActivity;
}

export interface HumanStep extends StepBase {
  kind: 'human';
  id: HumanStepId;
  evidence: z.ZodTypeAny;
  /** A check against other steps' evidence or the tenant; returns what is wrong, if anything. */
  crossCheck?: (evidence: Record<string, unknown>, ctx: CrossCheckContext) => string | undefined;
  /** Checks the person's claim by API; `when` limits it to tenants that make it possible. */
  verifier?: { activity: VerifierActivity; when?: (tenant: PublicTenant) => boolean };
}

export type StepDefinition = AutoStep | HumanStep;

const auto = (s: Omit<AutoStep, 'kind' | 'instructions'>): AutoStep => ({ ...s, kind: 'auto', instructions: INSTRUCTIONS[s.id]! });
const human = (s: Omit<HumanStep, 'kind' | 'instructions' | 'evidence'>): HumanStep => ({
  ...s,
  kind: 'human',
  evidence: EVIDENCE[s.id],
  instructions: INSTRUCTIONS[s.id]!,
});

const KORE_HUMAN_STEPS: StepId[] = [
  'associate-experience-flow',
  'configure-sip-trunk',
  'configure-agent-transfer',
  'enable-chat-history-scope',
  'enable-conversation-summary',
];

const CATALOGUE: StepDefinition[] = [
  auto({ id: 'verify-kore-access', title: 'Check the Kore.ai app credentials and bot', phase: 'Setup', side: 'kore', dependsOn: [], activity: 'checkKoreAccess' }),
  auto({ id: 'verify-zoom-access', title: 'Check the Zoom Server-to-Server app and its scopes', phase: 'Setup', side: 'zoom', dependsOn: [], activity: 'checkZoomAccess' }),
  human({ id: 'associate-experience-flow', title: 'Attach the app to an Experience Flow', phase: 'Setup', side: 'kore', dependsOn: ['verify-kore-access'] }),
  human({
    id: 'create-zoom-connector',
    title: 'Create the Kore.ai Assistant Connector in the Zoom Marketplace',
    phase: 'Setup',
    side: 'zoom',
    dependsOn: ['verify-zoom-access', 'verify-kore-access'],
  }),
  human({
    id: 'authorize-zoom-connector',
    title: 'Authorize the connector with Kore.ai',
    phase: 'Setup',
    side: 'zoom',
    dependsOn: ['create-zoom-connector'],
  }),
  human({
    id: 'configure-sip-trunk',
    title: 'Configure the SIP trunk (Transfer from IVR) and attach the flow',
    phase: 'Channel integration',
    side: 'kore',
    dependsOn: ['create-zoom-connector', 'associate-experience-flow'],
    crossCheck: (e, ctx) => {
      const named = ctx.evidence['associate-experience-flow']?.experienceFlowName;
      return named !== undefined && e.attachedFlowName !== named
        ? `evidence.attachedFlowName "${String(e.attachedFlowName)}" is not the flow named in associate-experience-flow ("${named}"); attach that flow`
        : undefined;
    },
  }),
  human({
    id: 'route-zcc-flow-to-connector',
    title: 'Route the ZCC entry flow to the connector and publish it',
    phase: 'Channel integration',
    side: 'zoom',
    dependsOn: ['create-zoom-connector'],
    verifier: { activity: 'verifyZccFlowPublished' },
  }),
  human({
    id: 'configure-agent-transfer',
    title: 'Configure Agent Transfer back to ZCC (SIP BYE)',
    phase: 'Routing',
    side: 'kore',
    dependsOn: ['associate-experience-flow'],
    skippable: true,
    crossCheck: (e, ctx) =>
      e.option !== ctx.tenant.agentTransfer.option
        ? `evidence.option "${String(e.option)}" is not the option chosen for this tenant ("${ctx.tenant.agentTransfer.option}"); configure that one, or change the tenant`
        : undefined,
  }),
  human({
    id: 'enable-chat-history-scope',
    title: 'Map the Chat History API scope to the JWT app',
    phase: 'Routing',
    side: 'kore',
    dependsOn: ['verify-kore-access'],
    verifier: { activity: 'verifyChatHistoryScope' },
  }),
  human({
    id: 'enable-conversation-summary',
    title: 'Enable XO GPT and the Conversation Summary feature',
    phase: 'Routing',
    side: 'kore',
    dependsOn: ['verify-kore-access'],
    skippable: true,
  }),
  human({
    id: 'publish-app',
    title: 'Publish the app',
    phase: 'Routing',
    side: 'kore',
    dependsOn: KORE_HUMAN_STEPS,
    verifier: { activity: 'verifyBotPublished', when: (t) => t.kore.adminAppClientId !== undefined },
  }),
  human({
    id: 'place-test-call',
    title: 'Place a test call',
    phase: 'Agent interaction',
    side: 'zoom',
    dependsOn: ['publish-app', 'configure-sip-trunk', 'authorize-zoom-connector', 'route-zcc-flow-to-connector'],
    verifier: { activity: 'findTestCallSession' },
  }),
  auto({
    id: 'verify-conversation-summary',
    title: 'Fetch the test call\'s conversation details and summary',
    phase: 'Agent interaction',
    side: 'kore',
    dependsOn: ['place-test-call'],
    skippable: true,
    activity: 'verifyConversationSummary',
  }),
];

/** In the guide's order of work (STEP_IDS), whatever order they are declared in above. */
export const STEPS: readonly StepDefinition[] = [...CATALOGUE].sort((a, b) => STEP_IDS.indexOf(a.id) - STEP_IDS.indexOf(b.id));

export const STEP_BY_ID: ReadonlyMap<string, StepDefinition> = new Map(STEPS.map((s) => [s.id, s]));

export function isStepId(id: string): id is StepId {
  return STEP_BY_ID.has(id);
}
