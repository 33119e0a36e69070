import type { VerifierInput, VerifierResult } from '../src/domain/activity-contract';
import { KORE_REGIONS } from '../src/domain/kore-regions';
import { isIntegrationError } from '../src/integrations/errors';
import type { ZoomClient } from '../src/integrations/zoom/client';
import type { ZccEngagementSummary } from '../src/integrations/zoom/schemas';
import type { TenantClients } from './clients';
import { translated } from './failures';
import { zoomTime } from './time';

/**
 * place-test-call: the guide's proof, checked by API on both sides.
 * - Kore.ai: the session the person names, or the bot's newest session since the step opened
 *   (Bot Sessions scope, which enable-chat-history-scope asks for).
 * - Zoom: the engagement of that call. The strongest link the APIs give is the Kore.ai session id
 *   in the engagement's connector event (ZCC logs the SIP 200 OK's kore-session_id; assumed, see
 *   docs/simulators.md); failing that, an engagement through the routed flow (its id from
 *   route-zcc-flow-to-connector's verifier) closest in time to the session's start.
 * - When agent transfer is configured (not skipped): the Kore.ai session was handed off to an agent
 *   and the engagement went on to a ZCC queue.
 * With no session, the newest engagement through the routed flow and its events say where the call
 * stopped, and the finding says which value to fix, in which console, set at which step.
 */
export function findTestCallSession(clients: TenantClients) {
  return (input: VerifierInput): Promise<VerifierResult> =>
    translated(async () => {
      const { tenant, claim, since } = input;
      const kore = await clients.kore(tenant);
      const botId = tenant.kore.botId;
      let sessionId: string | undefined;
      let found: string;
      if (typeof claim.sessionId === 'string') {
        sessionId = claim.sessionId;
        found = 'given';
      } else {
        // A call placed after the step opened ended after it, though it may have started just before.
        const opened = Date.parse(since);
        const page = await kore.listSessions(botId, { dateFrom: new Date(opened - 3_600_000).toISOString(), dateTo: new Date().toISOString(), limit: 20 });
        sessionId = page.sessions.find((s) => Date.parse(s.end_time ?? s.start_time ?? '') >= opened)?.sessionId;
        found = 'newest since the step opened';
      }
      const zoom = await clients.zoom(tenant);
      const flowId = stringOf(input.results['route-zcc-flow-to-connector']?.flowId);
      if (!sessionId) return { ok: false, message: await whereTheCallStopped(zoom, input, flowId) };

      let details;
      try {
        details = await kore.getConversationDetails(botId, { sessionId });
      } catch (err) {
        if (isIntegrationError(err, 'NotFound'))
          return { ok: false, message: `Kore.ai has no session ${sessionId} for bot ${botId}; check the Session ID (Interactions > the call > Identifiers)` };
        throw err;
      }
      const start = details.conversationInfo.sessionStartTime ?? since;
      const match = await matchEngagement(zoom, { flowId, sessionId, around: start });
      if (!match) {
        return {
          ok: false,
          message: `Kore.ai has session ${sessionId}, but Zoom lists no finished call through ${flowLabel(input)} near ${start}: place the test call through Zoom Contact Center (a number routed to that flow), not to the bot directly, and complete the step again once the call has ended`,
        };
      }
      const expectTransfer = !input.skipped.includes('configure-agent-transfer');
      const handedOff = details.conversationInfo.agentHandOffTime !== undefined || details.conversationFlow.some((f) => f.taskName === 'ConnectToAgent');
      const queued = (match.engagement.queues?.length ?? 0) > 0;
      if (expectTransfer && !(handedOff && queued)) {
        return {
          ok: false,
          message: !handedOff
            ? `the test call (Kore.ai session ${sessionId}, ZCC engagement ${match.engagement.engagement_id}) ended with the bot, not with an agent transfer: ask the bot for an agent during the call; if you did, set up Agent Transfer with SIP BYE (step configure-agent-transfer, option ${tenant.agentTransfer.option}), publish the app (step publish-app), and call again`
            : `Kore.ai handed session ${sessionId} to an agent, but ZCC engagement ${match.engagement.engagement_id} never reached a queue: in Zoom Contact Center, check that ${flowLabel(input)} routes calls coming back from the connector to a queue, publish it, and call again`,
        };
      }
      return {
        ok: true,
        result: {
          sessionId,
          found,
          callId: details.conversationInfo.callId,
          engagementId: match.engagement.engagement_id,
          engagementMatchedBy: match.by,
          flowId,
          transferredToAgent: handedOff && queued,
        },
      };
    });
}

