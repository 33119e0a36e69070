import { auto } from './define';
import { connectorDomain } from './create-zoom-connector';

/**
 * The connector's SIP endpoint, checked before anyone dials: its domain's SRV records, TLS to each
 * target with a certificate that names it, and a SIP OPTIONS answer (issue 16). A fresh failure
 * is asked again while DNS and trunk changes may still be propagating, then needs attention.
 */
export const sipPreflight = auto({
  id: 'sip-preflight',
  title: "Check the connector's SIP endpoint (DNS SRV, TLS certificate, SIP OPTIONS)",
  phase: 'Channel integration',
  side: 'zoom',
  dependsOn: ['create-zoom-connector'],
  activity: 'sipPreflight',
  reads: { tenant: [], evidence: ['create-zoom-connector.domain'] },
  instructions: (ctx) => [
    `Automatic: resolve SRV _sips._tcp.${connectorDomain(ctx)} (else _sip._tls.), open TLS 1.2+ to each target, check its certificate (trusted, names the domain or the target, not expiring within 14 days) and send SIP OPTIONS.`,
    'A failure is checked again while DNS and trunk changes may still be propagating (15 minutes by default), then needs attention with what failed where.',
  ],
});
