import { z } from 'zod';
import { E164, Fqdn, NonBlank, SipUri } from './validation';

/**
 * What a person hands back when they finish a console step. Strict objects: an unknown field is
 * a mistake worth reporting, not something to carry along.
 */
export const EVIDENCE = {
  'associate-experience-flow': z.object({ experienceFlowName: NonBlank(120) }).strict(),
  'create-zoom-connector': z.object({ connectorName: NonBlank(120), domain: Fqdn, did: E164 }).strict(),
  'configure-sip-trunk': z.object({ sipUri: SipUri, attachedFlowName: NonBlank(120) }).strict(),
  'configure-agent-transfer': z.object({ option: z.enum(['agent-transfer-node', 'dialog-task'], { error: 'must be agent-transfer-node or dialog-task' }) }).strict(),
  'route-zcc-flow-to-connector': z.object({ flowName: NonBlank(120) }).strict(),
  'authorize-zoom-connector': z.object({}).strict(),
  'enable-chat-history-scope': z.object({}).strict(),
  'enable-conversation-summary': z.object({ model: NonBlank(120) }).strict(),
  'publish-app': z.object({ comment: NonBlank(500) }).strict(),
  'place-test-call': z
    .object({ sessionId: z.string().trim().regex(/^[A-Za-z0-9_-]{6,64}$/, 'is not a Kore.ai session id (from Insights > Identifiers)').optional() })
    .strict(),
} as const;

export type HumanStepId = keyof typeof EVIDENCE;
export type Evidence<S extends HumanStepId> = z.infer<(typeof EVIDENCE)[S]>;

/** Keys whose values never appear in progress, whatever a step's evidence holds. */
const SENSITIVE_KEY = /secret|token|password|credential/i;

export function redactEvidence(evidence: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!evidence) return undefined;
  return Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, SENSITIVE_KEY.test(k) ? '[redacted]' : v]));
}
