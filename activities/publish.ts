import { ApplicationFailure } from '@temporalio/common';
import type { AutoResult, StepActivityInput } from '../src/domain/activity-contract';
import { isIntegrationError } from '../src/integrations/errors';
import type { PublishStatus } from '../src/integrations/kore/schemas';
import type { ZccFlow } from '../src/integrations/zoom/schemas';
import type { TenantClients } from './clients';
import { translated } from './failures';
import { attemptDeadline, pollUntil, type PollOptions } from './jobs';
import { beat } from './heartbeat';

/**
 * What a failed publish status says, in the vendor's terms: the statusSummary items that are not
 * SUCCESS (kore-api-more.md 8: e.g. SIPTRUNK after SIP-number edits), and where to look.
 */
export function failedPublishWords(s: PublishStatus): string {
  const failed = (s.statusSummary ?? []).filter((r) => r.status !== 'SUCCESS').map((r) => r.resourceType ?? r.name ?? '?');
  const sip = failed.some((r) => /SIP/i.test(r));
  return `failed${failed.length ? ` on ${failed.join(', ')}` : ''}${
    sip
      ? ': check the SIP trunk (step configure-sip-trunk: FQDN, DID, srv, TLS), then publish again; if it fails again on the SIP trunk, Kore.ai Support must look at it'
      : '; publish again'
  }`;
}

/** The bot's last publish, or none (Kore.ai answers 404 before the first). */
async function lastPublish(read: () => Promise<PublishStatus>): Promise<PublishStatus | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isIntegrationError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/**
 * publish-app, automatically (Admin Console app). Publishing is not idempotent, so the status comes
 * first: a publish asked for since the step opened that is in progress or successful is the one
 * this step wants (an earlier attempt's whose answer was lost, or a person's), and is polled rather
 * than asked for again. Then the job is polled with backoff and heartbeats until it settles or the
 * attempt's deadline comes (pending: asked again, the status read finds the same job). A failed
 * publish is a non-retryable failure with the resource Kore.ai names. A publish Kore.ai holds for
 * approval answers `awaiting: 'approval'` with a checkpoint: later rounds read the status (the job
 * an approval starts) and never ask again.
 */
