import type { Config } from '../config';
import { preflightSettings, runSipPreflight, type PreflightReport } from '../integrations/sip/preflight';
import type { Progress } from '../../workflows/contract';
import type { Onboardings } from './onboardings';

/**
 * The SIP preflight on demand (`onboard preflight`), with the worker's settings: of a domain given,
 * or of the connector domain a tenant's run has in its create-zoom-connector evidence.
 */

export type { PreflightReport, TargetReport, Verdict } from '../integrations/sip/preflight';
export { describeTarget } from '../integrations/sip/preflight';

const CONNECTOR_STEP = 'create-zoom-connector';

export class NoConnectorDomain extends Error {
  override readonly name = 'NoConnectorDomain';
}

/** The connector domain a run was given, or a refusal saying what to do first. */
export function connectorDomainOf(progress: Progress): string {
  const step = progress.steps.find((s) => s.id === CONNECTOR_STEP);
  const domain = step?.evidence?.domain;
  if (typeof domain === 'string' && domain) return domain;
  throw new NoConnectorDomain(
    `${progress.tenantId} has no connector domain yet: ${CONNECTOR_STEP} is ${step?.state ?? 'not in its catalogue'}; complete it first, or give the domain with --domain`,
  );
}

export async function tenantConnectorDomain(onboardings: Onboardings, tenantId: string): Promise<string> {
  return connectorDomainOf(await onboardings.progress(tenantId));
}

export function preflightDomain(config: Config, domain: string, progress?: (line: string) => void): Promise<PreflightReport> {
  return runSipPreflight(domain, preflightSettings(config.preflight), progress);
}
