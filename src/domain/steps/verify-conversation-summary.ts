import { koreBaseUrlOf } from './context';
import { auto } from './define';

/** The test call's conversation details and XO GPT summary, fetched by bot and session id. */
export const verifyConversationSummary = auto({
  id: 'verify-conversation-summary',
  title: "Fetch the test call's conversation details and summary",
  phase: 'Agent interaction',
  side: 'kore',
  dependsOn: ['place-test-call'],
  skippable: true,
  activity: 'verifyConversationSummary',
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId', 'kore.clientSecret', 'zoom.accountId', 'zoom.clientId', 'zoom.clientSecret'], evidence: [] },
  instructions: (ctx) => [
    `Automatic: fetch the conversation details and XO GPT summary for the test call from ${koreBaseUrlOf(ctx)} (bot ${ctx.tenant.kore.botId}), polling until the summary appears, and find the matching ZCC engagement.`,
  ],
});
