import type { Command } from 'commander';
import { describeTarget, NoConnectorDomain, preflightDomain, tenantConnectorDomain, type PreflightReport } from '../../app';
import { loadConfig } from '../../config';
import { withOnboardings } from '../onboardings';
import { CliError, output } from '../output';

/** The human lines of a report: the SRV name, one line per target, the verdict. */
export function preflightLines(r: PreflightReport): string[] {
  return [
    `SIP preflight of ${r.domain}${r.srv ? ` (${r.srv})` : ''}`,
    ...r.targets.map((t) => `  ${describeTarget(t)}`),
    ...(r.problem ? [`  ${r.problem}`, 'verdict: failed'] : [`verdict: ${r.summary}`]),
  ];
}

/** `onboard preflight`: the connector domain's DNS, TLS and SIP OPTIONS, checked now from here. */
export function registerPreflight(program: Command): void {
  program
    .command('preflight')
    .description(
      "check a connector's SIP domain before the first call: SRV (_sips._tcp, then _sip._tls), each target's address, TLS 1.2+ with a trusted certificate naming the domain or target and 14+ days left, then SIP OPTIONS; exits 1 when the verdict is failed",
    )
    .argument('[tenantId]', "the tenant whose run's create-zoom-connector evidence gives the domain")
    .option('--domain <domain>', "check this SIP domain instead of a tenant's (no Temporal needed)")
    .option('--json', 'print the report as JSON')
    .action(async (tenantId: string | undefined, flags: { domain?: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      if (Boolean(tenantId) === Boolean(flags.domain)) throw new CliError('give a tenant id or --domain <domain> (one of them)', 2);
      const config = loadConfig();
      let domain = flags.domain;
      if (tenantId) {
        out.progress(`reading ${tenantId}'s connector domain ...`);
        domain = await withOnboardings(async (onboardings) => {
          try {
            return await tenantConnectorDomain(onboardings, tenantId);
          } catch (err) {
            if (err instanceof NoConnectorDomain) throw new CliError(err.message, 1);
            throw err;
          }
        });
      }
      let report: PreflightReport;
      try {
        report = await preflightDomain(config, domain!, out.progress);
      } catch (err) {
        // A domain that is not one, or an unreadable ONBOARD_PREFLIGHT_CA_FILE: the person's to fix.
        throw new CliError((err as Error).message, 2);
      }
      out.result(report, preflightLines(report));
      if (report.verdict === 'failed') process.exitCode = 1;
    });
}
