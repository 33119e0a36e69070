import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { Onboardings } from '../../app';
import { publicTenant, type TenantFile } from '../../domain/tenant';
import { createLogger } from '../../log';
import { registerTenant, rehearse, RehearsalFailed, type PeopleEvent } from '../../people';
import { isSecretRef, resolveSecretRef, secretRefErrors, SecretUnavailable, type SecretField } from '../../secret-store';
import { startSimulators } from '../../sim';
import { SimAdminClient } from '../../sim/admin-client';
import { startDevServer, type DevServer } from '../../local-temporal/server';
import { stopWorker } from '../../temporal/stop-worker';
import { createOnboardingWorker } from '../../temporal/worker';
import { devKeyFile, ensureDevKeyring } from '../../temporal/codec/keys';
import { CliError, output } from '../output';
import { readTenantFile } from '../tenant-file';

const line = (e: PeopleEvent) => `+${(e.atMs / 1000).toFixed(1).padStart(6)}s  ${e.stepId.padEnd(28)} ${e.state}${e.note ? `  (${e.note})` : ''}`;

/**
 * `onboard rehearse`: the tenant's whole onboarding against fresh simulators, with a worker of its
 * own, the people's part played through the real Update path; prints the timeline as it happens.
 */
export function registerRehearse(program: Command): void {
  program
    .command('rehearse')
    .description("run a whole onboarding for a tenant file against the simulators, playing the people's part, and print the timeline")
    .argument('<tenant.json>')
    .option('--json', 'print the timeline and final progress as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const tenantFile = readTenantFile(file);
      const base = loadConfig();
      // The operator's references, under the same allow-lists as `onboard start` and the worker.
      const refused = secretRefErrors(tenantFile, { origin: 'operator', policy: base.secrets });
      if (refused.length)
        throw new CliError(
          `${file} is not a valid tenant`,
          2,
          refused.map((e) => `${file}: ${e.field}: ${e.message}`),
        );
      const secret = async (field: SecretField, v: string) => {
        if (!isSecretRef(v)) return v;
        try {
          return (await resolveSecretRef(v, { stateDir: base.stateDir, tenantId: tenantFile.tenantId, policy: base.secrets, field })).reveal();
        } catch (err) {
          if (err instanceof SecretUnavailable) throw new CliError(`${file}: ${err.message} (${err.reason})`, 2);
          throw err;
        }
      };
      const secrets = {
        kore: await secret('kore.clientSecret', tenantFile.kore.clientSecret),
        zoom: await secret('zoom.clientSecret', tenantFile.zoom.clientSecret),
        koreAdmin: tenantFile.kore.adminApp && (await secret('kore.adminApp.clientSecret', tenantFile.kore.adminApp.clientSecret)),
      };
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-rehearsal-'));
      const sims = await startSimulators();
      let server: DevServer | undefined;
      const cleanups: Array<() => Promise<unknown>> = [async () => sims.stop(), async () => fs.rmSync(stateDir, { recursive: true, force: true })];
      try {
        const consoles = new SimAdminClient(sims.admin);
        await registerTenant(consoles, publicTenant(tenantFile), secrets);
        let address = base.temporal.address;
        if (!address) {
          out.progress('starting an in-memory Temporal dev server for the rehearsal ...');
          server = await startDevServer({ temporal: base.temporal, port: 0, uiPort: false, logFile: path.join(stateDir, 'temporal.log') });
          cleanups.unshift(() => server!.stop());
          address = server.address;
        }
        // The payload keys already in use here, else a throwaway key for this rehearsal only.
        const localKey =
          !base.codec.keys && !base.codec.keysFile && fs.existsSync(devKeyFile(base.stateDir)) ? { ONBOARD_CODEC_KEYS_FILE: devKeyFile(base.stateDir) } : {};
        const config = loadConfig({
          ...process.env,
          ...sims.env,
          ...localKey,
          ONBOARD_STATE_DIR: stateDir,
          TEMPORAL_ADDRESS: address,
          ONBOARD_ALLOW_LOCAL_WEBHOOKS: 'true',
        });
        ensureDevKeyring(config);
        const taskQueue = `rehearsal-${randomUUID()}`;
        const { worker, connection } = await createOnboardingWorker({ config, logger: createLogger({ name: 'rehearsal', level: 'warn' }), taskQueue });
        const running = worker.run();
        cleanups.unshift(() => stopWorker(worker, running, connection));
        const { onboardings, close } = await Onboardings.connect(config, { taskQueue });
        cleanups.unshift(close);
        const withSecrets: TenantFile = {
          ...tenantFile,
          kore: {
            ...tenantFile.kore,
            clientSecret: secrets.kore,
            adminApp: tenantFile.kore.adminApp && { ...tenantFile.kore.adminApp, clientSecret: secrets.koreAdmin! },
          },
          zoom: { ...tenantFile.zoom, clientSecret: secrets.zoom },
        };
        if (!out.json) out.result(null, [`Rehearsing ${tenantFile.displayName} (${tenantFile.tenantId}) against the simulators:`]);
        try {
          const { progress, timeline } = await rehearse({
            onboardings,
            consoles,
            tenant: withSecrets,
            onEvent: (e) => !out.json && process.stdout.write(`${line(e)}\n`),
          });
          const summary = progress.steps.find((s) => s.id === 'verify-conversation-summary')?.result;
          out.result({ status: progress.status, timeline, progress }, [
            `Completed in ${((timeline.at(-1)?.atMs ?? 0) / 1000).toFixed(1)} s.`,
            ...(summary?.summaryExcerpt ? [`Summary of the test call: ${String(summary.summaryExcerpt)}`] : []),
          ]);
        } catch (err) {
          if (err instanceof RehearsalFailed) throw new CliError(`rehearsal failed: ${err.message}`, 1);
          throw err;
        }
      } finally {
        for (const c of cleanups) await c().catch(() => undefined);
      }
    });
}
