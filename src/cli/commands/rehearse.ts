import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config';
import { freshRehearsalTenant, runningDevStack, type DevStack } from '../dev-stack';
import { Onboardings } from '../../app';
import { publicTenant, type TenantFile } from '../../domain/tenant';
import { createLogger } from '../../log';
import { registerTenant, rehearse, RehearsalFailed, type PeopleEvent } from '../../people';
import { rehearseMistake } from '../../people/mistake-rehearsal';
import { MISTAKES, mistake as mistakeNamed, type Mistake } from '../../people/mistakes';
import { isSecretRef, resolveSecretRef, secretRefErrors, SecretUnavailable, type SecretField } from '../../secret-store';
import { SimAdminClient } from '../../sim/admin-client';
import type { DevServer } from '../../local-temporal/server';
import { devKeyFile, ensureDevKeyring } from '../../temporal/codec/keys';
import { CliError, output } from '../output';
import { readTenantFile } from '../tenant-file';

const line = (e: PeopleEvent) => `+${(e.atMs / 1000).toFixed(1).padStart(6)}s  ${e.stepId.padEnd(28)} ${e.state}${e.note ? `  (${e.note})` : ''}`;

/**
 * `onboard rehearse`: the tenant's whole onboarding against the simulators, the people's part
 * played through the real Update path; prints the timeline as it happens. With `onboard dev`
 * running on this state dir it uses that stack (under fresh ids, so it shows in the dev Web UI and
 * dashboard); otherwise, or with --private, fresh simulators and a worker of its own.
 */
