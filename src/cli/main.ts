import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../config';
import { packageRoot } from '../paths';
import { registerAmend } from './commands/amend';
import { registerApi } from './commands/api';
import { registerAudit } from './commands/audit';
import { registerDev } from './commands/dev';
import { registerExport } from './commands/export';
import { registerHealth } from './commands/health';
import { registerKeys } from './commands/keys';
import { registerPreflight } from './commands/preflight';
import { registerRehearse } from './commands/rehearse';
import { registerRuns } from './commands/runs';
import { registerSim } from './commands/sim';
import { registerSteps } from './commands/steps';
import { registerTemporal } from './commands/temporal';
import { registerWorker } from './commands/worker';
import { CliError, failureLines } from './output';

export function buildProgram(): Command {
  const program = new Command('onboard')
    .description('Kore.ai AI-for-Service <-> Zoom Contact Center voice onboarding, one durable Temporal workflow per tenant')
    .version((JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version)
    .showHelpAfterError('(run onboard --help for usage)');
  registerDev(program);
  registerWorker(program);
  registerApi(program);
  registerRuns(program);
  registerSteps(program);
  registerAmend(program);
  registerExport(program);
  registerAudit(program);
  registerPreflight(program);
  registerHealth(program);
  registerRehearse(program);
  registerSim(program);
  registerTemporal(program);
  registerKeys(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    for (const line of failureLines(err)) process.stderr.write(`onboard: ${line}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : err instanceof ConfigError ? 2 : 1;
  }
}

if (require.main === module) void main(process.argv);
