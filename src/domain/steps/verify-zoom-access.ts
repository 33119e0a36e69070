import { auto } from './define';

/** The Zoom Server-to-Server app's token and the Contact Center reads our verifiers need. */
export const verifyZoomAccess = auto({
  id: 'verify-zoom-access',
  title: 'Check the Zoom Server-to-Server app and its scopes',
  phase: 'Setup',
  side: 'zoom',
  dependsOn: [],
  activity: 'checkZoomAccess',
  reads: { tenant: ['zoom.accountId', 'zoom.clientId', 'zoom.clientSecret'], evidence: [] },
  instructions: (ctx) => [
    `Automatic: get a Server-to-Server OAuth token for Zoom account ${ctx.tenant.zoom.accountId} (app ${ctx.tenant.zoom.clientId}) and read Contact Center flows and engagements.`,
  ],
});
