import { z } from 'zod';
import { NonBlank } from '../validation';
import { connectorDid } from './create-zoom-connector';
import { human } from './define';
import { field } from './field';

/** The ZCC entry flow sends calls to the connector; the flow editor has no API, the publish state has. */
export const routeZccFlowToConnector = human({
  id: 'route-zcc-flow-to-connector',
  title: 'Route the ZCC entry flow to the connector and publish it',
  phase: 'Channel integration',
  side: 'zoom',
  dependsOn: ['create-zoom-connector'],
  evidence: z
    .object({
      flowName: field(NonBlank(120), {
        label: 'ZCC entry flow name',
        help: 'The name of the Zoom Contact Center flow you routed to the connector, as the flow list shows it; we find it by API.',
        example: 'Acme main line',
        format: 'up to 120 characters',
      }),
    })
    .strict(),
  verifier: { activity: 'verifyZccFlowPublished' },
  reads: { tenant: ['zoom.accountId', 'zoom.clientId', 'zoom.clientSecret'], evidence: ['create-zoom-connector.did'] },
  instructions: (ctx) => [
    `In Zoom Contact Center, open the entry flow for the number callers dial and route its calls to the Kore.ai assistant connector (DID ${connectorDid(ctx)}).`,
    'Publish the flow, then enter its name below; we check by API that it exists and is published.',
  ],
});

/**
 * Catalogue version 4: routing only (the flow editor has no API); publishing the flow is the next
 * step, publish-zcc-flow, which Zoom's API can do. The verifier finds the flow by name and records
 * its id for that step.
 */
export const routeZccFlowToConnectorV4 = human({
  ...routeZccFlowToConnector,
  title: 'Route the ZCC entry flow to the connector',
  verifier: { activity: 'findZccFlow' },
  instructions: (ctx) => [
    `In Zoom Contact Center, open the entry flow for the number callers dial and route its calls to the Kore.ai assistant connector (DID ${connectorDid(ctx)}); save it.`,
    "Enter the flow's name below; we find it by API. Publishing it is the next step (publish-zcc-flow), done by API when the Zoom app may.",
  ],
});
