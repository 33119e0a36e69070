import type { AutoResult, StepActivityInput } from '../src/domain/activity-contract';
import type { TenantClients } from './clients';
import { translated } from './failures';
import { zoomTime } from './time';

/**
 * verify-conversation-summary: conversation details and the XO GPT summary for the test call
 * (pending until the summary appears), plus the matching ZCC engagement when Zoom lists one.
 */
export function verifyConversationSummary(clients: TenantClients) {
  return ({ tenant, results, skipped, since }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      const sessionId = results['place-test-call']?.sessionId;
      if (typeof sessionId !== 'string') return { status: 'pending', message: 'the test call has no session id yet' };
      const requireSummary = !skipped.includes('enable-conversation-summary');
      const details = await (await clients.kore(tenant)).getConversationDetails(tenant.kore.botId, { sessionId, isSummaryRequired: requireSummary });
      if (requireSummary && !details.summary) {
        return {
          status: 'pending',
          message: `no conversation summary for session ${sessionId} yet (XO GPT takes a few minutes; if none comes, turn Conversation Summary on with a model under Generative AI > GenAI Features (step enable-conversation-summary), publish the app, and place another test call)`,
        };
      }
      const engagementId = await matchingEngagement(clients, tenant, details.conversationInfo.sessionStartTime ?? since);
      return {
        status: 'done',
        result: {
          sessionId,
          turns: details.conversationHistory.length,
          tasks: details.conversationFlow.map((f) => f.taskName).filter(Boolean),
          summaryExcerpt: details.summary ? details.summary.ConversationSummary.slice(0, 280) : undefined,
          engagementId,
        },
      };
    });
}

/** The ZCC engagement closest in time to the session's start (Zoom lists engagements once they end). */
async function matchingEngagement(clients: TenantClients, tenant: StepActivityInput['tenant'], around: string): Promise<string | undefined> {
  const at = Date.parse(around);
  if (Number.isNaN(at)) return undefined;
  const engagements = await (await clients.zoom(tenant)).listEngagements({ from: zoomTime(at - 15 * 60_000), to: zoomTime(Date.now() + 60_000) });
  const scored = engagements
    .filter((e) => e.start_time)
    .map((e) => ({ id: e.engagement_id, distance: Math.abs(Date.parse(e.start_time!) - at) }))
    .sort((a, b) => a.distance - b.distance);
  return scored[0] && scored[0].distance <= 15 * 60_000 ? scored[0].id : undefined;
}
