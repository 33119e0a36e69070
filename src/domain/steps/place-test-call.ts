import { z } from 'zod';
import { evidenceOf, pending } from './context';
import { human } from './define';
import { field } from './field';
import { routeZccFlowToConnector } from './route-zcc-flow-to-connector';

/** The guide's proof: a call through ZCC that reaches the bot and leaves a Kore.ai session. */
export const placeTestCall = human({
  id: 'place-test-call',
  title: 'Place a test call',
  phase: 'Agent interaction',
  side: 'zoom',
  // Its verifier reads with Chat History and Bot Sessions: it opens once verify-chat-history-access has confirmed them.
  dependsOn: ['publish-app', 'configure-sip-trunk', 'authorize-zoom-connector', 'route-zcc-flow-to-connector', 'verify-chat-history-access'],
  evidence: z
    .object({
      sessionId: field(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_-]{6,64}$/, 'is not a Kore.ai session id (from Insights > Identifiers)')
          .optional(),
        {
          label: 'Session ID',
          help: "The test call's Session ID from Contact Center AI > Analytics > Contact Center > Interactions > the call > Identifiers; without it we use the bot's newest session since this step opened.",
          example: '65f1c2d3e4a5b6c7d8e9f0a1',
          format: '6-64 letters, digits, - or _',
        },
      ),
    })
    .strict(),
  verifier: { activity: 'findTestCallSession' },
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId', 'kore.clientSecret'], evidence: ['route-zcc-flow-to-connector.flowName'] },
  instructions: (ctx) => [
    `Call a number that Zoom Contact Center routes to the flow "${evidenceOf(ctx, routeZccFlowToConnector)?.flowName ?? pending('the ZCC flow name', routeZccFlowToConnector.id)}" and talk to the bot; ask for an agent to test the transfer, and hang up once the agent answers.`,
    'Optionally copy the Session ID from Contact Center AI > Analytics > Contact Center > Interactions > the call > Identifiers.',
    `Complete this step; without a session id we use the newest session of bot ${ctx.tenant.kore.botId} since this step opened.`,
  ],
});

/** Catalogue version 4: the call also waits for the ZCC flow's publish, now a step of its own, and the connector's SIP preflight. */
export const placeTestCallV4 = human({
  ...placeTestCall,
  dependsOn: [...placeTestCall.dependsOn, 'publish-zcc-flow', 'sip-preflight'],
});

/** Catalogue versions 1 and 2: the test call opened right after the publish (in version 1 the scopes were checked before it). */
export const placeTestCallV2 = human({
  ...placeTestCall,
  dependsOn: ['publish-app', 'configure-sip-trunk', 'authorize-zoom-connector', 'route-zcc-flow-to-connector'],
});
