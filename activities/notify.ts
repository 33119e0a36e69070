import http from 'node:http';
import https from 'node:https';
import axios from 'axios';
import type { Logger } from 'pino';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { NotifyInput } from '../src/domain/activity-contract';
import { formatDuration } from '../src/domain/duration';
import { checkOutboundUrl, OutboundUrlRefused, pinnedLookup } from '../src/integrations/outbound-url';

/**
 * A reminder or escalation for a human step, the completion, or a live tenant's health getting
 * worse: always logged; posted as JSON (Slack-compatible `text`) to the tenant's webhook when it has one. The URL came from tenant input, so it is
 * checked (https, public addresses only, outside dev), with a short timeout and no redirects.
 */
export function notify(logger: Logger, opts: { allowLocalWebhooks: boolean }) {
  const lookup = pinnedLookup({ allowLocal: opts.allowLocalWebhooks });
  const httpAgent = new http.Agent({ lookup });
  const httpsAgent = new https.Agent({ lookup });
  return async (n: NotifyInput): Promise<{ delivered: boolean }> => {
    const verb = n.kind === 'escalation' ? 'ESCALATION' : 'Reminder';
    const text =
      n.kind === 'completed'
        ? `Completed: ${n.displayName} (${n.tenantId}) is onboarded, verified end to end by a test call, in ${formatDuration(n.waitedMs)}. Owner: ${n.owner}.`
        : n.kind === 'health'
          ? `Health: ${n.displayName} (${n.tenantId}) got worse: ${n.firstInstruction}. Owner: ${n.owner}. See: onboard health status ${n.tenantId}`
          : `${verb}: ${n.displayName} (${n.tenantId}) has waited ${formatDuration(n.waitedMs)} on "${n.stepTitle}" [${n.stepId}]. Owner: ${n.owner}. Next: ${n.firstInstruction}`;
    logger.info({ tenantId: n.tenantId, stepId: n.stepId, kind: n.kind, waitedMs: n.waitedMs }, text);
    if (!n.webhookUrl) return { delivered: false };
    const info = Context.current().info;
    try {
      const url = checkOutboundUrl(n.webhookUrl, { allowLocal: opts.allowLocalWebhooks });
      const res = await axios.post(
        url.toString(),
        { text, tenantId: n.tenantId, stepId: n.stepId, kind: n.kind },
        {
          // axios's `timeout` restarts on every byte received; the signal bounds the whole call.
          timeout: 5_000,
          signal: AbortSignal.timeout(5_000),
          maxContentLength: 64 * 1024,
          maxBodyLength: 64 * 1024,
          maxRedirects: 0,
          httpAgent,
          httpsAgent,
          proxy: false,
          validateStatus: () => true,
          // The same reminder retried carries the same key, so a receiver can drop duplicates.
          headers: { 'idempotency-key': `${info.workflowExecution?.workflowId ?? n.tenantId}:${info.activityId}` },
        },
      );
      if (res.status >= 300) throw new Error(`notify webhook answered ${res.status}${res.status < 400 ? ' (redirects are not followed)' : ''}`);
      return { delivered: true };
    } catch (err) {
      const refused =
        err instanceof OutboundUrlRefused
          ? err
          : (err as { cause?: unknown }).cause instanceof OutboundUrlRefused
            ? (err as { cause: OutboundUrlRefused }).cause
            : undefined;
      // A refused address will be refused again: no retries.
      if (refused) throw ApplicationFailure.create({ type: 'OutboundUrlRefused', message: `contacts.notifyWebhookUrl ${refused.message}`, nonRetryable: true });
      const code = (err as { code?: string }).code;
      if (code === 'ERR_CANCELED' || code === 'ECONNABORTED' || code === 'ETIMEDOUT') throw new Error('notify webhook did not answer within 5 s');
      throw err;
    }
  };
}
