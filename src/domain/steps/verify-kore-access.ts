import { auto } from './define';
import { koreBaseUrlOf } from './context';

/** The JWT app's credentials and the bot, checked by API before anyone is asked to do anything. */
export const verifyKoreAccess = auto({
  id: 'verify-kore-access',
  title: 'Check the Kore.ai app credentials and bot',
  phase: 'Setup',
  side: 'kore',
  dependsOn: [],
  activity: 'checkKoreAccess',
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId', 'kore.clientSecret'], evidence: [] },
  instructions: (ctx) => [
    `Automatic: sign a JWT for app ${ctx.tenant.kore.clientId} and call Kore.ai (${koreBaseUrlOf(ctx)}) for bot ${ctx.tenant.kore.botId}.`,
  ],
});
