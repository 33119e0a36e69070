import type { Command } from 'commander';
import { ListQuery, ONBOARDING_STATUSES, TenantRejected } from '../../app';
import { withOnboardings } from '../onboardings';
import { output, CliError } from '../output';
import { defaultStarter, selfDeclared } from '../caller';
import { renderStatus } from '../render';
import { readTenantFile } from '../tenant-file';

/** Onboarding runs: start one, read its status, list them, cancel one. */
export function registerRuns(program: Command): void {
  program
    .command('start')
    .description(
      'start the onboarding of the tenant described in a JSON file (inline secrets move to the local secret store; env: and file: references need ONBOARD_SECRET_ENV_NAMES / ONBOARD_SECRET_FILE_DIRS)',
    )
    .argument('<tenant.json>', 'tenant file, see examples/tenant.example.json')
    .option('--by <who>', 'your name or email, recorded (self-declared) as who started it; default: your login name')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { by?: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const tenantFile = readTenantFile(file);
      await withOnboardings(async (onboardings, config) => {
        try {
          // The operator's start: env: and file: references too, inside ONBOARD_SECRET_ENV_NAMES / _FILE_DIRS.
          const { tenantId, workflowId, runId, tenant } = await onboardings.start(tenantFile, {
            secretRefs: 'operator',
            startedBy: selfDeclared(flags.by ?? defaultStarter()),
          });
          out.result({ tenantId, workflowId, runId }, [`Started ${workflowId} for ${tenant.displayName}.`, `Follow it with: onboard status ${tenantId}`]);
        } catch (err) {
          if (!(err instanceof TenantRejected)) throw err;
          // The webhook's refusals get the dev hint; the secret fields' messages name their variable.
          const hint = (field: string) =>
            field === 'contacts.notifyWebhookUrl' && !config.outbound.allowLocalWebhooks ? ' (set ONBOARD_ALLOW_LOCAL_WEBHOOKS=true in dev)' : '';
          throw new CliError(
            `${file} is not a valid tenant`,
            2,
            err.fields.map((e) => `${file}: ${e.field}: ${e.message}${hint(e.field)}`),
          );
        }
      });
    });

  program
    .command('status')
    .description("show a tenant's checklist and the next instructions, filled in with its values")
    .argument('<tenantId>')
    .option('--json', 'print the progress as JSON')
    .option('--consistent', 'ask the run itself (a query) instead of reading what it last published; needs a worker')
    .action(async (tenantId: string, flags: { json?: boolean; consistent?: boolean }) => {
      const out = output(Boolean(flags.json));
      await withOnboardings(async (onboardings) => {
        const p = await onboardings.progress(tenantId, { consistent: Boolean(flags.consistent) });
        out.result(p, renderStatus(p));
      });
    });

  program
    .command('list')
    .description('list onboardings (from Temporal visibility), newest first')
    .option('--status <status>', `only this status (${ONBOARDING_STATUSES.join(', ')})`)
    .option('--waiting', 'only those waiting on people')
    .option('--limit <n>', 'at most this many (1-200)', '100')
    .option('--json', 'print as JSON')
    .action(async (flags: { status?: string; waiting?: boolean; limit: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const q = ListQuery.safeParse({ status: flags.status, waiting: flags.waiting ? 'true' : undefined, pageSize: flags.limit });
      if (!q.success) {
        const i = q.error.issues[0]!;
        const option = { status: '--status', pageSize: '--limit' }[String(i.path[0])] ?? String(i.path[0]);
        throw new CliError(`${option}: ${i.message}`, 2);
      }
      await withOnboardings(async (onboardings) => {
        const { items: rows } = await onboardings.list(q.data);
        out.result(
          rows,
          rows.length
            ? [
                `${'TENANT'.padEnd(28)} ${'STATUS'.padEnd(18)} ${'STARTED'.padEnd(17)} OPEN STEPS`,
                ...rows.map((r) => `${r.tenantId.padEnd(28)} ${r.status.padEnd(18)} ${r.startTime.slice(0, 16).replace('T', ' ')} ${r.openSteps.join(', ')}`),
              ]
            : ['No onboardings match.'],
        );
      });
    });

  program
    .command('cancel')
    .description("cancel a tenant's onboarding (it ends as cancelled; it can be started again)")
    .argument('<tenantId>')
    .requiredOption('--reason <text>', 'why (kept in the run)')
    .requiredOption('--by <who>', 'your name or email')
    .option('--json', 'print the final progress as JSON')
    .action(async (tenantId: string, flags: { reason: string; by: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      await withOnboardings(async (onboardings) => {
        await onboardings.cancel(tenantId, { reason: flags.reason, ...selfDeclared(flags.by) });
        const p = await onboardings.progress(tenantId);
        out.result(p, [`Cancelled the onboarding of ${p.displayName} (${tenantId}): ${flags.reason}`]);
      });
    });

  program
    .command('offboard')
    .description("end a tenant's life here: cancel its onboarding if it still runs, delete its stored secrets; its history, record and audit stay")
    .argument('<tenantId>')
    .requiredOption('--reason <text>', 'why (kept with the note of the offboarding)')
    .requiredOption('--by <who>', 'your name or email')
    .option('--json', 'print what was done as JSON')
    .action(async (tenantId: string, flags: { reason: string; by: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      // The run is cancelled with "offboarded: <reason>", which must fit the cancel's 500 characters.
      if (flags.reason.trim().length > 488) throw new CliError('--reason: is longer than 488 characters', 2);
      await withOnboardings(async (onboardings) => {
        const done = await onboardings.offboard(tenantId, { reason: flags.reason, ...selfDeclared(flags.by) });
        out.result(done, [
          `Offboarded ${tenantId}: the onboarding is ${done.runStatus}; ${done.secretFilesDeleted} stored secret file(s) deleted. Its history and record stay (onboard export ${tenantId}).`,
        ]);
      });
    });
}
