import { z } from 'zod';
import { human } from './define';

/** The connector's OAuth hand-shake with Kore.ai: a click in the Marketplace, no API sees it. */
export const authorizeZoomConnector = human({
  id: 'authorize-zoom-connector',
  title: 'Authorize the connector with Kore.ai',
  phase: 'Setup',
  side: 'zoom',
  dependsOn: ['create-zoom-connector'],
  evidence: z.object({}).strict(),
  reads: { tenant: [], evidence: [] },
  instructions: () => [
    'On the connector page in the Zoom App Marketplace, click Next to authorize the connector with the Kore.ai platform, and accept.',
    'Complete this step once the connector shows as authorized.',
  ],
});
