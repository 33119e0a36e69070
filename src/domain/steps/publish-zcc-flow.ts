import { z } from 'zod';
import { evidenceOf, pending, type InstructionContext } from './context';
import { human } from './define';
import { routeZccFlowToConnectorV4 } from './route-zcc-flow-to-connector';

const flowName = (ctx: InstructionContext) =>
  evidenceOf(ctx, routeZccFlowToConnectorV4)?.flowName ?? pending('the ZCC flow name', routeZccFlowToConnectorV4.id);

/**
 * The routed ZCC flow goes live: Zoom's `PUT /contact_center/flows/{flowId}/publish` does it when
 * the tenant's S2S app has flow:write (found when it runs: a missing scope hands it to a person).
 */
export const publishZccFlowStep = human({
  id: 'publish-zcc-flow',
  title: 'Publish the ZCC entry flow',
  phase: 'Channel integration',
  side: 'zoom',
  dependsOn: ['route-zcc-flow-to-connector'],
  evidence: z.object({}).strict(),
  verifier: { activity: 'verifyZccFlowPublished' },
  automation: {
    activity: 'publishZccFlow',
    needs: "the Zoom Server-to-Server OAuth app's scope contact_center_flow:write:admin (granular: contact_center:update:flow:admin)",
    // The file cannot show the app's scopes: tried, and a refusal (ScopeMissing) hands the step to a person.
    possible: () => true,
    instructions: (ctx) => [`Automatic: publish ZCC flow "${flowName(ctx)}" through Zoom's API (flow:write), then check by API that it is published.`],
  },
  reads: { tenant: ['zoom.accountId', 'zoom.clientId', 'zoom.clientSecret', 'stepModes'], evidence: ['route-zcc-flow-to-connector.flowName'] },
  instructions: (ctx) => [
    `In Zoom Contact Center's flow editor, publish the flow "${flowName(ctx)}" with its route to the Kore.ai assistant connector.`,
    'Complete this step; we check by API that the flow is published.',
  ],
});
