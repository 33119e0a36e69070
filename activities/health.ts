import type { CheckResult, HealthCheckId, HealthCheckInput, HealthOutcome } from '../src/domain/health';
import { isIntegrationError } from '../src/integrations/errors';
import { SecretUnavailable } from '../src/secret-store';
import { readChatHistory } from './access';
import type { TenantClients } from './clients';
import { toFailure } from './failures';
import { failedPublishWords } from './publish';
import { zoomTime } from './time';

/**
 * Health checks of a live tenant (the health workflow's activities), read-only and thin: each asks
 * the vendor through src/integrations and answers ok / warning / failing with what the vendor said.
 * A refusal that needs a person (bad credentials, a scope gone, a missing bot) is a finding; a
 * transient error is thrown, so Temporal retries it, and the run shows "could not check" after.
 */

export const result = (check: HealthCheckId, outcome: HealthOutcome, answer: string, facts?: CheckResult['facts']): CheckResult => ({
  check,
  outcome,
  answer: answer.length > 600 ? `${answer.slice(0, 597)}...` : answer,
  at: new Date().toISOString(),
  ...(facts ? { facts } : {}),
});

/**
 * Runs a check: a vendor's refusal that retrying will not change becomes a failing result with its
 * words. For a check that reads traffic (`access: false`), bad credentials or a missing scope are
 * the access checks' finding: said here as a warning, so one cause fails one check.
 */
export async function checked(check: HealthCheckId, fn: () => Promise<CheckResult>, opts: { access?: boolean } = {}): Promise<CheckResult> {
  try {
    return await fn();
  } catch (err) {
    if (opts.access === false && (isIntegrationError(err, 'ScopeMissing') || isIntegrationError(err, 'AuthRejected')))
      return result(check, 'warning', `could not read: ${err.message} (the ${err.vendor}-access check says what to fix)`);
    if (isIntegrationError(err) && !err.retryable) return result(check, 'failing', err.message);
    if (err instanceof SecretUnavailable) return result(check, 'failing', `the tenant's secret is not readable here: ${err.message}`);
    return toFailure(err);
  }
}

/** Kore.ai's JWT app is accepted and Chat History and Bot Sessions still answer for the bot. */
export function healthKoreAccess(clients: TenantClients) {
  return ({ tenant }: HealthCheckInput): Promise<CheckResult> =>
    checked('kore-access', async () => {
      const kore = await clients.kore(tenant);
      const reads: Array<[string, () => Promise<unknown>]> = [
        ['Chat History', () => readChatHistory(clients, tenant)],
        ['Bot Sessions', () => kore.listSessions(tenant.kore.botId, { limit: 1 })],
      ];
      const refused: string[] = [];
      for (const [scope, read] of reads) {
        try {
          await read();
        } catch (err) {
          if (!isIntegrationError(err, 'ScopeMissing')) throw err;
          refused.push(scope);
        }
      }
      if (refused.length)
        return result(
          'kore-access',
          'failing',
          `Kore.ai accepts JWT app ${tenant.kore.clientId} but refuses ${refused.join(' and ')} for bot ${tenant.kore.botId} ("Scope is incorrect"): map ${refused.join(' and ')} to it again under Settings > App Settings > Dev Tools > API Scopes, then publish the app`,
        );
      return result('kore-access', 'ok', `JWT app ${tenant.kore.clientId} accepted; Chat History and Bot Sessions answer for bot ${tenant.kore.botId}`);
    });
}

/** A Zoom S2S token is issued and the Contact Center reads (flows, engagements) still answer. */
export function healthZoomAccess(clients: TenantClients) {
  return ({ tenant }: HealthCheckInput): Promise<CheckResult> =>
    checked('zoom-access', async () => {
      const zoom = await clients.zoom(tenant);
      const token = await zoom.tokens.token();
      const missing: string[] = [];
      const probe = async (what: string, call: () => Promise<unknown>) => {
        try {
          await call();
        } catch (err) {
          if (!isIntegrationError(err, 'ScopeMissing')) throw err;
          missing.push(`${what} (${err.scopes?.join(' or ') ?? 'unnamed'})`);
        }
      };
      const now = Date.now();
      await probe('read flows', () => zoom.listFlows());
      await probe('read engagements', () => zoom.listEngagements({ from: zoomTime(now - 3_600_000), to: zoomTime(now) }));
      if (missing.length)
        return result(
          'zoom-access',
          'failing',
          `Zoom issues a token to S2S app ${tenant.zoom.clientId}, but it lacks scopes to ${missing.join(' and ')}: add them in the Marketplace and re-activate the app`,
        );
      return result('zoom-access', 'ok', `S2S token issued (${token.scopes.length} scopes); flows and engagements readable`);
    });
}

/** With an Admin Console app: the bot's last publish succeeded and Kore.ai lists the bot as published. */
export function healthPublishStatus(clients: TenantClients) {
  return ({ tenant }: HealthCheckInput): Promise<CheckResult> =>
    checked('publish-status', async () => {
      const admin = await clients.kore(tenant, 'admin');
      const botId = tenant.kore.botId;
      let s;
      try {
        s = await admin.getPublishStatus(botId);
      } catch (err) {
        if (isIntegrationError(err, 'NotFound'))
          return result('publish-status', 'failing', `Kore.ai has no publish of bot ${botId}: publish the app (Deploy > Publish)`);
        throw err;
      }
      const asked = s.requestedTime ? ` (asked for at ${s.requestedTime})` : '';
      if (s.status === 'failed') return result('publish-status', 'failing', `Kore.ai reports the last publish${asked} ${failedPublishWords(s)}`);
      if (s.status === 'inprogress') return result('publish-status', 'warning', `a publish${asked} is still in progress (${s.percentageComplete ?? '?'}%)`);
      const listed = await botStatus(clients, tenant);
      if (listed.missing) return result('publish-status', 'failing', `Kore.ai's list of the account's bots has no bot ${botId}: was it deleted or moved?`);
      if (listed.status && listed.status !== 'published')
        return result(
          'publish-status',
          'failing',
          `Kore.ai lists bot ${botId} as "${listed.status}", not published, though its last publish${asked} succeeded: publish the app again (Deploy > Publish)`,
        );
      return result('publish-status', 'ok', `last publish successful${asked}; ${listed.note}`);
    });
}

/** The bot's status in the account's bot list (Role Management); without that scope, say so and judge by the publish alone. */
async function botStatus(clients: TenantClients, tenant: HealthCheckInput['tenant']): Promise<{ status?: string; missing?: boolean; note: string }> {
  const admin = await clients.kore(tenant, 'admin');
  try {
    // A few pages at most: an account's bots, 50 a page.
    for (let offset = 0; offset < 500; offset += 50) {
      const page = await admin.listBots(offset, 50);
      const bot = page.bots.find((b) => b._id === tenant.kore.botId);
      if (bot) return { status: bot.status, note: `bot listed as ${bot.status ?? 'unknown'}` };
      if (!page.availableMore) break;
    }
    return { missing: true, note: '' };
  } catch (err) {
    if (!isIntegrationError(err, 'ScopeMissing')) throw err;
    return { note: 'bot list not read (the Admin Console app lacks Role Management), so judged by the publish alone' };
  }
}
