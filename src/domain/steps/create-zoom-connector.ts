import { z } from 'zod';
import { KORE_REGIONS } from '../kore-regions';
import { E164, Fqdn, NonBlank } from '../validation';
import { evidenceOf, koreBaseUrlOf, pending, type InstructionContext } from './context';
import { human } from './define';
import { field } from './field';

/** The Kore.ai Assistant Connector in the Zoom Marketplace: Bot ID and Client ID in, Domain and DID out. */
export const createZoomConnector = human({
  id: 'create-zoom-connector',
  title: 'Create the Kore.ai Assistant Connector in the Zoom Marketplace',
  phase: 'Setup',
  side: 'zoom',
  dependsOn: ['verify-zoom-access', 'verify-kore-access'],
  evidence: z
    .object({
      connectorName: field(NonBlank(120), {
        label: 'Connector name',
        help: 'The Connector Name you gave the Kore.ai Assistant Connector in the Zoom App Marketplace.',
        example: 'Acme voicebot',
        format: 'up to 120 characters',
      }),
      domain: field(Fqdn, {
        label: 'Connector Domain Name',
        help: 'The Domain Name on the connector page; the SIP trunk uses it as its FQDN.',
        example: 'a1b2c3.kore-connector.zoomcc.example.com',
        format: 'a domain name, without https:// or a trailing dot',
      }),
      did: field(E164, {
        label: 'Connector DID Number',
        help: 'The DID Number on the connector page: the number Zoom Contact Center sends calls to.',
        example: '+14155550101',
        format: 'E.164: + then 8-15 digits (spaces, dashes and parentheses are removed for you)',
        phone: true,
      }),
    })
    .strict(),
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.clientId'], evidence: [] },
  instructions: (ctx) => [
    'Sign in to the Zoom App Marketplace as an admin; go to App Types > Connectors (or search "kore.ai") and open the Kore.ai connector.',
    'Click Create Kore.ai Assistant Connector; enter a Connector Name, choose Voicebot as the bot type, click Next.',
    `Select the region ${KORE_REGIONS[ctx.tenant.kore.region].label}; the Base URL must read ${koreBaseUrlOf(ctx)}.`,
    `Authorization Parameters: Bot ID ${ctx.tenant.kore.botId}, Client ID ${ctx.tenant.kore.clientId}, and the Client Secret from AI for Service > Flows & Channels > Digital > Configured Channels > Web/Mobile Client > JWT App Details (never paste it anywhere else). Click Next.`,
    'Copy the Domain Name and the DID Number from the connector page and enter them below, with the connector name.',
  ],
});

/** The connector's Domain and DID as later steps show them (placeholders until this step is done). */
export const connectorDomain = (ctx: InstructionContext): string =>
  evidenceOf(ctx, createZoomConnector)?.domain ?? pending('the connector Domain', createZoomConnector.id);
export const connectorDid = (ctx: InstructionContext): string =>
  evidenceOf(ctx, createZoomConnector)?.did ?? pending('the connector DID', createZoomConnector.id);
