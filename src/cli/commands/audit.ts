import type { Command } from 'commander';
import { AuditQuery, type AuditEntry } from '../../app';
import { withOnboardings } from '../onboardings';
import { CliError, output } from '../output';

/** One entry, one line: when, what, on which step, by whom (and whether anyone vouched for it), through what, the outcome. */
export function auditLine(e: AuditEntry): string {
  const who = `${e.by}${e.byVerified ? '' : ' (self-declared)'}`;
  const through = [e.channel, e.via].filter(Boolean).join('/');
  const detail = [
    e.code,
    e.reason && `reason: ${e.reason}`,
    e.fields?.length && `fields: ${e.fields.join(', ')}`,
    e.reopened?.length && `reopened: ${e.reopened.join(', ')}`,
    e.message,
    e.digest,
  ]
    .filter(Boolean)
    .join('; ');
  return `${String(e.seq).padStart(4)} ${e.at.slice(0, 19)}Z ${e.action}${e.stepId ? ` ${e.stepId}` : ''} ${e.outcome} by ${who} via ${through}${detail ? ` - ${detail}` : ''}`;
}

/** `onboard audit`: the run's audit trail, read from its history (no query), a page at a time or all of it. */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description("the onboarding's audit trail: every action and refusal with who, when, through what and the evidence's digest (read from the run's history)")
    .argument('<tenantId>')
    .option('--page-size <n>', 'entries per page (1-500)', '100')
    .option('--page-token <token>', 'the page after the one that printed this token')
    .option('--all', 'every page')
    .option('--json', 'print {entries, nextPageToken} as JSON')
    .action(async (tenantId: string, flags: { pageSize: string; pageToken?: string; all?: boolean; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const q = AuditQuery.safeParse({ pageSize: flags.pageSize, pageToken: flags.pageToken });
      if (!q.success)
        throw new CliError(
          q.error.issues.map((i) => `--${i.path.join('.').replace('pageSize', 'page-size').replace('pageToken', 'page-token')}: ${i.message}`)[0]!,
          2,
        );
      await withOnboardings(async (onboardings) => {
        const entries: AuditEntry[] = [];
        let token = q.data.pageToken;
        let next: string | undefined;
        do {
          const page = await onboardings.audit(tenantId, { ...q.data, pageToken: token });
          entries.push(...page.entries);
          next = page.nextPageToken;
          token = next;
        } while (flags.all && next);
        const more = next ? [`more: onboard audit ${tenantId} --page-token ${next}`] : [];
        out.result({ entries, nextPageToken: next }, entries.length ? [...entries.map(auditLine), ...more] : [`no audit entries for ${tenantId}`]);
      });
    });
}
