import type { MetricMeter } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Config } from '../src/config';
import type { OnboardingActivities, VerifierActivity } from '../src/domain/activity-contract';
import { preflightSettings } from '../src/integrations/sip/preflight';
import { checkChatHistoryAccess, checkKoreAccess, checkZoomAccess } from './access';
import { TenantClients } from './clients';
import { WorkerMetrics } from './metrics';
import { importGenAiSettings } from './genai-import';
import { notify } from './notify';
import { sipPreflight } from './preflight';
import { publishKoreApp, publishZccFlow } from './publish';
import { verifyConversationSummary } from './summary';
import { findTestCallSession } from './test-call';
import { findZccFlow, verifyBotPublished, verifyChatHistoryScope, verifyZccFlowPublished } from './verifiers';

/** The verifiers, whose verdicts are counted by outcome. */
const VERIFIERS: ReadonlySet<string> = new Set<VerifierActivity>([
  'verifyZccFlowPublished',
  'findZccFlow',
  'verifyChatHistoryScope',
  'verifyBotPublished',
  'findTestCallSession',
]);

/** The worker's activities, bound to configuration and a logger; `meter` takes their metrics (the worker's Runtime). */
export function createActivities(deps: { config: Config; logger: Logger; meter?: MetricMeter }): OnboardingActivities {
  const metrics = new WorkerMetrics(deps.meter);
  const clients = new TenantClients(deps.config, deps.logger, metrics.vendorCall);
  const activities: OnboardingActivities = {
    checkKoreAccess: checkKoreAccess(clients),
    checkZoomAccess: checkZoomAccess(clients),
    checkChatHistoryAccess: checkChatHistoryAccess(clients),
    verifyConversationSummary: verifyConversationSummary(clients),
    verifyZccFlowPublished: verifyZccFlowPublished(clients),
    findZccFlow: findZccFlow(clients),
    verifyChatHistoryScope: verifyChatHistoryScope(clients),
    verifyBotPublished: verifyBotPublished(clients),
    findTestCallSession: findTestCallSession(clients),
    publishKoreApp: publishKoreApp(clients),
    publishZccFlow: publishZccFlow(clients),
    importGenAiSettings: importGenAiSettings(clients),
    // The extra CA file is read here, once: a wrong path stops the worker at start, not a step later.
    sipPreflight: sipPreflight({ settings: preflightSettings(deps.config.preflight), propagationWindowMs: deps.config.preflight.propagationWindowMs }),
    notify: notify(deps.logger, { allowLocalWebhooks: deps.config.outbound.allowLocalWebhooks }),
  };
  const instrumented = Object.entries(activities).map(([name, fn]) => [
    name,
    metrics.instrument(name, fn as (i: unknown) => Promise<unknown>, VERIFIERS.has(name)),
  ]);
  return Object.fromEntries(instrumented) as unknown as OnboardingActivities;
}
