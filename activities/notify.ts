import axios from 'axios';
import type { Logger } from 'pino';
import { Context } from '@temporalio/activity';
import type { NotifyInput } from '../src/domain/activity-contract';
import { formatDuration } from '../src/domain/duration';

/**
 * A reminder or escalation for a human step: always logged; posted as JSON (Slack-compatible
 * `text`) to the tenant's webhook when it has one. Short timeout, no redirects followed.
 */
export function notify(logger: Logger) {
  return async (n: NotifyInput): Promise<{ delivered: boolean }> => {
    const verb = n.kind === 'escalation' ? 'ESCALATION' : 'Reminder';
    const text = `${verb}: ${n.displayName} (${n.tenantId}) has waited ${formatDuration(n.waitedMs)} on "${n.stepTitle}" [${n.stepId}]. Owner: ${n.owner}. Next: ${n.firstInstruction}`;
    logger.info({ tenantId: n.tenantId, stepId: n.stepId, kind: n.kind, waitedMs: n.waitedMs }, text);
    if (!n.webhookUrl) return { delivered: false };
    const info = Context.current().info;
    const res = await axios.post(
      n.webhookUrl,
      { text, tenantId: n.tenantId, stepId: n.stepId, kind: n.kind },
      {
        timeout: 5_000,
        maxRedirects: 0,
        validateStatus: () => true,
        // The same reminder retried carries the same key, so a receiver can drop duplicates.
        headers: { 'idempotency-key': `${info.workflowExecution?.workflowId ?? n.tenantId}:${info.activityId}` },
      },
    );
    if (res.status >= 300) throw new Error(`notify webhook answered ${res.status}`);
    return { delivered: true };
  };
}
