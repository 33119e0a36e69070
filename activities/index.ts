import type { MetricMeter } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Config } from '../src/config';
import type { OnboardingActivities, VerifierActivity } from '../src/domain/activity-contract';
import type { HealthActivities } from '../src/domain/health';
import { preflightSettings } from '../src/integrations/sip/preflight';
import { checkChatHistoryAccess, checkKoreAccess, checkZoomAccess } from './access';
import { TenantClients } from './clients';
import { healthKoreAccess, healthPublishStatus, healthZoomAccess } from './health';
import { healthAgentTransfer, healthCallsArriving, healthSummaries } from './health-calls';
import { healthSip } from './health-sip';
import { WorkerMetrics } from './metrics';
import { importGenAiSettings } from './genai-import';
import { keepAlive } from './heartbeat';
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

/** The worker's activities (the onboarding's and the health checks'), bound to configuration and a logger; `meter` takes their metrics (the worker's Runtime). */
export function createActivities(deps: { config: Config; logger: Logger; meter?: MetricMeter }): OnboardingActivities & HealthActivities {
  const metrics = new WorkerMetrics(deps.meter);
  const clients = new TenantClients(deps.config, deps.logger, metrics.vendorCall);
  // The extra CA file is read here, once: a wrong path stops the worker at start, not a step later.
  const settings = preflightSettings(deps.config.preflight);
  const activities: OnboardingActivities & HealthActivities = {
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
    sipPreflight: sipPreflight({ settings, propagationWindowMs: deps.config.preflight.propagationWindowMs }),
    notify: notify(deps.logger, { allowLocalWebhooks: deps.config.outbound.allowLocalWebhooks }),
    healthKoreAccess: healthKoreAccess(clients),
    healthZoomAccess: healthZoomAccess(clients),
    healthPublishStatus: healthPublishStatus(clients),
    healthCallsArriving: healthCallsArriving(clients),
    healthSummaries: healthSummaries(clients),
    healthAgentTransfer: healthAgentTransfer(clients),
    healthSip: healthSip({ settings }),
  };
  const instrumented = Object.entries(activities).map(([name, fn]) => [
    name,
    // Each vendor activity heartbeats while it runs (./heartbeat.ts); the owner's notice is short and not worth it.
    metrics.instrument(
      name,
      name === 'notify' ? (fn as (i: unknown) => Promise<unknown>) : keepAlive(fn as (i: unknown) => Promise<unknown>),
      VERIFIERS.has(name),
    ),
  ]);
  return Object.fromEntries(instrumented) as unknown as OnboardingActivities & HealthActivities;
}
