import type { CheckResult, HealthCheckInput } from '../src/domain/health';
import type { KoreSession } from '../src/integrations/kore/schemas';
import type { TenantClients } from './clients';
import { checked as checkedAccess, result } from './health';
import { zoomTime } from './time';

/**
 * The health checks that read traffic: calls reaching the bot, their summaries, agent transfers
 * reaching ZCC. "Since the last run" is the newest session that run saw (a fact it kept), compared
 * by the vendors' own timestamps, so our clock and theirs never need to agree; a first run looks
 * back one period.
 */

const DAY = 86_400_000;

/** These checks read traffic: a refused credential or scope is the access checks' finding (a warning here). */
const checked = (check: CheckResult['check'], fn: () => Promise<CheckResult>) => checkedAccess(check, fn, { access: false });
/** Kore.ai lists sessions of at most this window per call. */
const MAX_WINDOW = 7 * DAY;
/** XO GPT writes a summary minutes after a call ends: a session younger than this is not judged (unless a run before saw it). */
export const SUMMARY_GRACE_MS = 15 * 60_000;

const startOf = (s: KoreSession) => Date.parse(s.start_time ?? s.end_time ?? '');
const factText = (r: CheckResult | undefined, key: string) => (typeof r?.facts?.[key] === 'string' ? (r.facts[key] as string) : undefined);

/** The bot's sessions of the last period (newest first), at most `limit`. */
async function recentSessions(clients: TenantClients, { tenant, periodMs }: HealthCheckInput, limit: number) {
  const now = Date.now();
  const kore = await clients.kore(tenant);
  return kore.listSessions(tenant.kore.botId, {
    dateFrom: new Date(now - Math.min(Math.max(periodMs, 3_600_000), MAX_WINDOW)).toISOString(),
    dateTo: new Date(now + 60_000).toISOString(),
    limit,
  });
}

/** ZCC engagements through the routed flow that started at or after `fromMs` (the flow's id from the onboarding). */
async function engagementsThroughFlow(clients: TenantClients, input: HealthCheckInput, fromMs: number) {
  const zoom = await clients.zoom(input.tenant);
  const list = await zoom.listEngagements({ from: zoomTime(fromMs), to: zoomTime(Date.now() + 60_000) });
  return list.filter((e) => !input.features.flowId || e.flows?.some((f) => f.flow_id === input.features.flowId));
}

/** Calls still reach the bot: a Kore.ai session newer than the newest the last run saw. */
export function healthCallsArriving(clients: TenantClients) {
  return (input: HealthCheckInput): Promise<CheckResult> =>
    checked('calls-arriving', async () => {
      const page = await recentSessions(clients, input, 1);
      const newest = page.sessions[0];
      const seenId = factText(input.previous, 'newestSessionId');
      const seenAt = factText(input.previous, 'newestSessionAt');
      if (newest && newest.sessionId !== seenId) {
        const count = page.total ?? page.sessions.length;
        return result(
          'calls-arriving',
          'ok',
          `${count} call(s) reached bot ${input.tenant.kore.botId} in the last period; newest session ${newest.sessionId} at ${newest.start_time}`,
          {
            newestSessionId: newest.sessionId,
            newestSessionAt: newest.start_time ?? '',
          },
        );
      }
      const since = seenAt ?? new Date(Date.now() - input.periodMs).toISOString();
      // Where the calls stop: does Zoom still see calls through the routed flow since then?
      const zcc = await engagementsThroughFlow(clients, input, Date.parse(since)).then(
        (list) =>
          list.length
            ? `; ZCC lists ${list.length} call(s) through the routed flow since then, so calls reach Zoom but not the bot: check the flow's route to the Kore.ai connector, the connector's authorization and the SIP trunk, then publish`
            : '; ZCC lists no call through the routed flow either: check that the flow is published and its number answers',
        () => '',
      );
      return result('calls-arriving', 'failing', `no new call reached bot ${input.tenant.kore.botId} since ${since}${zcc}`, {
        ...(seenId ? { newestSessionId: seenId } : {}),
        ...(seenAt ? { newestSessionAt: seenAt } : {}),
      });
    });
}

/** Summaries are still written for recent sessions (Conversation Summary on). */
export function healthSummaries(clients: TenantClients) {
  return (input: HealthCheckInput): Promise<CheckResult> =>
    checked('summaries', async () => {
      const { sessions } = await recentSessions(clients, input, 20);
      const seenAt = Date.parse(factText(input.previous, 'newestSessionAt') ?? '');
      const facts = sessions[0]?.start_time ? { newestSessionAt: sessions[0].start_time } : undefined;
      const now = Date.now();
      // Old enough for XO GPT to have written its summary, or seen by a run before.
      const settled = sessions.filter((s) => now - Date.parse(s.end_time ?? s.start_time ?? '') >= SUMMARY_GRACE_MS || startOf(s) <= seenAt).slice(0, 3);
      if (!settled.length)
        return result(
          'summaries',
          'ok',
          sessions.length ? `${sessions.length} session(s), too recent to judge (a summary takes a few minutes)` : 'no session in the period to judge',
          facts,
        );
      const kore = await clients.kore(input.tenant);
      const withSummary: string[] = [];
      for (const s of settled) {
        const d = await kore.getConversationDetails(input.tenant.kore.botId, { sessionId: s.sessionId, isSummaryRequired: true });
        if (d.summary?.ConversationSummary) withSummary.push(s.sessionId);
      }
      if (withSummary.length)
        return result('summaries', 'ok', `XO GPT summary present for ${withSummary.length} of the ${settled.length} newest settled session(s)`, facts);
      return result(
        'summaries',
        'failing',
        `Kore.ai returns no XO GPT summary for the ${settled.length} newest settled session(s) (${settled.map((s) => s.sessionId).join(', ')}): Conversation Summary may be off (an incremental bot import replaces the GenAI feature mappings); turn it on under Generative AI > GenAI Features with its model and publish the app`,
        facts,
      );
    });
}

/** Transfers the bot hands to an agent still reach a ZCC queue (sessions since the last run's newest). */
export function healthAgentTransfer(clients: TenantClients) {
  return (input: HealthCheckInput): Promise<CheckResult> =>
    checked('agent-transfer', async () => {
      const { sessions } = await recentSessions(clients, input, 100);
      const seenAt = Date.parse(factText(input.previous, 'newestSessionAt') ?? '');
      const fresh = Number.isNaN(seenAt) ? sessions : sessions.filter((s) => startOf(s) > seenAt);
      const facts = sessions[0]?.start_time ? { newestSessionAt: sessions[0].start_time } : input.previous?.facts;
      const handedOff = fresh.filter((s) => s.containmentType === 'agent');
      if (!handedOff.length) return result('agent-transfer', 'ok', `no call asked for an agent since the last run (${fresh.length} new session(s))`, facts);
      const from = Math.min(...handedOff.map(startOf)) - 5 * 60_000;
      const queued = (await engagementsThroughFlow(clients, input, from)).filter((e) => (e.queues?.length ?? 0) > 0);
      const said = `Kore.ai handed ${handedOff.length} session(s) to an agent since the last run; ZCC lists ${queued.length} call(s) through the routed flow reaching a queue`;
      if (!queued.length)
        return result(
          'agent-transfer',
          'failing',
          `${said}: check Agent Transfer (SIP BYE with kore-reason TransferToAgent) under App Settings > Integration > Agent Transfer > Voice, and that the ZCC flow routes calls coming back from the connector to a queue`,
          facts,
        );
      return result('agent-transfer', queued.length < handedOff.length ? 'warning' : 'ok', said, facts);
    });
}