const stringOf = (v: unknown) => (typeof v === 'string' ? v : undefined);

function flowLabel(input: VerifierInput): string {
  const name = stringOf(input.evidence['route-zcc-flow-to-connector']?.flowName);
  return name ? `ZCC flow "${name}"` : 'the routed ZCC flow';
}

/** The connector event's content, as ZCC logs it (keys assumed; anything else reads as unknown). */
type ConnectorLeg = {
  result?: string;
  reason?: string;
  sip_status?: number;
  sip_to?: string;
  sip_from?: string;
  kore_session_id?: string;
};

async function connectorLeg(zoom: ZoomClient, engagementId: string): Promise<{ read: boolean; leg?: ConnectorLeg }> {
  let events;
  try {
    events = (await zoom.getEngagementEvents(engagementId)).events;
  } catch (err) {
    // The events are an aid to the diagnosis; without them the finding lists every suspect.
    if (isIntegrationError(err)) return { read: false };
    throw err;
  }
  for (const e of events) {
    if (!e.event_content) continue;
    try {
      const c = JSON.parse(e.event_content) as ConnectorLeg & { connector_id?: string };
      if (c && typeof c === 'object' && typeof c.connector_id === 'string') return { read: true, leg: c };
    } catch {
      // Not JSON: not an event we know.
    }
  }
  return { read: events.length > 0 };
}

async function engagementsThrough(zoom: ZoomClient, flowId: string | undefined, fromMs: number): Promise<ZccEngagementSummary[]> {
  const list = await zoom.listEngagements({ from: zoomTime(fromMs), to: zoomTime(Date.now() + 60_000) });
  return list
    .filter((e) => !flowId || e.flows?.some((f) => f.flow_id === flowId))
    .sort((a, b) => Date.parse(b.start_time ?? '') - Date.parse(a.start_time ?? ''));
}

async function matchEngagement(
  zoom: ZoomClient,
  o: { flowId?: string; sessionId: string; around: string },
): Promise<{ engagement: ZccEngagementSummary; by: string } | undefined> {
  const at = Date.parse(o.around);
  if (Number.isNaN(at)) return undefined;
  const candidates = (await engagementsThrough(zoom, o.flowId, at - 15 * 60_000)).filter((e) => Math.abs(Date.parse(e.start_time ?? '') - at) <= 15 * 60_000);
  for (const e of candidates.slice(0, 10)) {
    const { leg } = await connectorLeg(zoom, e.engagement_id);
    if (leg?.kore_session_id === o.sessionId) return { engagement: e, by: 'kore-session_id in the connector event' };
  }
  const closest = candidates.sort((a, b) => Math.abs(Date.parse(a.start_time!) - at) - Math.abs(Date.parse(b.start_time!) - at))[0];
  return closest ? { engagement: closest, by: o.flowId ? 'routed flow and time' : 'time' } : undefined;
}

