import { z } from 'zod';
import { DurationAtLeast } from './duration';
import { KORE_REGION_IDS } from './kore-regions';
import { issueLines, NamedValues, NonBlank, SipHeaderName, SipHeaderValue, TransferTarget } from './validation';

/**
 * A tenant's onboarding input (`examples/tenant.example.json`). Secrets may be inline or a
 * reference; the starter moves inline ones into the secret store (`store:TENANT/FIELD.START`, a
 * file per field and start) before the workflow starts, so workflow history only ever holds
 * references. `env:NAME` and `file:PATH` are the operator's references, allowed only inside the
 * configured allow-lists (src/secret-store.ts says who may give which, and how the worker checks).
 */
export const SECRET_REF = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+|store:[a-z0-9-]+\/[A-Za-z0-9._-]+)$/;

export const SecretInput = z.string().min(1, 'is required').max(4096, 'is longer than 4096 characters');
export const SecretRef = z.string().regex(SECRET_REF, 'must be a secret reference (env:NAME, file:PATH or store:...)');

/**
 * zod's own email pattern, as a regex of this module: the workflow sandbox freezes zod (a shared
 * module) and every regex check resets the pattern's lastIndex, so the amendTenant validator could
 * not run zod's frozen one.
 */
const EMAIL = new RegExp(z.regexes.email);

/** The shortest `reminders.firstAfter`, `every` and `escalateAfter` a tenant may ask for. */
export const REMINDER_FLOOR = '5m';

const tenantShape = <S extends z.ZodTypeAny>(secret: S) =>
  z.object({
    tenantId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be a lowercase slug of 3-40 letters, digits and dashes (e.g. acme-corp)'),
    displayName: NonBlank(120),
    kore: z.object({
      region: z.enum(KORE_REGION_IDS, { error: `must be one of ${KORE_REGION_IDS.join(', ')}` }),
      botId: z.string().regex(/^st-[A-Za-z0-9-]{1,80}$/, 'must be a Kore.ai Bot ID (st-...)'),
      clientId: z.string().regex(/^cs-[A-Za-z0-9-]{1,80}$/, 'must be a JWT app Client ID (cs-...)'),
      clientSecret: secret,
      smartAssistLegacy: z.boolean().default(false),
      /** Optional Admin Console app: lets us check the publish by API. */
      adminApp: z.object({ clientId: z.string().regex(/^cs-[A-Za-z0-9-]{1,80}$/, 'must be a Client ID (cs-...)'), clientSecret: secret }).optional(),
      /**
       * Optional "golden" bot of the same account whose GenAI and LLM settings (XO GPT, Conversation
       * Summary) are imported into this bot with the Admin Console app (issue 15).
       */
      goldenBotId: z
        .string()
        .regex(/^st-[A-Za-z0-9-]{1,80}$/, 'must be the Bot ID (st-...) of a Kore.ai bot on the same account whose GenAI settings this bot should copy')
        .optional(),
    }),
    zoom: z.object({
      accountId: NonBlank(64),
      clientId: NonBlank(64),
      clientSecret: secret,
    }),
    agentTransfer: z.object({
      option: z.enum(['agent-transfer-node', 'dialog-task'], { error: 'must be agent-transfer-node or dialog-task' }),
      target: TransferTarget,
      sipHeaders: NamedValues(SipHeaderValue, 'is not a usable SIP header name')
        .superRefine((headers, ctx) => {
          // Checked here rather than as the record's key schema, so the message names the header.
          for (const name of Object.keys(headers)) {
            const r = SipHeaderName.safeParse(name);
            if (!r.success) ctx.addIssue({ code: 'custom', path: [name], message: r.error.issues[0]!.message });
          }
          if (Object.keys(headers).length > 20) ctx.addIssue({ code: 'custom', message: 'at most 20 headers' });
        })
        .default({}),
    }),
    contacts: z.object({
      owner: z.email({ pattern: EMAIL, error: 'must be an email address' }),
      notifyWebhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    }),
    // Each reminder is a timer and an activity in the run's history and a post to the owner's
    // webhook: one a second grew a history by some 26 events a second (Temporal's 51,200-event limit
    // in about half an hour). Tests that want reminders soon skip time (test/workflow/reminders.test.ts).
    reminders: z
      .object({
        firstAfter: DurationAtLeast(REMINDER_FLOOR, "reminders sooner flood the owner and grow the run's history").default('4h'),
        every: DurationAtLeast(REMINDER_FLOOR, "reminders more often flood the owner and grow the run's history").default('1d'),
        escalateAfter: DurationAtLeast(REMINDER_FLOOR, 'an escalation sooner leaves the person no time to act').default('2d'),
      })
      .default({ firstAfter: '4h', every: '1d', escalateAfter: '2d' }),
  });

/** What a person writes: secrets inline or as references. */
export const TenantFile = tenantShape(SecretInput).strict();
export type TenantFile = z.infer<typeof TenantFile>;

/** What the workflow receives: every secret is a reference. */
export const TenantInput = tenantShape(SecretRef);
export type TenantInput = z.infer<typeof TenantInput>;

/** The tenant without any secret: what instructions, progress and logs may show. */
export type PublicTenant = Omit<TenantInput, 'kore' | 'zoom'> & {
  kore: Omit<TenantInput['kore'], 'clientSecret' | 'adminApp'> & { adminAppClientId?: string };
  zoom: Omit<TenantInput['zoom'], 'clientSecret'>;
};

/** The tenant without its secrets, from the file (secrets inline) or the run's input (references). */
export function publicTenant(t: TenantInput | TenantFile): PublicTenant {
  const { clientSecret: _k, adminApp, ...kore } = t.kore;
  const { clientSecret: _z, ...zoom } = t.zoom;
  return { ...t, kore: { ...kore, adminAppClientId: adminApp?.clientId }, zoom };
}

export const workflowIdFor = (tenantId: string) => `onboarding-${tenantId}`;

/** Every wrong field of a tenant document, one `path: message` line each. */
export class TenantInvalid extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('; '));
    this.name = 'TenantInvalid';
  }
}

export function parseTenantFile(raw: unknown): TenantFile {
  const r = TenantFile.safeParse(raw);
  if (r.success) return r.data;
  throw new TenantInvalid(issueLines(r.error));
}
