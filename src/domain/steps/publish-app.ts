import { z } from 'zod';
import { NonBlank } from '../validation';
import { human } from './define';
import { field } from './field';

/** Publishing puts every Kore.ai change above into effect; checked by API when an Admin Console app is given. */
export const publishApp = human({
  id: 'publish-app',
  title: 'Publish the app',
  phase: 'Routing',
  side: 'kore',
  dependsOn: ['associate-experience-flow', 'configure-sip-trunk', 'configure-agent-transfer', 'enable-chat-history-scope', 'enable-conversation-summary'],
  evidence: z
    .object({
      comment: field(NonBlank(500), {
        label: 'Publish comment',
        help: 'The comment you entered in Deploy > Publish before you clicked Confirm.',
        example: 'Zoom Contact Center voice channel',
        format: 'up to 500 characters',
      }),
    })
    .strict(),
  verifier: { activity: 'verifyBotPublished', when: (t) => t.kore.adminAppClientId !== undefined },
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.adminApp.clientId', 'kore.adminApp.clientSecret'], evidence: [] },
  instructions: (ctx) => [
    'Go to Deploy > Publish, click Proceed, enter a comment and click Confirm; close the confirmation.',
    ctx.tenant.kore.adminAppClientId
      ? `We check the publish status by API with the Admin Console app ${ctx.tenant.kore.adminAppClientId}.`
      : 'No Admin Console app was given, so the publish is taken on your word; the test call proves it.',
    'Enter your publish comment below.',
  ],
});

/**
 * Catalogue version 4: Kore.ai's Publish API does it when the file gives an Admin Console app (one
 * without the Bot Publish scope hands it to a person); the same publish-status check follows.
 */
export const publishAppV4 = human({
  ...publishApp,
  dependsOn: [...publishApp.dependsOn],
  automation: {
    activity: 'publishKoreApp',
    needs: 'an Admin Console app (kore.adminApp) with the Bot Publish scope',
    possible: (t) => t.kore.adminAppClientId !== undefined,
    instructions: (ctx) => [
      `Automatic: publish bot ${ctx.tenant.kore.botId} through Kore.ai's Publish API with the Admin Console app ${ctx.tenant.kore.adminAppClientId ?? '?'}, and follow its publish status to the end.`,
      'If Kore.ai holds the publish for approval, an administrator of the account approves it in the Admin Console; the step goes on by itself.',
    ],
  },
  reads: { tenant: [...publishApp.reads.tenant, 'stepModes'], evidence: [] },
});
