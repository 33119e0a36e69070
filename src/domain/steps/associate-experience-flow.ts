import { z } from 'zod';
import { NonBlank } from '../validation';
import { evidenceOf, pending, type InstructionContext } from './context';
import { human } from './define';
import { field } from './field';

/** The guide's first console step: the app answers calls through an Experience Flow. */
export const associateExperienceFlow = human({
  id: 'associate-experience-flow',
  title: 'Attach the app to an Experience Flow',
  phase: 'Setup',
  side: 'kore',
  dependsOn: ['verify-kore-access'],
  evidence: z
    .object({
      experienceFlowName: field(NonBlank(120), {
        label: 'Experience Flow name',
        help: 'The name of the Experience Flow you attached the app to, as Flows & Channels > Experience Flows lists it.',
        example: 'Acme voice support',
        format: 'up to 120 characters',
      }),
    })
    .strict(),
  reads: { tenant: ['kore.smartAssistLegacy', 'kore.botId'], evidence: [] },
  instructions: (ctx) =>
    ctx.tenant.kore.smartAssistLegacy
      ? [
          'In SmartAssist (legacy), open Flows and create or open the flow that should answer calls from Zoom Contact Center.',
          `Add an Automation node and attach the app with bot ${ctx.tenant.kore.botId} (see the SmartAssist flow creation guide).`,
          'Save the flow and enter its name below.',
        ]
      : [
          'In AI for Service, open Flows & Channels > Experience Flows and create or open the flow that answers calls from Zoom Contact Center.',
          `Add an Automation node and attach the app with bot ${ctx.tenant.kore.botId}, to run when ZCC transfers a call to Kore.ai.`,
          'Save the flow and enter its name below (the SIP trunk step attaches it).',
        ],
});

/** The flow's name as later steps show it (a placeholder until this step is done). */
export const experienceFlowName = (ctx: InstructionContext): string =>
  evidenceOf(ctx, associateExperienceFlow)?.experienceFlowName ?? pending('the Experience Flow name', associateExperienceFlow.id);
