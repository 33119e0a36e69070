import { z } from 'zod';
import { human } from './define';

/**
 * The JWT app may read conversations only once the Chat History scope is mapped to it. Kore.ai
 * applies scope changes when the app is published, so the mapping is checked by API after
 * publish-app (verify-chat-history-access), not here.
 */
export const enableChatHistoryScope = human({
  id: 'enable-chat-history-scope',
  title: 'Map the Chat History and Bot Sessions API scopes to the JWT app',
  phase: 'Routing',
  side: 'kore',
  dependsOn: ['verify-kore-access'],
  evidence: z.object({}).strict(),
  reads: { tenant: ['kore.clientId'], evidence: [] },
  // The guide maps Chat History only; Bot Sessions lets us find the test call without its Session ID.
  instructions: (ctx) => [
    'In AI for Service go to Settings > App Settings > Dev Tools > API Scopes and click + New Mapping.',
    `Select the JWT app ${ctx.tenant.kore.clientId}, enable Chat History and Bot Sessions, and Save.`,
    'Complete this step; the mapping takes effect when the app is published, and we check it by API right after the publish step.',
  ],
});

/**
 * Catalogue version 1's form of the step (runs started before version 2 keep it): verified on
 * completion, before the publish that puts the mapping into effect.
 */
export const enableChatHistoryScopeV1 = human({
  ...enableChatHistoryScope,
  verifier: { activity: 'verifyChatHistoryScope' },
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId', 'kore.clientSecret'], evidence: [] },
  instructions: (ctx) => [
    'In AI for Service go to Settings > App Settings > Dev Tools > API Scopes and click + New Mapping.',
    `Select the JWT app ${ctx.tenant.kore.clientId}, enable Chat History under Automation, and Save.`,
    'Complete this step; we check by API that the conversation APIs answer without a scope error (scope changes need the publish step to take effect on some tenants).',
  ],
});
