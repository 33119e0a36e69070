import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AutoResult, StepActivityInput } from '../src/domain/activity-contract';
import { formatDuration } from '../src/domain/duration';
import { describeTarget, runSipPreflight, type PreflightReport, type PreflightSettings } from '../src/integrations/sip/preflight';

/** The failure type once the propagation window is over: a person must fix DNS, the certificate or the SBC. */
export const PREFLIGHT_FAILED = 'PreflightFailed';

export interface PreflightDeps {
  settings: PreflightSettings;
  /** How long after the step started a failure still counts as DNS or trunk changes propagating. */
  propagationWindowMs: number;
  now?: () => number;
}

/** What went wrong, one clause per failed target (or the domain's one problem). */
export function failuresOf(report: PreflightReport): string {
  if (report.problem) return report.problem;
  return report.targets
    .filter((t) => t.outcome === 'failed')
    .map(describeTarget)
    .join('; ');
}

/**
 * The SIP preflight of the connector's domain (from create-zoom-connector's evidence). A pass (`ok`
 * or `warning`) is done with the report as the result. A failure is `pending` while the window since
 * `input.since` lasts (Kore.ai says a trunk's addresses can take ten minutes to be reachable; DNS
 * caches take their TTL), so the workflow asks again with backoff; after it, a non-retryable
 * PreflightFailed naming each failed target and why.
 */
export function sipPreflight(deps: PreflightDeps) {
  const now = deps.now ?? Date.now;
  return async (input: StepActivityInput): Promise<AutoResult> => {
    const domain = input.evidence['create-zoom-connector']?.domain;
    if (typeof domain !== 'string' || domain === '')
      throw ApplicationFailure.create({
        type: 'InvalidRequest',
        nonRetryable: true,
        message: 'the SIP preflight needs the connector domain: complete create-zoom-connector with its domain first',
      });
    let report: PreflightReport;
    try {
      report = await runSipPreflight(domain, deps.settings, (line) => Context.current().log.debug(line, { domain }));
    } catch (err) {
      // Only a domain that is not a domain name gets here: retrying will not change it.
      throw ApplicationFailure.create({ type: 'InvalidRequest', nonRetryable: true, message: `create-zoom-connector: ${(err as Error).message}` });
    }
    const result = report as unknown as Record<string, unknown>;
    if (report.verdict !== 'failed') return { status: 'done', result };
    const started = Date.parse(input.since);
    const until = (Number.isNaN(started) ? now() : started) + deps.propagationWindowMs;
    if (now() < until)
      return {
        status: 'pending',
        message: `SIP preflight of ${report.domain} failed: ${failuresOf(report)}. DNS and trunk changes can take a while to reach everyone, so it is checked again until ${new Date(until).toISOString()}`,
      };
    throw ApplicationFailure.create({
      type: PREFLIGHT_FAILED,
      nonRetryable: true,
      message: `SIP preflight of ${report.domain} still failing after ${formatDuration(deps.propagationWindowMs)}: ${failuresOf(report)} (the domain is the one step create-zoom-connector recorded: if it was mistyped, reopen that step)`,
      details: [result],
    });
  };
}