export function publishKoreApp(clients: TenantClients, poll: PollOptions = {}) {
  return ({ tenant, since, checkpoint }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      const deadline = attemptDeadline();
      const kore = await clients.kore(tenant, 'admin');
      const botId = tenant.kore.botId;
      const before = await lastPublish(() => kore.getPublishStatus(botId));
      const current = (s: PublishStatus | undefined) => s?.requestedTime !== undefined && Date.parse(s.requestedTime) >= Date.parse(since);
      // Asked for in an earlier round and held for approval: no job runs until an administrator approves, and asking again would queue a second request.
      const heldSince = typeof checkpoint?.approvalAskedAt === 'string' ? checkpoint.approvalAskedAt : undefined;
      const awaitingApproval = (what: string, askedAt: string): AutoResult => ({
        status: 'pending',
        awaiting: 'approval',
        checkpoint: { approvalAskedAt: askedAt },
        message: `awaiting approval in the Admin Console: Kore.ai holds the publish of ${what} (asked for at ${askedAt}) until an administrator of the account approves it; the step goes on once the publish is approved and done`,
      });
      if (heldSince && !current(before)) return awaitingApproval('bot ' + botId, heldSince);
      let answered: Array<{ resourceType: string; status?: string; state?: string }> | undefined;
      if (!heldSince && !(current(before) && before!.status !== 'failed')) {
        beat({ phase: 'publishing', lastRequestedTime: before?.requestedTime });
        const askedAt = new Date().toISOString();
        const answer = await kore.publishBot(botId, `kore-zcc-onboarding ${tenant.tenantId}: publish-app (automatic)`);
        answered = answer.map((r) => ({
          resourceType: r.resourceType,
          status: r.status,
          state: typeof r.result?.state === 'string' ? r.result.state : undefined,
        }));
        const waiting = answered.filter((r) => r.state === 'awaitingApproval').map((r) => r.resourceType);
        if (waiting.length) return awaitingApproval(waiting.join(', '), askedAt);
      }
      const { value: s, done } = await pollUntil(
        () => lastPublish(() => kore.getPublishStatus(botId)),
        // After our own publish, only a job other than the one read before is ours: the earlier (failed) one must not answer for it.
        (s) => s !== undefined && (answered !== undefined ? s.requestedTime !== before?.requestedTime : current(s)) && s.status !== 'inprogress',
        (s) => ({ phase: 'polling', status: s?.status, percentageComplete: s?.percentageComplete, requestedTime: s?.requestedTime }),
        deadline,
        poll,
      );
      if (!done || !s) {
        return { status: 'pending', message: `the publish is still in progress at Kore.ai (${s?.percentageComplete ?? '?'}%); asked again shortly` };
      }
      if (s.status === 'failed') {
        throw ApplicationFailure.create({
          type: 'PublishFailed',
          message: `Kore.ai reports the publish asked for at ${s.requestedTime} ${failedPublishWords(s)}`,
          nonRetryable: true,
          details: [{ vendor: 'kore', requestedTime: s.requestedTime, statusSummary: s.statusSummary }],
        });
      }
      return {
        status: 'done',
        result: {
          publishStatus: s.status,
          requestedTime: s.requestedTime,
          percentageComplete: s.percentageComplete,
          statusSummary: (s.statusSummary ?? []).map((r) => ({ resourceType: r.resourceType, status: r.status })),
          ...(answered
            ? { published: answered }
            : {
                published: heldSince
                  ? `approved by an administrator (asked for at ${heldSince})`
                  : 'an earlier publish asked for since the step opened (not asked again)',
              }),
        },
      };
    });
}

/** The flow's newest published version (else its newest). */
const versionOf = (f: ZccFlow) => {
  const versions = f.flow_versions ?? [];
  const published = versions.filter((v) => v.flow_version_status === 'published');
  return Math.max(...(published.length ? published : versions).map((v) => v.flow_version), -Infinity);
};

/**
 * Publishing the ZCC flow a person routed to the connector (flow:write). The route step's verifier
 * found the flow; a published flow is done without asking Zoom to publish (a retry whose answer was
 * lost does nothing twice). A missing scope passes through as ScopeMissing.
 */
export function publishZccFlow(clients: TenantClients) {
  return ({ tenant, results, evidence }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      const route = 'route-zcc-flow-to-connector';
      const flowName = typeof evidence[route]?.flowName === 'string' ? (evidence[route].flowName as string) : undefined;
      const zoom = await clients.zoom(tenant);
      let flowId = typeof results[route]?.flowId === 'string' ? (results[route].flowId as string) : undefined;
      if (!flowId && flowName) flowId = (await zoom.listFlows()).find((f) => f.flow_name === flowName)?.flow_id;
      if (!flowId) return { status: 'pending', message: `no ZCC flow to publish yet: step ${route} has not recorded which flow routes to the connector` };
      const before = await zoom.getFlow(flowId);
      const shape = (f: ZccFlow, published: boolean) => {
        const v = versionOf(f);
        return { flowId: f.flow_id, flowName: f.flow_name, flowVersion: Number.isFinite(v) ? v : undefined, status: f.status, publishedNow: published };
      };
      if (before.status === 'published') return { status: 'done', result: shape(before, false) };
      await zoom.publishFlow(flowId);
      const after = await zoom.getFlow(flowId);
      if (after.status !== 'published')
        throw ApplicationFailure.retryable(`Zoom accepted the publish of ZCC flow "${after.flow_name}" but reads it back ${after.status}`, 'FlowNotPublished');
      return { status: 'done', result: shape(after, true) };
    });
}
