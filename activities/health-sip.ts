import { Context } from '@temporalio/activity';
import { CERT_WARNING_DAYS, type CheckResult, type HealthCheckInput } from '../src/domain/health';
import { runSipPreflight, type PreflightSettings } from '../src/integrations/sip/preflight';
import { EXPIRY_MARGIN_DAYS } from '../src/integrations/sip/tls-probe';
import { result } from './health';
import { failuresOf } from './preflight';

/**
 * The SIP preflight again (src/integrations/sip), with the certificate's expiry judged for a live
 * tenant: under 30 days left a warning, under 14 (the preflight's own margin) or expired failing,
 * as is a target the preflight fails for any other reason.
 */
export function healthSip(deps: { settings: PreflightSettings }) {
  return async ({ features }: HealthCheckInput): Promise<CheckResult> => {
    const domain = features.connectorDomain;
    if (!domain) return result('sip', 'warning', 'the onboarding recorded no connector domain to check');
    const report = await runSipPreflight(domain, deps.settings, (line) => Context.current().log.debug(line, { domain }));
    if (report.verdict === 'failed') return result('sip', 'failing', `SIP preflight of ${domain} failed: ${failuresOf(report)}`);
    const certs = report.targets.flatMap((t) => (t.tls ? [{ target: `${t.target}:${t.port}`, validTo: t.tls.validTo, daysLeft: t.tls.daysLeft }] : []));
    const soonest = certs.sort((a, b) => a.daysLeft - b.daysLeft)[0];
    const facts = soonest ? { certificateValidTo: soonest.validTo, certificateDaysLeft: soonest.daysLeft } : undefined;
    if (soonest && soonest.daysLeft < CERT_WARNING_DAYS)
      return result(
        'sip',
        'warning',
        `the certificate of ${soonest.target} expires on ${soonest.validTo}, in ${soonest.daysLeft} days (less than ${CERT_WARNING_DAYS}; under ${EXPIRY_MARGIN_DAYS} this check fails): renew it before calls start failing`,
        facts,
      );
    if (report.verdict === 'warning') return result('sip', 'warning', `SIP preflight of ${domain}: ${report.summary}`, facts);
    return result(
      'sip',
      'ok',
      `SIP preflight of ${domain}: ${report.summary}${soonest ? `; certificate valid to ${soonest.validTo} (${soonest.daysLeft} days)` : ''}`,
      facts,
    );
  };
}
