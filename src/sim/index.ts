import type { FastifyInstance } from 'fastify';
import { listen } from './http';
import { createKoreSim, type KoreSim, type KoreSimOptions } from './kore/server';
import { answerConnectorCall } from './kore/voice';
import { startSipSim, type SipSim } from './sip';
import { createZoomSim, type ZoomSim, type ZoomSimOptions } from './zoom/server';

/**
 * Both outside worlds on loopback, linked the way the real ones are by a person's setup: a test
 * call through a Zoom connector reaches the Kore.ai bot the connector names and leaves a session.
 */
export interface Simulators {
  kore: KoreSim & { url: string };
  zoom: ZoomSim & { url: string; apiUrl: string; oauthUrl: string };
  /** The connector domains' DNS, TLS and SIP OPTIONS (src/sim/sip), for the SIP preflight. */
  sip: Omit<SipSim, 'env' | 'stop'>;
  /** The environment that points our clients at these simulators. */
  env: Record<string, string>;
  /** Where their /__sim/ admin APIs live, as `new SimAdminClient(sims.admin)` (src/sim/admin-client.ts) takes it. */
  admin: { koreUrl: string; zoomUrl: string };
  stop(): Promise<void>;
}

export interface SimulatorOptions {
  host?: string;
  korePort?: number;
  zoomPort?: number;
  kore?: KoreSimOptions;
  zoom?: Omit<ZoomSimOptions, 'onTestCall' | 'sip'>;
  /** Ports of the DNS server and the SBC (0 or unset: any free one). */
  sip?: { dnsPort?: number; sipPort?: number };
}

export async function startSimulators(opts: SimulatorOptions = {}): Promise<Simulators> {
  const host = opts.host ?? '127.0.0.1';
  const kore = createKoreSim(opts.kore);
  let koreUrl = '';
  let sip: SipSim | undefined;
  const zoom = createZoomSim({
    ...opts.zoom,
    sip: () => sip,
    // The connector's leg: it reaches Kore.ai only at the Base URL the Kore.ai simulator answers on.
    onTestCall: (connector, call) => {
      const base = { connector_id: connector.connectorId, sip_to: connector.did, sip_from: connector.domain };
      if (connector.baseUrl.replace(/\/+$/, '') !== koreUrl) return { ...base, result: 'failed', reason: 'unreachable' };
      const leg = answerConnectorCall(kore.world, {
        botId: connector.botId,
        clientId: connector.koreClientId,
        clientSecret: connector.koreClientSecret,
        did: connector.did,
        fqdn: connector.domain,
        wantsAgent: call.askForAgent ?? true,
        summaryDelayMs: call.summaryDelayMs,
      });
      if (leg.ok) return { ...base, result: 'connected', kore_session_id: leg.sessionId, kore_reason: leg.sipHeaders['kore-reason']! };
      if (leg.reason === 'sip_rejected') return { ...base, result: 'failed', reason: leg.reason, sip_status: leg.sipStatus, sip_reason: leg.sipReason };
      return { ...base, result: 'failed', reason: leg.reason };
    },
  });
  const started: FastifyInstance[] = [];
  try {
    koreUrl = await listen(kore.app, host, opts.korePort ?? 0);
    started.push(kore.app);
    const zoomUrl = await listen(zoom.app, host, opts.zoomPort ?? 0);
    started.push(zoom.app);
    const isConnectorDomain = (domain: string) => [...zoom.world.accounts.values()].some((a) => a.connectors.some((c) => c.domain === domain));
    const sipSim = await startSipSim({ host, ...opts.sip, isConnectorDomain });
    sip = sipSim;
    const apiUrl = `${zoomUrl}/v2`;
    const oauthUrl = `${zoomUrl}/oauth/token`;
    return {
      kore: { ...kore, url: koreUrl },
      zoom: { ...zoom, url: zoomUrl, apiUrl, oauthUrl },
      sip: { resolver: sipSim.resolver, caPem: sipSim.caPem, caFile: sipSim.caFile, sipPort: sipSim.sipPort, reissueCertificate: sipSim.reissueCertificate },
      env: { ONBOARD_KORE_BASE_URL: koreUrl, ONBOARD_ZOOM_API_URL: apiUrl, ONBOARD_ZOOM_OAUTH_URL: oauthUrl, ...sipSim.env },
      admin: { koreUrl, zoomUrl },
      stop: async () => {
        await Promise.all([kore.app.close(), zoom.app.close(), sipSim.stop()]);
      },
    };
  } catch (err) {
    await Promise.all([...started.map((a) => a.close()), sip?.stop()]);
    throw err;
  }
}
