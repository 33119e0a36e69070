import type { Command } from 'commander';
import { HealthChecks, HealthConflict, HealthNotFound, HEALTH_CHECK_TITLES, type HealthView } from '../../app';
import { selfDeclared } from '../caller';
import { withOnboardings } from '../onboardings';
import { CliError, output } from '../output';

const minute = (iso?: string) => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : '-');
const LABEL = { ok: '[ok]     ', warning: '[warning]', failing: '[FAILING]' } as const;

/** A tenant's health as a person reads it: the verdict, each check with the vendor's answer, what is not checked, the trend, the notices. */
export function healthLines(v: HealthView): string[] {
  const width = Math.max(0, ...v.results.map((r) => r.check.length));
  return [
    `${v.displayName} (${v.tenantId}): health ${v.status}, ${v.enabled ? `checked every ${v.every}` : 'checks disabled'}, ${v.runs} run(s)`,
    `last run ${minute(v.lastRunAt)}, next ${v.stopped ? `none (stopped ${minute(v.stopped.at)} by ${v.stopped.by}: ${v.stopped.reason})` : minute(v.nextRunAt)}`,
    ...v.results.map((r) => `  ${LABEL[r.outcome]} ${r.check.padEnd(width)}  ${r.answer}`),
    ...v.notChecked.map((n) => `  [-]       ${n.check.padEnd(width)}  not checked: ${n.why}`),
    ...(v.trend.length
      ? [`trend, oldest first: ${v.trend.map((t) => (t.status === 'ok' ? 'ok' : `${t.status}(${[...t.failing, ...t.warning].join(',')})`)).join(' ')}`]
      : []),
    ...v.notices.map((n) => `notice ${minute(n.at)}: ${n.checks.join(', ')} got worse (${n.delivered ? 'sent to the webhook' : 'logged; no webhook answer'})`),
  ];
}

async function withHealth<T>(fn: (health: HealthChecks) => Promise<T>): Promise<T> {
  return withOnboardings(async (onboardings) => {
    try {
      return await fn(new HealthChecks(onboardings));
    } catch (err) {
      if (err instanceof HealthNotFound || err instanceof HealthConflict) throw new CliError(err.message, 1);
      throw err;
    }
  });
}

/** `onboard health enable|disable|status|run <tenantId>`: a live tenant's health checks. */
export function registerHealth(program: Command): void {
  const health = program
    .command('health')
    .description(
      `a live tenant's health checks (daily by default, started when its onboarding completes): ${Object.keys(HEALTH_CHECK_TITLES).join(', ')}; each ok, warning or failing with the vendor's answer`,
    );
  const show = (flags: { json?: boolean }, v: HealthView) => output(Boolean(flags.json)).result(v, healthLines(v));

  health
    .command('status')
    .description('the last results, what is not checked and why, the trend and the notices sent')
    .argument('<tenantId>')
    .option('--json', 'print the health view as JSON')
    .action(async (tenantId: string, flags: { json?: boolean }) => {
      const v = await withHealth((h) => h.status(tenantId));
      show(flags, v);
      if (v.status === 'failing') process.exitCode = 1;
    });

  health
    .command('run')
    .description('run every check now and show the results (exits 1 when a check is failing)')
    .argument('<tenantId>')
    .requiredOption('--by <who>', 'your name or email (self-declared)')
    .option('--json', 'print the health view as JSON')
    .action(async (tenantId: string, flags: { by: string; json?: boolean }) => {
      const v = await withHealth((h) => h.run(tenantId, selfDeclared(flags.by)));
      show(flags, v);
      if (v.status === 'failing') process.exitCode = 1;
    });

  health
    .command('enable')
    .description("turn the checks on (a completed onboarding's, also one finished before health checks existed)")
    .argument('<tenantId>')
    .requiredOption('--by <who>', 'your name or email (self-declared)')
    .option('--every <duration>', 'how often, e.g. 12h or 1d (at least 5m; default: as it was, else 1d)')
    .option('--json', 'print the health view as JSON')
    .action(async (tenantId: string, flags: { by: string; every?: string; json?: boolean }) => {
      show(flags, await withHealth((h) => h.enable(tenantId, { ...selfDeclared(flags.by), ...(flags.every ? { every: flags.every } : {}) })));
    });

  health
    .command('disable')
    .description('pause the checks (results, trend and notices are kept; enable resumes them)')
    .argument('<tenantId>')
    .requiredOption('--by <who>', 'your name or email (self-declared)')
    .option('--json', 'print the health view as JSON')
    .action(async (tenantId: string, flags: { by: string; json?: boolean }) => {
      show(flags, await withHealth((h) => h.disable(tenantId, selfDeclared(flags.by))));
    });
}
