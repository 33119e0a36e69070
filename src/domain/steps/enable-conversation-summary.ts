import { z } from 'zod';
import { NonBlank } from '../validation';
import { automationMissing } from '../tenant';
import { human } from './define';
import { field } from './field';

/** XO GPT's conversation summary, which the last step fetches for the test call. */
export const enableConversationSummary = human({
  id: 'enable-conversation-summary',
  title: 'Enable XO GPT and the Conversation Summary feature',
  phase: 'Routing',
  side: 'kore',
  dependsOn: ['verify-kore-access'],
  skippable: true,
  evidence: z
    .object({
      model: field(NonBlank(120), {
        label: 'Summarization model',
        help: 'The fine-tuned model you selected for Summarizing Conversation in Generative AI > Models Library.',
        example: 'Kore.ai XO GPT - Summarization',
        format: 'up to 120 characters',
      }),
    })
    .strict(),
  reads: { tenant: [], evidence: [] },
  instructions: () => [
    'Go to Generative AI > Models Library, find Kore.ai XO GPT and click Enable Now.',
    'Select a model, select a fine-tuned model for Summarizing Conversation, read and accept the LLM & Generative Policy guidelines, and Save.',
    'Go to Generative AI > GenAI Features and turn on Conversation Summary with that model.',
    'Enter the model you selected below.',
  ],
});

/**
 * Catalogue version 4: after the policy step (a person's act), the settings are copied from the
 * tenant's golden bot by Kore.ai's import API when the file gives an Admin Console app and the
 * golden bot; the import activity checks the target's export carries them, and the test call's
 * summary proves it.
 */
export const enableConversationSummaryV4 = human({
  ...enableConversationSummary,
  title: 'Turn on XO GPT Conversation Summary',
  dependsOn: ['verify-kore-access', 'accept-genai-policy'],
  automation: {
    activity: 'importGenAiSettings',
    needs: 'an Admin Console app (kore.adminApp, with Bot Export and Bot Import) and a golden bot (kore.goldenBotId) whose GenAI settings to copy',
    possible: (t) => automationMissing('enable-conversation-summary', t).length === 0,
    instructions: (ctx) => [
      `Automatic: export bot ${ctx.tenant.kore.botId} as a backup, then import only the GenAI and LLM settings of golden bot ${ctx.tenant.kore.goldenBotId ?? '?'} into it with the Admin Console app ${ctx.tenant.kore.adminAppClientId ?? '?'}, and check its export carries them.`,
    ],
  },
  reads: { tenant: ['kore.region', 'kore.botId', 'kore.goldenBotId', 'kore.adminApp.clientId', 'kore.adminApp.clientSecret', 'stepModes'], evidence: [] },
  instructions: () => [
    'Go to Generative AI > Models Library > Kore.ai XO GPT; select a model and a fine-tuned model for Summarizing Conversation, and Save.',
    'Go to Generative AI > GenAI Features and turn on Conversation Summary with that model.',
    'Enter the model you selected below.',
  ],
});
