import type { Logger } from 'pino';
import type { Config } from '../src/config';
import type { OnboardingActivities } from '../src/domain/activity-contract';
import { preflightSettings } from '../src/integrations/sip/preflight';
import { checkChatHistoryAccess, checkKoreAccess, checkZoomAccess } from './access';
import { TenantClients } from './clients';
import { importGenAiSettings } from './genai-import';
import { keepAlive } from './heartbeat';
import { notify } from './notify';
import { sipPreflight } from './preflight';
import { publishKoreApp, publishZccFlow } from './publish';
import { verifyConversationSummary } from './summary';
import { findTestCallSession } from './test-call';
import { findZccFlow, verifyBotPublished, verifyChatHistoryScope, verifyZccFlowPublished } from './verifiers';

/** The worker's activities, bound to configuration and a logger. */
export function createActivities(deps: { config: Config; logger: Logger }): OnboardingActivities {
  const clients = new TenantClients(deps.config, deps.logger);
  // Each vendor activity heartbeats while it runs (./heartbeat.ts); the owner's notice is short and not worth it.
  return {
    checkKoreAccess: keepAlive(checkKoreAccess(clients)),
    checkZoomAccess: keepAlive(checkZoomAccess(clients)),
    checkChatHistoryAccess: keepAlive(checkChatHistoryAccess(clients)),
    verifyConversationSummary: keepAlive(verifyConversationSummary(clients)),
    verifyZccFlowPublished: keepAlive(verifyZccFlowPublished(clients)),
    findZccFlow: keepAlive(findZccFlow(clients)),
    verifyChatHistoryScope: keepAlive(verifyChatHistoryScope(clients)),
    verifyBotPublished: keepAlive(verifyBotPublished(clients)),
    findTestCallSession: keepAlive(findTestCallSession(clients)),
    publishKoreApp: keepAlive(publishKoreApp(clients)),
    publishZccFlow: keepAlive(publishZccFlow(clients)),
    importGenAiSettings: keepAlive(importGenAiSettings(clients)),
    // The extra CA file is read here, once: a wrong path stops the worker at start, not a step later.
    sipPreflight: keepAlive(
      sipPreflight({ settings: preflightSettings(deps.config.preflight), propagationWindowMs: deps.config.preflight.propagationWindowMs }),
    ),
    notify: notify(deps.logger, { allowLocalWebhooks: deps.config.outbound.allowLocalWebhooks }),
  };
}
