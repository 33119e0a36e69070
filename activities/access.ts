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
        // A scope refusal proves the JWT (app id and secret) is accepted; whether Kore.ai checks
        // the bot before the scope is not documented, so it proves nothing about the bot id. A
        // fresh JWT app has no scope mapped yet: verify-chat-history-access confirms the bot after
        // the person maps the scopes and publishes.
        if (isIntegrationError(err, 'ScopeMissing')) {
          return {
            status: 'done',
            result: {
              baseUrl: kore.baseUrl,
              botId: tenant.kore.botId,
              note: 'credentials accepted; the bot id is confirmed once scopes are mapped (verify-chat-history-access)',
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

/**
 * verify-chat-history-access: after the publish, the two reads the test-call checks make answer
 * for this bot without a scope error: chat history (Chat History) and the bot's sessions (Bot
 * Sessions, to find the test call without its session id). Also the first call that proves the bot id.
 */
export function checkChatHistoryAccess(clients: TenantClients) {
  return ({ tenant }: StepActivityInput): Promise<AutoResult> =>
    translated(async () => {
      const refused = (scope: string, err: IntegrationError) =>
        new IntegrationError(
          'ScopeMissing',
          `Kore.ai still refuses ${scope} for JWT app ${tenant.kore.clientId}: map ${scope} to it under Settings > App Settings > Dev Tools > API Scopes (step enable-chat-history-scope), publish the app again (a mapping takes effect on publish), then retry this step`,
          { vendor: 'kore', operation: err.operation, status: err.status, scopes: err.scopes },
        );
      try {
        await readChatHistory(clients, tenant);
      } catch (err) {
        if (isIntegrationError(err, 'ScopeMissing')) throw refused('Chat History', err);
        throw err;
      }
      try {
        await (await clients.kore(tenant)).listSessions(tenant.kore.botId, { limit: 1 });
      } catch (err) {
        if (isIntegrationError(err, 'ScopeMissing')) throw refused('Bot Sessions', err);
        throw err;
      }
      return { status: 'done', result: { scopes: ['Chat History', 'Bot Sessions'], botId: tenant.kore.botId } };
    });
}

/** A day of the bot's chat history, one message: answers only when Chat History is mapped to the JWT app and in effect. */
export async function readChatHistory(clients: TenantClients, tenant: StepActivityInput['tenant']): Promise<void> {
  const now = Date.now();
  await (
    await clients.kore(tenant)
  ).getChatHistory(tenant.kore.botId, { dateFrom: new Date(now - 86_400_000).toISOString(), dateTo: new Date(now).toISOString(), limit: 1 });
}
