import { koreBaseUrlOf } from './context';
import { auto } from './define';

/** The test call's conversation details and XO GPT summary, fetched by bot and session id. */
export const verifyConversationSummary = auto({
  id: 'verify-conversation-summary',
  title: "Fetch the test call's conversation details and summary",
  phase: 'Agent interaction',
  side: 'kore',
  // The details API needs the Chat History mapping, checked after the publish.
  dependsOn: ['place-test-call', 'verify-chat-history-access'],
  skippable: true,
  activity: 'verifyConversationSummary',
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId', 'kore.clientSecret', 'zoom.accountId', 'zoom.clientId', 'zoom.clientSecret'], evidence: [] },
  instructions: (ctx) => [
    `Automatic: fetch the conversation details and XO GPT summary for the test call from ${koreBaseUrlOf(ctx)} (bot ${ctx.tenant.kore.botId}), polling until the summary appears, and find the matching ZCC engagement.`,
  ],
});

/** Catalogue version 1's form: no Chat History check of its own to wait for. */
export const verifyConversationSummaryV1 = auto({ ...verifyConversationSummary, dependsOn: ['place-test-call'] });
