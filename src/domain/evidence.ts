import type { PublicTenant } from './tenant';

/**
 * Evidence a person hands back is shown in progress, records and the dashboard; the steps' schemas
 * hold no secret, but whatever a step's evidence holds, these keys' values are never shown.
 */
const SENSITIVE_KEY = /secret|token|password|credential/i;

export function redactEvidence(evidence: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!evidence) return undefined;
  return Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, SENSITIVE_KEY.test(k) ? '[redacted]' : v]));
}

/**
 * The tenant as progress and records show it: already without its secrets (PublicTenant), and also
 * without the notify webhook's path (a Slack-style webhook URL is itself a credential) or the value
 * of a SIP header whose name says it is sensitive.
 */
const SENSITIVE_HEADER = /secret|token|password|credential|auth|key|signature/i;

export function redactTenant(t: PublicTenant): PublicTenant {
  const url = t.contacts.notifyWebhookUrl;
  const origin = url && /^https?:\/\/[^/?#]+/i.exec(url)?.[0];
  return {
    ...t,
    agentTransfer: {
      ...t.agentTransfer,
      sipHeaders: Object.fromEntries(Object.entries(t.agentTransfer.sipHeaders).map(([k, v]) => [k, SENSITIVE_HEADER.test(k) ? '[redacted]' : v])),
    },
    contacts: { ...t.contacts, notifyWebhookUrl: url === undefined ? undefined : `${origin ?? ''}/[redacted]` },
  };
}
