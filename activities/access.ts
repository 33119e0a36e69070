import type { AutoResult, StepActivityInput } from '../src/domain/activity-contract';
import { IntegrationError, isIntegrationError } from '../src/integrations/errors';
import type { TenantClients } from './clients';
import { translated } from './failures';
import { zoomTime } from './time';

/** verify-kore-access: the app's JWT is accepted for this bot in this region. */
export function checkKoreAccess(clients: TenantClients) {
  return ({ tenant }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      const kore = await clients.kore(tenant);
      try {
        const page = await kore.listSessions(tenant.kore.botId, { limit: 1 });
        return { status: 'done', result: { baseUrl: kore.baseUrl, botId: tenant.kore.botId, recentSessions: page.total ?? page.sessions.length } };
      } catch (err) {
        // Kore checks credentials and the bot before scopes, so a scope refusal proves both; a
        // fresh JWT app need not hold the Bot Sessions scope.
        if (isIntegrationError(err, 'ScopeMissing')) {
          return {
            status: 'done',
            result: {
              baseUrl: kore.baseUrl,
              botId: tenant.kore.botId,
              note: 'credentials and bot accepted; the Bot Sessions scope is not mapped (not required)',
            },
          };
        }
        throw err;
      }
    });
}

/** verify-zoom-access: an S2S token, and the Contact Center reads our verifiers need; names every missing scope. */
export function checkZoomAccess(clients: TenantClients) {
  return ({ tenant }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      const zoom = await clients.zoom(tenant);
      const token = await zoom.tokens.token();
      const missing: string[] = [];
      const probe = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await call();
        } catch (err) {
          if (!isIntegrationError(err, 'ScopeMissing')) throw err;
          missing.push(`${what} (${err.scopes?.join(' or ') ?? 'unnamed'})`);
          return undefined;
        }
      };
      const flows = await probe('read flows', () => zoom.listFlows());
      const now = Date.now();
      await probe('read engagements', () => zoom.listEngagements({ from: zoomTime(now - 86_400_000), to: zoomTime(now) }));
      if (missing.length) {
        throw new IntegrationError(
          'ScopeMissing',
          `zoom: the Server-to-Server app lacks scopes to ${missing.join(' and ')}; add them in the Marketplace and re-activate the app`,
          {
            vendor: 'zoom',
            operation: 'zoom.checkAccess',
          },
        );
      }
      return { status: 'done', result: { accountId: tenant.zoom.accountId, flows: flows?.length ?? 0, scopes: token.scopes } };
    });
}

/** verify-chat-history-access: after the publish, the conversation APIs answer for this bot without a scope error. */
export function checkChatHistoryAccess(clients: TenantClients) {
  return ({ tenant }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      try {
        await readChatHistory(clients, tenant);
        return { status: 'done', result: { scope: 'Chat History' } };
      } catch (err) {
        if (!isIntegrationError(err, 'ScopeMissing')) throw err;
        throw new IntegrationError(
          'ScopeMissing',
          `Kore.ai still refuses chat history for JWT app ${tenant.kore.clientId}: map Chat History to it under Dev Tools > API Scopes (step enable-chat-history-scope), publish the app again, then retry this step`,
          { vendor: 'kore', operation: err.operation, status: err.status, scopes: err.scopes },
        );
      }
    });
}

/** A day of the bot's chat history, one message: answers only when Chat History is mapped to the JWT app and in effect. */
export async function readChatHistory(clients: TenantClients, tenant: StepActivityInput['tenant']): Promise<void> {
  const now = Date.now();
  await (
    await clients.kore(tenant)
  ).getChatHistory(tenant.kore.botId, { dateFrom: new Date(now - 86_400_000).toISOString(), dateTo: new Date(now).toISOString(), limit: 1 });
}
