import { koreBaseUrlOf } from './context';
import { auto } from './define';

/**
 * The Chat History mapping checked by API once the publish has put it into effect (Kore.ai applies
 * scope changes on publish): the conversation APIs answer for this bot without a scope error.
 */
export const verifyChatHistoryAccess = auto({
  id: 'verify-chat-history-access',
  title: 'Check that the JWT app can read chat history (after the publish)',
  phase: 'Routing',
  side: 'kore',
  dependsOn: ['publish-app', 'enable-chat-history-scope'],
  activity: 'checkChatHistoryAccess',
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId', 'kore.clientSecret'], evidence: [] },
  instructions: (ctx) => [
    `Automatic: read a day of chat history of bot ${ctx.tenant.kore.botId} from ${koreBaseUrlOf(ctx)} with the JWT app ${ctx.tenant.kore.clientId}; a scope refusal means Chat History is not mapped to that app (step enable-chat-history-scope) or the app was not published since.`,
  ],
});
