import { z } from 'zod';
import { human } from './define';

/** Accepting Kore.ai's LLM & Generative Policy is a person's act: no API accepts a policy on anyone's behalf. */
export const acceptGenAiPolicy = human({
  id: 'accept-genai-policy',
  title: 'Enable XO GPT and accept the LLM & Generative Policy',
  phase: 'Routing',
  side: 'kore',
  dependsOn: ['verify-kore-access'],
  skippable: true,
  evidence: z.object({}).strict(),
  reads: { tenant: [], evidence: [] },
  instructions: () => [
    'Go to Generative AI > Models Library, find Kore.ai XO GPT and click Enable Now.',
    'Read and accept the LLM & Generative Policy guidelines, and Save. Accepting a policy is yours to do: no API does it.',
    'Complete this step once accepted (skip it only if the conversation summary is not wanted).',
  ],
});
