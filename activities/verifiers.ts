import type { VerifierInput, VerifierResult } from '../src/domain/activity-contract';
import { isIntegrationError } from '../src/integrations/errors';
import { ApplicationFailure } from '@temporalio/common';
import type { TenantClients } from './clients';
import { readChatHistory } from './access';
import { translated } from './failures';
import { failedPublishWords } from './publish';

/**
 * Verifiers check a person's claim by API. `ok: false` is a finding (the step reopens with it);
 * a thrown error is a failure to check (retried, or needs attention).
 */

const ROUTE = 'route-zcc-flow-to-connector';

/** The flow a claim names, or the one the route step's person named. */
const claimedFlowName = ({ claim, evidence }: VerifierInput): string => String(claim.flowName ?? evidence[ROUTE]?.flowName ?? '');

/** The named ZCC flow, or a finding that lists the account's flows. */
async function findFlow(clients: TenantClients, input: VerifierInput) {
  const name = claimedFlowName(input);
  const flows = await (await clients.zoom(input.tenant)).listFlows();
  const flow = flows.find((f) => f.flow_name === name);
  if (flow) return { flow };
  const known =
    flows
      .map((f) => `"${f.flow_name}"`)
      .slice(0, 10)
      .join(', ') || 'none';
  return { finding: `no ZCC flow is named "${name}" (flows on the account: ${known}); check the name` };
}

/** route-zcc-flow-to-connector (versions 1-3: routed and published in one step), publish-zcc-flow: the named ZCC flow exists and is published. */
export function verifyZccFlowPublished(clients: TenantClients) {
  return (input: VerifierInput): Promise<VerifierResult> =>
    translated(async () => {
      const { flow, finding } = await findFlow(clients, input);
      if (!flow) return { ok: false, message: finding };
      if (flow.status !== 'published')
        return { ok: false, message: `ZCC flow "${flow.flow_name}" is ${flow.status}, not published; publish it and complete the step again` };
      return { ok: true, result: { flowId: flow.flow_id, entryNumbers: flow.entry_points.map((e) => e.entry_number).filter(Boolean) } };
    });
}

/**
 * route-zcc-flow-to-connector (version 4): the named flow exists (whether it routes to the
 * connector no API shows: the test call proves it); its id goes to publish-zcc-flow.
 */
export function findZccFlow(clients: TenantClients) {
  return (input: VerifierInput): Promise<VerifierResult> =>
    translated(async () => {
      const { flow, finding } = await findFlow(clients, input);
      if (!flow) return { ok: false, message: finding };
      return {
        ok: true,
        result: { flowId: flow.flow_id, status: flow.status, entryNumbers: flow.entry_points.map((e) => e.entry_number).filter(Boolean) },
      };
    });
}

/** enable-chat-history-scope: the conversation APIs answer without a scope error. */
export function verifyChatHistoryScope(clients: TenantClients) {
  return ({ tenant }: VerifierInput): Promise<VerifierResult> =>
    translated(async () => {
      try {
        await readChatHistory(clients, tenant);
        return { ok: true, result: { scope: 'Chat History' } };
      } catch (err) {
        if (isIntegrationError(err, 'ScopeMissing')) return { ok: false, message: `Kore.ai still refuses chat history: ${err.message}` };
        throw err;
      }
    });
}

/**
 * publish-app (with an Admin Console app): Kore.ai reports a publish that started after this step
 * opened (an earlier one cannot hold the setup this step waited for) and finished successfully;
 * a failed one names the resource that failed (kore-api-more.md 8: e.g. SIPTRUNK).
 */
export function verifyBotPublished(clients: TenantClients) {
  return ({ tenant, since }: VerifierInput): Promise<VerifierResult> =>
    translated(async () => {
      try {
        const s = await (await clients.kore(tenant, 'admin')).getPublishStatus(tenant.kore.botId);
        const requested = s.requestedTime ? Date.parse(s.requestedTime) : NaN;
        // A minute's grace for clocks: the person may press Publish as the step opens.
        if (!Number.isNaN(requested) && requested < Date.parse(since) - 60_000) {
          return {
            ok: false,
            message: `the last publish Kore.ai reports was asked for at ${s.requestedTime}, before this step opened (${since}), so it does not hold the setup done since: publish again (Deploy > Publish), then complete the step`,
          };
        }
        if (s.status === 'successful') return { ok: true, result: { publishStatus: s.status, requestedTime: s.requestedTime } };
        if (s.status === 'inprogress') {
          // Still publishing: a retryable failure, so Temporal asks again with backoff.
          throw ApplicationFailure.retryable(`the publish is still in progress (${s.percentageComplete ?? '?'}%)`, 'PublishInProgress');
        }
        return { ok: false, message: `Kore.ai reports the last publish ${failedPublishWords(s)}` };
      } catch (err) {
        if (isIntegrationError(err, 'NotFound'))
          return { ok: false, message: 'Kore.ai has no publish for this bot; publish the app (Deploy > Publish) and complete the step again' };
        throw err;
      }
    });
}
