import { z } from 'zod';
import { connectorDid } from './create-zoom-connector';
import { human } from './define';

/** The guide's proof: a call through ZCC that reaches the bot and leaves a Kore.ai session. */
export const placeTestCall = human({
  id: 'place-test-call',
  title: 'Place a test call',
  phase: 'Agent interaction',
  side: 'zoom',
  dependsOn: ['publish-app', 'configure-sip-trunk', 'authorize-zoom-connector', 'route-zcc-flow-to-connector'],
  evidence: z
    .object({
      sessionId: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_-]{6,64}$/, 'is not a Kore.ai session id (from Insights > Identifiers)')
        .optional(),
    })
    .strict(),
  verifier: { activity: 'findTestCallSession' },
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId', 'kore.clientSecret'], evidence: ['create-zoom-connector.did'] },
  instructions: (ctx) => [
    `Call ${connectorDid(ctx)} and talk to the bot; ask for an agent to test the transfer.`,
    'Optionally copy the Session ID from Contact Center AI > Analytics > Contact Center > Interactions > the call > Identifiers.',
    `Complete this step; without a session id we use the newest session of bot ${ctx.tenant.kore.botId} since this step opened.`,
  ],
});
