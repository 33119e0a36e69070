import { z } from 'zod';
import { NonBlank } from '../validation';
import { human } from './define';

/** XO GPT's conversation summary, which the last step fetches for the test call. */
export const enableConversationSummary = human({
  id: 'enable-conversation-summary',
  title: 'Enable XO GPT and the Conversation Summary feature',
  phase: 'Routing',
  side: 'kore',
  dependsOn: ['verify-kore-access'],
  skippable: true,
  evidence: z.object({ model: NonBlank(120) }).strict(),
  reads: { tenant: [], evidence: [] },
  instructions: () => [
    'Go to Generative AI > Models Library, find Kore.ai XO GPT and click Enable Now.',
    'Select a model, select a fine-tuned model for Summarizing Conversation, read and accept the LLM & Generative Policy guidelines, and Save.',
    'Go to Generative AI > GenAI Features and turn on Conversation Summary with that model.',
    'Enter the model you selected below.',
  ],
});
