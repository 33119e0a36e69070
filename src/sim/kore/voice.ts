import type { KoreWorld } from './world';

/**
 * The Kore.ai end of a call the Zoom connector hands over ("Transfer from IVR"). Which check comes
 * first and how each failure sounds on the wire is assumed (Kore.ai documents the setup, not its
 * failures): credentials, then the bot, then the voice gateway's SIP answer for the DID and the
 * connector's domain in what the last publish put live, then the attached flow and its app.
 */
export interface ConnectorCall {
  /** What the person typed into the connector's Authorization Parameters. */
  botId: string;
  clientId: string;
  clientSecret?: string;
  /** The connector's SIP leg: To the connector's DID, from the connector's domain. */
  did: string;
  fqdn: string;
  /** The caller asks for an agent. */
  wantsAgent: boolean;
  summaryDelayMs?: number;
}

export type KoreLeg =
  | { ok: true; sessionId: string; transferredToAgent: boolean; sipHeaders: Record<string, string> }
  | { ok: false; reason: 'credentials_rejected' | 'bot_rejected'; status: number }
  | { ok: false; reason: 'sip_rejected'; sipStatus: 403 | 404 | 408 | 480; sipReason: string };

export function answerConnectorCall(world: KoreWorld, call: ConnectorCall): KoreLeg {
  world.settle();
  const app = world.apps.get(call.clientId);
  if (!app || app.clientSecret !== call.clientSecret) return { ok: false, reason: 'credentials_rejected', status: 401 };
  const bot = world.bots.get(call.botId);
  if (!bot || !app.botIds.has(call.botId)) return { ok: false, reason: 'bot_rejected', status: 400 };
  const live = bot.live;
  const byDid = live?.sipTrunks.filter((t) => t.did === call.did && t.inbound) ?? [];
  if (byDid.length === 0) return { ok: false, reason: 'sip_rejected', sipStatus: 404, sipReason: 'Not Found' };
  const trunk = byDid.find((t) => t.fqdn.toLowerCase() === call.fqdn.toLowerCase());
  if (!trunk) return { ok: false, reason: 'sip_rejected', sipStatus: 403, sipReason: 'Forbidden' };
  // Zoom's connector speaks SIP over TLS with SRTP: another transport or no crypto never connects.
  if (trunk.transport !== 'tls' || trunk.dnsResolve !== 'srv' || !trunk.padCrypto) {
    return { ok: false, reason: 'sip_rejected', sipStatus: 408, sipReason: 'Request Timeout' };
  }
  const flow = live?.experienceFlows.find((f) => f.name === trunk.attachedFlow);
  if (!flow || flow.automationBotId !== call.botId) return { ok: false, reason: 'sip_rejected', sipStatus: 480, sipReason: 'Temporarily Unavailable' };

  const transfer = live?.agentTransfer;
  const transferredToAgent = call.wantsAgent && transfer?.method === 'sip-bye';
  const session = world.addSession(call.botId, {
    callId: `zcc-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    summaryDelayMs: call.summaryDelayMs,
    containmentType: transferredToAgent ? 'agent' : call.wantsAgent ? 'dropOff' : 'selfService',
    ...(transferredToAgent || !call.wantsAgent
      ? {}
      : {
          transcript: [
            { type: 'outgoing', text: 'Hello, thanks for calling. How can I help?' },
            { type: 'incoming', text: 'I want to talk to an agent please.' },
            { type: 'outgoing', text: 'Sorry, I cannot transfer you. Goodbye.' },
          ],
          summary: 'Caller asked for an agent; the bot could not transfer the call and ended it.',
        }),
  });
  // The guide's hand-off: kore-session_id and kore-bot_id in the INVITE's 200 OK, kore-reason in the BYE.
  const sipHeaders: Record<string, string> = {
    'kore-session_id': session.sessionId,
    'kore-bot_id': call.botId,
    'kore-reason': transferredToAgent ? 'TransferToAgent' : 'HangUp',
    ...(transferredToAgent ? transfer.headers : {}),
  };
  return { ok: true, sessionId: session.sessionId, transferredToAgent, sipHeaders };
}