export function registerRehearse(program: Command): void {
  program
    .command('rehearse')
    .description("run a whole onboarding for a tenant file against the simulators, playing the people's part, and print the timeline")
    .argument('[tenant.json]', 'the tenant file (not needed for --mistake list)')
    .option('--json', 'print the timeline and final progress as JSON')
    .option('--private', 'always use a private Temporal server, worker and simulators, even when onboard dev is running')
    .option('--mistake <name>', 'play a person who gets one thing wrong, show where the run catches it, fix it as told and finish; "list" prints the names')
    .action(async (file: string | undefined, flags: { json?: boolean; mistake?: string; private?: boolean }) => {
      const out = output(Boolean(flags.json));
      if (flags.mistake === 'list') {
        out.result(
          MISTAKES.map((m) => ({ name: m.name, kind: m.kind, summary: m.summary, caughtAt: m.caught.step, state: m.caught.state })),
          MISTAKES.map((m) => `${m.name.padEnd(30)} ${m.kind.padEnd(8)} caught at ${m.caught.step} (${m.caught.state}): the person ${m.summary}`),
        );
        return;
      }
      let scripted: Mistake | undefined;
      try {
        scripted = flags.mistake === undefined ? undefined : mistakeNamed(flags.mistake);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      if (!file) throw new CliError('tenant.json: is required (only --mistake list runs without it)', 2);
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
          return (await resolveSecretRef(v, { store: base.secrets.storeDir, tenantId: tenantFile.tenantId, policy: base.secrets, field })).reveal();
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
      const withSecrets: TenantFile = {
        ...tenantFile,
        kore: {
          ...tenantFile.kore,
          clientSecret: secrets.kore,
          adminApp: tenantFile.kore.adminApp && { ...tenantFile.kore.adminApp, clientSecret: secrets.koreAdmin! },
        },
        zoom: { ...tenantFile.zoom, clientSecret: secrets.zoom },
      };
      const cleanups: Array<() => Promise<unknown>> = [];
      try {
        // On the running `onboard dev` when there is one (it shows in its Web UI and dashboard), else on a private stack.
        let stack = flags.private ? undefined : await runningDevStack(base.stateDir);
        // Dev's payload keys came inline: without the same ONBOARD_CODEC_KEYS here, its worker could not read this run.
        if (stack?.codecKeysInline && !base.codec.keys) {
          out.progress('onboard dev takes its payload keys from ONBOARD_CODEC_KEYS, which this shell lacks: rehearsing on a private stack instead');
          stack = undefined;
        }
        const scene = stack ? await onDevStack(stack, base, withSecrets, cleanups) : await onPrivateStack(base, withSecrets, cleanups, out.progress);
        const { onboardings, consoles, tenant } = scene;
        // A mistake's rehearsal registers the tenant itself (a missing Zoom scope is part of some).
        if (!scripted)
          await registerTenant(consoles, publicTenant(tenant), {
            kore: tenant.kore.clientSecret,
            zoom: tenant.zoom.clientSecret,
            koreAdmin: tenant.kore.adminApp?.clientSecret,
          });
        if (!out.json)
          out.result(null, [
            `Rehearsing ${tenant.displayName} (${tenant.tenantId}) against the simulators${stack ? ` of the running onboard dev (Temporal ${stack.temporalAddress}; it shows in its Web UI and dashboard)` : ''}:`,
          ]);
        if (scripted) {
          if (!out.json) out.result(null, [`The person ${scripted.summary}.`]);
          const r = await rehearseMistake({
            onboardings,
            consoles,
            tenant,
            mistake: scripted,
            onEvent: (e) => !out.json && process.stdout.write(`${line(e)}\n`),
          });
          const asExpected = r.caught?.step === scripted.caught.step && r.caught.state === scripted.caught.state;
          const lines = [
            r.caught ? `Caught at ${r.caught.step} (${r.caught.state}): ${r.caught.message}` : 'Not caught: the run never stopped on it.',
            r.progress.status === 'completed' ? 'After the fix the onboarding completed.' : `After the fix the onboarding is ${r.progress.status}.`,
          ];
          if (!asExpected || r.progress.status !== 'completed') {
            throw new CliError(`rehearsal of mistake ${scripted.name} did not go as expected (caught at ${scripted.caught.step} expected)`, 1, lines);
          }
          out.result(
            { mistake: scripted.name, tenantId: tenant.tenantId, caught: r.caught, status: r.progress.status, timeline: r.timeline, progress: r.progress },
            lines,
          );
          return;
        }
        try {
          const { progress, timeline } = await rehearse({
            onboardings,
            consoles,
            tenant,
            onEvent: (e) => !out.json && process.stdout.write(`${line(e)}\n`),
          });
          const summary = progress.steps.find((s) => s.id === 'verify-conversation-summary')?.result;
          out.result({ status: progress.status, tenantId: tenant.tenantId, timeline, progress }, [
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

interface Scene {
  onboardings: Onboardings;
  consoles: SimAdminClient;
  /** The tenant as rehearsed (fresh ids on a shared stack), secrets inline. */
  tenant: TenantFile;
}

/** The running `onboard dev`: its Temporal server, worker (task queue) and simulators; a fresh tenant so earlier rehearsals never collide. */
async function onDevStack(stack: DevStack, base: Config, tenant: TenantFile, cleanups: Array<() => Promise<unknown>>): Promise<Scene> {
  // The dev worker's state dir (secret store, payload key) and its local-webhook allowance.
  const config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    ONBOARD_STATE_DIR: base.stateDir,
    ONBOARD_ALLOW_LOCAL_WEBHOOKS: process.env.ONBOARD_ALLOW_LOCAL_WEBHOOKS || 'true',
    // The payload keys the dev worker decrypts with, whatever this shell has configured.
    ...(stack.codecKeysFile ? { ONBOARD_CODEC_KEYS_FILE: stack.codecKeysFile, ONBOARD_CODEC_KEYS: '' } : {}),
  });
  ensureDevKeyring(config);
  const { onboardings, close } = await Onboardings.connect(config, { taskQueue: stack.taskQueue });
  cleanups.unshift(close);
  return { onboardings, consoles: new SimAdminClient({ koreUrl: stack.koreUrl, zoomUrl: stack.zoomUrl }), tenant: freshRehearsalTenant(tenant) };
}

/** Fresh simulators, a worker of its own and (without TEMPORAL_ADDRESS) an in-memory Temporal dev server, all stopped afterwards. */
async function onPrivateStack(base: Config, tenant: TenantFile, cleanups: Array<() => Promise<unknown>>, progress: (line: string) => void): Promise<Scene> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-rehearsal-'));
  cleanups.push(async () => fs.rmSync(stateDir, { recursive: true, force: true }));
  // Loaded for a private stack only: a rehearsal on the running onboard dev needs none of them.
  const [{ startSimulators }, { startDevServer }, { createOnboardingWorker }, { stopWorker }] = await Promise.all([
    import('../../sim'),
    import('../../local-temporal/server'),
    import('../../temporal/worker'),
    import('../../temporal/stop-worker'),
  ]);
  const sims = await startSimulators();
  cleanups.unshift(async () => sims.stop());
  let address = base.temporal.address;
  if (!address) {
    progress('starting an in-memory Temporal dev server for the rehearsal ...');
    const server: DevServer = await startDevServer({ temporal: base.temporal, port: 0, uiPort: false, logFile: path.join(stateDir, 'temporal.log') });
    cleanups.unshift(() => server.stop());
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
  return { onboardings, consoles: new SimAdminClient(sims.admin), tenant };
}
