import type { Command } from 'commander';
import { withOnboardings } from '../onboardings';
import { CliError, output } from '../output';
import { selfDeclared } from '../caller';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--evidence JSON` then `--set key=value` (which wins): the evidence object for a step. */
export function evidenceFrom(flags: { set: string[]; evidence?: string }): Record<string, unknown> {
  let evidence: Record<string, unknown> = {};
  if (flags.evidence) {
    try {
      evidence = JSON.parse(flags.evidence);
    } catch (err) {
      throw new CliError(`--evidence: not JSON (${(err as Error).message})`, 2);
    }
    if (!evidence || typeof evidence !== 'object' || Array.isArray(evidence)) throw new CliError('--evidence: expected a JSON object', 2);
  }
  for (const pair of flags.set) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--set "${pair}": expected key=value`, 2);
    evidence[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return evidence;
}

/** A person's moves on steps: complete, retry, reopen, skip. */
export function registerSteps(program: Command): void {
  program
    .command('complete')
    .description('complete a human step with its evidence; the workflow validates it, then verifies it by API where it can')
    .argument('<tenantId>')
    .argument('<stepId>')
    .option('--set <key=value>', 'an evidence field (repeat for more)', collect, [])
    .option('--evidence <json>', 'the evidence as a JSON object')
    .requiredOption('--by <who>', 'your name or email (recorded as who completed it)')
    .option('--signal', 'send it fire-and-forget (rejections show up in `onboard status`)')
    .option('--json', "print the step's new state as JSON")
    .action(async (tenantId: string, stepId: string, flags: { set: string[]; evidence?: string; by: string; signal?: boolean; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const evidence = evidenceFrom(flags);
      await withOnboardings(async (onboardings) => {
        if (flags.signal) {
          await onboardings.completeBySignal(tenantId, { stepId, evidence, ...selfDeclared(flags.by) });
          out.result({ sent: true }, [`Sent ${stepId} for ${tenantId}; check \`onboard status ${tenantId}\` for the outcome.`]);
          return;
        }
        const { step } = await onboardings.complete(tenantId, { stepId, evidence, ...selfDeclared(flags.by) });
        if (step.state === 'done') out.result(step, [`${stepId} is done.${step.result ? ` Verified: ${JSON.stringify(step.result)}` : ''}`]);
        else if (step.state === 'open') throw new CliError(`${stepId} was not verified and is open again: ${step.lastError ?? ''}`, 1);
        else throw new CliError(`${stepId} ${step.state}: ${step.lastError ?? ''}`, 1);
      });
    });

  program
    .command('retry')
    .description('retry a step that needs attention (after fixing what its error says)')
    .argument('<tenantId>')
    .argument('<stepId>')
    .requiredOption('--by <who>', 'your name or email')
    .option('--json', 'print the step as JSON')
    .action(async (tenantId: string, stepId: string, flags: { by: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      await withOnboardings(async (onboardings) => {
        const { step } = await onboardings.retry(tenantId, { stepId, ...selfDeclared(flags.by) });
        out.result(step, [`${stepId} is ${step.state} again.`]);
      });
    });

  program
    .command('reopen')
    .description(
      'send a done or skipped step back (open for its person, or run again), with every finished step that depends on it; each keeps its evidence as "previous"',
    )
    .argument('<tenantId>')
    .argument('<stepId>')
    .requiredOption('--reason <why>', 'why it goes back (kept in the run)')
    .requiredOption('--by <who>', 'your name or email')
    .option('--json', 'print the answer (the step, the run, every step sent back) as JSON')
    .action(async (tenantId: string, stepId: string, flags: { reason: string; by: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      await withOnboardings(async (onboardings) => {
        const answer = await onboardings.reopen(tenantId, { stepId, reason: flags.reason, ...selfDeclared(flags.by) });
        const others = answer.reopened.filter((id) => id !== stepId);
        out.result(answer, [
          `${stepId} is ${answer.step.state} again: ${flags.reason}`,
          others.length ? `Back with it (they open again once ${stepId} is done): ${others.join(', ')}` : 'No finished step depends on it.',
        ]);
      });
    });

  program
    .command('skip')
    .description('skip a step marked skippable, with a reason')
    .argument('<tenantId>')
    .argument('<stepId>')
    .requiredOption('--reason <text>', 'why it does not apply')
    .requiredOption('--by <who>', 'your name or email')
    .option('--json', 'print the step as JSON')
    .action(async (tenantId: string, stepId: string, flags: { reason: string; by: string; json?: boolean }) => {
      const out = output(Boolean(flags.json));
      await withOnboardings(async (onboardings) => {
        const { step } = await onboardings.skip(tenantId, { stepId, reason: flags.reason, ...selfDeclared(flags.by) });
        out.result(step, [`${stepId} skipped: ${flags.reason}`]);
      });
    });
}
