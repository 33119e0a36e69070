/**
 * Evidence a person hands back is shown in progress, records and the dashboard; the steps' schemas
 * hold no secret, but whatever a step's evidence holds, these keys' values are never shown.
 */
const SENSITIVE_KEY = /secret|token|password|credential/i;

export function redactEvidence(evidence: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!evidence) return undefined;
  return Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, SENSITIVE_KEY.test(k) ? '[redacted]' : v]));
}
