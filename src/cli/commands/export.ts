import fs from 'node:fs';
import type { Command } from 'commander';
import { RECORD_FORMATS, RecordFormat, renderRecord } from '../../app';
import { withOnboardings } from '../onboardings';
import { CliError } from '../output';

/** `onboard export`: the sign-off record of a tenant's run, as JSON, Markdown or printable HTML. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'the sign-off record a customer or change board signs: the tenant (no secret), each step with who, when, evidence and duration, what the vendors answered, every reopen and amendment with its reason, durations per side',
    )
    .argument('<tenantId>')
    .option('--format <format>', `${RECORD_FORMATS.join(', ')} (html prints cleanly from a browser)`, 'json')
    .option('--out <file>', 'write it to this file instead of stdout')
    .action(async (tenantId: string, flags: { format: string; out?: string }) => {
      // Checked before connecting, so a typo costs no round trip.
      const format = RecordFormat.safeParse(flags.format);
      if (!format.success) throw new CliError(`--format "${flags.format}": must be one of ${RECORD_FORMATS.join(', ')}`, 2);
      await withOnboardings(async (onboardings) => {
        const { body } = renderRecord(await onboardings.record(tenantId), format.data);
        if (!flags.out) return void process.stdout.write(body);
        try {
          fs.writeFileSync(flags.out, body);
        } catch (err) {
          throw new CliError(`--out ${flags.out}: cannot write it (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 2);
        }
        process.stdout.write(`Wrote the ${format.data} record of ${tenantId} to ${flags.out} (${Buffer.byteLength(body)} bytes).\n`);
      });
    });
}
