import { z } from 'zod';
import { NonBlank, SipUri } from '../validation';
import { associateExperienceFlow, experienceFlowName } from './associate-experience-flow';
import { evidenceOf } from './context';
import { connectorDid, connectorDomain } from './create-zoom-connector';
import { human } from './define';
import { field } from './field';

/** Kore's "Transfer from IVR" trunk: the connector's domain as FQDN, its DID, srv, TLS, Pad Crypto, the flow attached. */
export const configureSipTrunk = human({
  id: 'configure-sip-trunk',
  title: 'Configure the SIP trunk (Transfer from IVR) and attach the flow',
  phase: 'Channel integration',
  side: 'kore',
  dependsOn: ['create-zoom-connector', 'associate-experience-flow'],
  evidence: z
    .object({
      sipUri: field(SipUri, {
        label: 'SIP URI',
        help: 'The SIP URI AI for Service shows on the trunk once you select Contact Center AI.',
        example: 'sip:14155550101@voice.kore.example',
        format: 'sip: or sips:, then an optional user@, a host and an optional :port',
      }),
      attachedFlowName: field(NonBlank(120), {
        label: 'Attached flow name',
        help: 'The Experience Flow you attached with Attach Flow: the flow named in "Attach the app to an Experience Flow".',
        example: 'Acme voice support',
        format: 'up to 120 characters',
        known: { evidence: 'associate-experience-flow.experienceFlowName' },
      }),
    })
    .strict(),
  reads: { tenant: [], evidence: ['create-zoom-connector.domain', 'create-zoom-connector.did', 'associate-experience-flow.experienceFlowName'] },
  instructions: (ctx) => [
    'In AI for Service go to Flows & Channels > Channels > Voice Gateway > SIP Numbers > Configure SIP Trunk, and select Contact Center AI (the SIP URI fills itself).',
    `Fully Qualified Domain Name: ${connectorDomain(ctx)}`,
    `DID Number: ${connectorDid(ctx)}`,
    'DNS Resolve Method: srv; SIP Transport Type: TLS; enable Pad Crypto. Click Next.',
    'Enable Inbound Calls and Outbound Calls, then Save.',
    `Click Attach Flow and attach the flow "${experienceFlowName(ctx)}".`,
    'Enter the SIP URI shown and the attached flow name below.',
  ],
  crossCheck: (e, ctx) => {
    const named = evidenceOf(ctx, associateExperienceFlow)?.experienceFlowName;
    return named !== undefined && e.attachedFlowName !== named
      ? { field: 'attachedFlowName', message: `"${e.attachedFlowName}" is not the flow named in associate-experience-flow ("${named}"); attach that flow` }
      : undefined;
  },
});