/** No Kore.ai session: the newest call through the routed flow and its connector event say where it stopped. */
async function whereTheCallStopped(zoom: ZoomClient, input: VerifierInput, flowId: string | undefined): Promise<string> {
  const { tenant, since } = input;
  const botId = tenant.kore.botId;
  const connector = input.evidence['create-zoom-connector'] ?? {};
  const did = stringOf(connector.did) ?? '<the connector DID>';
  const domain = stringOf(connector.domain) ?? '<the connector Domain>';
  const efName = stringOf(input.evidence['associate-experience-flow']?.experienceFlowName) ?? '<the Experience Flow>';
  const flow = flowLabel(input);
  const noSession = `no session of bot ${botId} since ${since}`;
  const calls = await engagementsThrough(zoom, flowId, Date.parse(since) - 5 * 60_000);
  const call = calls[0];
  if (!call) {
    return `${noSession}, and Zoom lists no finished call through ${flow} since then: call a number routed to that flow, wait until the call has ended, and complete this step again (or give the call's Session ID)`;
  }
  const stopped = `${noSession}: the call (ZCC engagement ${call.engagement_id}) went through ${flow}`;
  const again = 'and call again';
  const { read, leg } = await connectorLeg(zoom, call.engagement_id);
  if (read && !leg) {
    return `${stopped} but never reached the Kore.ai connector: in Zoom Contact Center's flow editor route ${flow} to the Kore.ai assistant connector (step route-zcc-flow-to-connector), publish the flow, ${again}`;
  }
  if (leg?.result === 'failed') {
    const region = KORE_REGIONS[tenant.kore.region];
    switch (leg.reason) {
      case 'not_authorized':
        return `${stopped}, but the Kore.ai connector is not authorized: on the connector page in the Zoom App Marketplace click Next and accept the authorization with Kore.ai (step authorize-zoom-connector), ${again}`;
      case 'unreachable':
        return `${stopped}, but the connector could not reach Kore.ai: in the Zoom App Marketplace connector select the region ${region.label}, so that its Base URL reads ${region.baseUrl} (step create-zoom-connector), ${again}`;
      case 'credentials_rejected':
        return `${stopped}, but Kore.ai refused the connector's credentials: in the Zoom App Marketplace connector, Client ID must read ${tenant.kore.clientId} and Client Secret be that JWT app's secret (AI for Service > JWT App Details; step create-zoom-connector), ${again}`;
      case 'bot_rejected':
        return `${stopped}, but Kore.ai refused the connector's Bot ID: in the Zoom App Marketplace connector, Bot ID must read ${botId} (step create-zoom-connector), ${again}`;
      case 'sip_rejected':
        if (leg.sip_to && did !== leg.sip_to) {
          return `${stopped}; the connector sends calls to DID ${leg.sip_to}, but step create-zoom-connector recorded DID ${did}: reopen create-zoom-connector with the DID the connector page shows (${leg.sip_to}), set it as the SIP trunk's DID Number (step configure-sip-trunk), publish the app, ${again}`;
        }
        if (leg.sip_from && domain.toLowerCase() !== leg.sip_from.toLowerCase()) {
          return `${stopped}; the connector's domain is ${leg.sip_from}, but step create-zoom-connector recorded ${domain}: reopen create-zoom-connector with the Domain the connector page shows (${leg.sip_from}), set it as the SIP trunk's Fully Qualified Domain Name (step configure-sip-trunk), publish the app, ${again}`;
        }
        switch (leg.sip_status) {
          case 404:
            return `${stopped}, but the Kore.ai voice gateway answered SIP 404 Not Found for DID ${did}: in AI for Service > Flows & Channels > Voice Gateway > SIP Numbers, the SIP trunk's DID Number must read ${did} with Inbound Calls on (step configure-sip-trunk), and the app published after that (step publish-app); ${again}`;
          case 403:
            return `${stopped}, but the Kore.ai voice gateway refused the connector (SIP 403 Forbidden): the SIP trunk for DID ${did} must have Fully Qualified Domain Name ${domain} (step configure-sip-trunk); publish the app, ${again}`;
          case 408:
            return `${stopped}, but the Kore.ai voice gateway never answered over TLS (SIP 408): the SIP trunk for DID ${did} must use DNS Resolve Method srv, SIP Transport Type TLS and Pad Crypto (step configure-sip-trunk); publish the app, ${again}`;
          case 480:
            return `${stopped}, but Kore.ai had no flow to run for DID ${did} (SIP 480): click Attach Flow on that SIP trunk and attach "${efName}", whose Automation node runs bot ${botId} (steps configure-sip-trunk, associate-experience-flow); publish the app, ${again}`;
        }
    }
  }
  return [
    `${stopped} but never reached bot ${botId}. Check, in this order:`,
    `the flow routes to the Kore.ai connector (route-zcc-flow-to-connector);`,
    `the connector is authorized (authorize-zoom-connector) with Bot ID ${botId}, Client ID ${tenant.kore.clientId} and the ${KORE_REGIONS[tenant.kore.region].label} Base URL (create-zoom-connector);`,
    `the SIP trunk has FQDN ${domain}, DID ${did}, srv, TLS, Pad Crypto, Inbound Calls and the flow "${efName}" attached (configure-sip-trunk);`,
    `the app was published after that (publish-app). Then call again.`,
  ].join(' ');
}
