import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { packageRoot } from '../../paths';
import type { Simulators } from '../../sim';
import { applySeed, readSeed } from '../../sim/seed';
import { portOption, untilStopped } from '../lifecycle';
import { output } from '../output';

export const DEFAULT_SEED = path.join(packageRoot(), 'examples', 'sim-seed.json');

export interface SimFlags {
  host?: string;
  korePort?: number;
  zoomPort?: number;
  seed: string | false;
}

/** Starts both simulators as configured, with the demo tenant unless told otherwise. */
export async function startConfiguredSimulators(flags: SimFlags): Promise<Simulators> {
  const config = loadConfig();
  const seed = flags.seed === false ? undefined : readSeed(flags.seed);
  // Loaded when simulators start: the commands that only call the API or Temporal start without them.
  const { startSimulators } = await import('../../sim');
  const sims = await startSimulators({
    host: flags.host ?? config.sim.host,
    korePort: flags.korePort ?? config.sim.korePort,
    zoomPort: flags.zoomPort ?? config.sim.zoomPort,
  });
  if (seed) applySeed(sims, seed);
  return sims;
}

export function simSummary(sims: Simulators, seed: string | false) {
  return {
    kore: { baseUrl: sims.kore.url, admin: `${sims.kore.url}/__sim` },
    zoom: { apiUrl: sims.zoom.apiUrl, oauthUrl: sims.zoom.oauthUrl, admin: `${sims.zoom.url}/__sim` },
    sip: { resolver: sims.sip.resolver, sbcPort: sims.sip.sipPort, caFile: sims.sip.caFile },
    env: sims.env,
    seed: seed === false ? null : seed,
  };
}

export function simLines(sims: Simulators, seed: string | false): string[] {
  return [
    `Kore.ai simulator  ${sims.kore.url}   (admin: ${sims.kore.url}/__sim)`,
    `Zoom simulator     ${sims.zoom.apiUrl}   OAuth: ${sims.zoom.oauthUrl}   (admin: ${sims.zoom.url}/__sim)`,
    `Connector SIP      DNS ${sims.sip.resolver}   SBC TLS port ${sims.sip.sipPort}   test CA ${sims.sip.caFile}`,
    seed === false ? 'No demo tenant registered (--no-seed).' : `Demo tenant from ${seed}`,
    'Point the clients at them with:',
    ...Object.entries(sims.env).map(([k, v]) => `  export ${k}=${v}`),
  ];
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run the Kore.ai and Zoom simulators on loopback, with a demo tenant, until Ctrl-C')
    .option('--host <ip>', 'address to bind (default ONBOARD_SIM_HOST or 127.0.0.1)')
    .option('--kore-port <port>', 'Kore.ai simulator port, 0 for any (default ONBOARD_SIM_KORE_PORT or 4301)', portOption('--kore-port'))
    .option('--zoom-port <port>', 'Zoom simulator port, 0 for any (default ONBOARD_SIM_ZOOM_PORT or 4302)', portOption('--zoom-port'))
    .option('--seed <file>', 'demo tenant to register', DEFAULT_SEED)
    .option('--no-seed', 'start with no tenant registered')
    .option('--json', 'print the URLs as JSON')
    .action(async (flags: SimFlags & { json?: boolean }) => {
      const out = output(Boolean(flags.json));
      const sims = await startConfiguredSimulators(flags);
      out.result(simSummary(sims, flags.seed), [...simLines(sims, flags.seed), 'Ctrl-C stops them.']);
      await untilStopped();
      await sims.stop();
    });
}
