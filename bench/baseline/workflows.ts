import { ApplicationFailure, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { OnboardingActivities, StepActivityInput, VerifierActivity } from '../../src/domain/activity-contract';
import { parseDuration } from '../../src/domain/duration';
import type { OnboardingInput } from '../../workflows/contract/payloads';
import { baselineCompleteStep, baselineOpenSteps } from './messages';

/**
 * The baseline: the same onboarding written the plainest way, for the engine overhead ratio. Same
 * activities (with the same inputs, so the same vendor calls), one Update per human step, one
 * reminder timer per opened step, the same summary poll; no catalogue, no validation of evidence,
 * no progress document, no search attributes.
 */
const act = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

const VERIFIED_BY: Record<string, VerifierActivity> = {
  'route-zcc-flow-to-connector': 'findZccFlow',
  'publish-zcc-flow': 'verifyZccFlowPublished',
  'place-test-call': 'findTestCallSession',
};

export async function plainOnboarding({ tenant, options }: OnboardingInput): Promise<{ status: 'completed' }> {
  const openedAt = new Map<string, string>();
  const done = new Set<string>();
  const evidence: Record<string, Record<string, unknown>> = {};
  const results: Record<string, Record<string, unknown>> = {};
  const input = (stepId: string): StepActivityInput => ({ tenant, since: openedAt.get(stepId) ?? new Date().toISOString(), evidence, results, skipped: [] });

  setHandler(baselineOpenSteps, () => ({ open: [...openedAt.keys()].filter((s) => !done.has(s)) }));
  setHandler(baselineCompleteStep, async ({ stepId, evidence: given }) => {
    if (!openedAt.has(stepId) || done.has(stepId)) throw ApplicationFailure.nonRetryable(`${stepId} is not open`);
    const verifier = VERIFIED_BY[stepId];
    if (verifier) {
      const verdict = await act[verifier]({ ...input(stepId), stepId, claim: given });
      if (!verdict.ok) return { ok: false };
      results[stepId] = verdict.result;
    }
    evidence[stepId] = given;
    done.add(stepId);
    return { ok: true };
  });

  /** Opens a human step and waits for it, with a reminder timer like the real one's. */
  const human = async (stepId: string): Promise<void> => {
    openedAt.set(stepId, new Date().toISOString());
    while (!(await condition(() => done.has(stepId), parseDuration(tenant.reminders.firstAfter))));
  };

  /** A console step an API may do (catalogue v4): the API first, its person when the vendor refuses. */
  const apiOrHuman = async (stepId: string, api: () => Promise<unknown>): Promise<void> => {
    try {
      await api();
      done.add(stepId);
    } catch {
      await human(stepId);
    }
  };

  const kore = act.checkKoreAccess(input('verify-kore-access'));
  const zoom = act.checkZoomAccess(input('verify-zoom-access'));
  await kore;
  const flow = human('associate-experience-flow');
  const chat = human('enable-chat-history-scope');
  const summary = human('accept-genai-policy').then(() => human('enable-conversation-summary'));
  await zoom;
  const connector = human('create-zoom-connector');
  const preflight = connector.then(() => act.sipPreflight(input('sip-preflight')));
  const transfer = flow.then(() => human('configure-agent-transfer'));
  const trunk = Promise.all([connector, flow]).then(() => human('configure-sip-trunk'));
  const route = connector
    .then(() => human('route-zcc-flow-to-connector'))
    .then(() => apiOrHuman('publish-zcc-flow', () => act.publishZccFlow(input('publish-zcc-flow'))));
  const authorize = connector.then(() => human('authorize-zoom-connector'));
  await Promise.all([trunk, transfer, chat, summary]);
  await human('publish-app');
  // Scope mappings take effect on publish: checked after it, before the test call reads with them.
  await act.checkChatHistoryAccess(input('verify-chat-history-access'));
  await Promise.all([trunk, authorize, route, preflight]);
  await human('place-test-call');

  for (;;) {
    const r = await act.verifyConversationSummary(input('verify-conversation-summary'));
    if (r.status === 'done') break;
    await sleep(parseDuration(options.summaryPollInterval));
  }
  return { status: 'completed' };
}
