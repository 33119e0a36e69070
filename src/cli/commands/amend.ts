import fs from 'node:fs';
import type { Command } from 'commander';
import { TenantRejected } from '../../app';
import { withOnboardings } from '../onboardings';
import { CliError, output } from '../output';
import { selfDeclared } from '../caller';

const collect = (value: string, previous: string[]) => [...previous, value];
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** `--set a.b=value`: true, false and null are JSON (null removes an optional field); anything else is text. */
function setPath(patch: Record<string, unknown>, pair: string): void {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new CliError(`--set "${pair}": expected path=value (e.g. agentTransfer.option=dialog-task)`, 2);
  const keys = pair.slice(0, eq).split('.');
  if (keys.some((k) => !k || UNSAFE.has(k))) throw new CliError(`--set "${pair}": "${pair.slice(0, eq)}" is not a tenant field path`, 2);
  const raw = pair.slice(eq + 1);
  const value = raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : raw;
  let at = patch;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    at = (at[k] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}

/** The merge patch from `--file` (a JSON object), then each `--set` on top of it. */
export function changesFrom(flags: { set: string[]; file?: string }): Record<string, unknown> {
  let patch: Record<string, unknown> = {};
  if (flags.file) {
    let text: string;
    try {
      text = fs.readFileSync(flags.file, 'utf8');
    } catch (err) {
      throw new CliError(`--file ${flags.file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 2);
    }
    try {
      patch = JSON.parse(text);
    } catch (err) {
      throw new CliError(`--file ${flags.file}: not JSON (${(err as Error).message})`, 2);
    }
    if (!patch || typeof patch !== 'object' || Array.isArray(patch))
      throw new CliError(`--file ${flags.file}: expected a JSON object (a merge patch of the tenant)`, 2);
  }
  for (const pair of flags.set) setPath(patch, pair);
  if (!Object.keys(patch).length) throw new CliError('nothing to change: give --set path=value or --file patch.json', 2);
  return patch;
}

/** `onboard amend`: change a running tenant; the steps that read a changed field go back. */
export function registerAmend(program: Command): void {
  program
    .command('amend')
    .description(
      "change a running onboarding's tenant (validated as a whole tenant file); the finished steps that read a changed field go back, with their finished dependents. Inline secrets move to the local secret store first",
    )
    .argument('<tenantId>')
    .option(
      '--set <path=value>',
      'a tenant field by its dotted path, e.g. agentTransfer.option=dialog-task (repeat for more; true/false/null are JSON, null removes)',
      collect,
      [],
    )
    .option('--file <patch.json>', 'a JSON merge patch of the tenant (applied before any --set)')
    .requiredOption('--reason <why>', 'why the tenant changes (kept in the run)')
    .requiredOption('--by <who>', 'your name or email')
    .option('--json', 'print the answer (the run, every step sent back) as JSON')
    .action(async (tenantId: string, flags: { set: string[]; file?: string; reason: string; by: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const changes = changesFrom(flags);
      await withOnboardings(async (onboardings) => {
        try {
          // The operator's amendment: env: and file: references too, as for `onboard start`.
          const answer = await onboardings.amend(tenantId, { changes, reason: flags.reason, ...selfDeclared(flags.by) }, { secretRefs: 'operator' });
          out.result(answer, [
            `Amended ${tenantId}: ${flags.reason}`,
            answer.reopened.length ? `Back to do: ${answer.reopened.join(', ')}` : 'No finished step reads what changed.',
          ]);
        } catch (err) {
          if (!(err instanceof TenantRejected)) throw err;
          throw new CliError(
            err.message,
            2,
            err.fields.map((f) => `${f.field}: ${f.message}`),
          );
        }
      });
    });
}
