import { z } from 'zod';
import { DurationAtLeast } from './duration';
import { KORE_REGION_IDS } from './kore-regions';
import { issueLines, NamedValues, NonBlank, SIP_HEADER_NAME, SipHeaderName, SipHeaderValue, TransferTarget } from './validation';

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

/**
 * The console steps a vendor API can do when the tenant grants what it needs (issue 15; each step
 * file's `automation` says how). The tenant file may say, per step, how it is done: `auto` (the
 * default when the file gives the credentials) or `human`.
 */
export const AUTOMATABLE_STEPS = ['publish-zcc-flow', 'enable-conversation-summary', 'publish-app'] as const;
export type AutomatableStep = (typeof AUTOMATABLE_STEPS)[number];
export const StepMode = z.enum(['auto', 'human'], { error: 'must be auto or human' });
export type StepMode = z.infer<typeof StepMode>;

/** What each automatable step needs from the tenant file, as the fields a file must give (a scope it cannot show is found at run time). */
export const AUTOMATION_NEEDS: Record<AutomatableStep, readonly ('kore.adminApp' | 'kore.goldenBotId')[]> = {
  'publish-zcc-flow': [],
  'enable-conversation-summary': ['kore.adminApp', 'kore.goldenBotId'],
  'publish-app': ['kore.adminApp'],
};

/** The tenant fields an automatable step still lacks (the file's shape or the public one). */
export function automationMissing(step: AutomatableStep, t: { kore: { adminApp?: unknown; adminAppClientId?: string; goldenBotId?: string } }): string[] {
  return AUTOMATION_NEEDS[step].filter((f) => (f === 'kore.adminApp' ? !(t.kore.adminApp ?? t.kore.adminAppClientId) : !t.kore.goldenBotId));
}

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
        .meta({ propertyNames: { pattern: SIP_HEADER_NAME.source, not: { const: '__proto__' } }, maxProperties: 20 })
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
    /** How each automatable step is done; absent: automatically wherever the file gives what it needs. */
    stepModes: z
      .record(z.string(), StepMode)
      .superRefine((modes, ctx) => {
        // Checked here rather than as the record's key schema, so the message names the step.
        for (const id of Object.keys(modes))
          if (!(AUTOMATABLE_STEPS as readonly string[]).includes(id))
            ctx.addIssue({ code: 'custom', path: [id], message: `is not a step a vendor API can do (those are ${AUTOMATABLE_STEPS.join(', ')})` });
      })
      .meta({ propertyNames: { enum: [...AUTOMATABLE_STEPS] } })
      .optional(),
  });

/** A step asked to be automatic must have what it needs in the same file. */
const automationGiven = (t: z.infer<ReturnType<typeof tenantShape>>, ctx: z.RefinementCtx) => {
  for (const [id, mode] of Object.entries(t.stepModes ?? {})) {
    if (mode !== 'auto' || !(AUTOMATABLE_STEPS as readonly string[]).includes(id)) continue;
    const missing = automationMissing(id as AutomatableStep, t);
    if (missing.length)
      ctx.addIssue({ code: 'custom', path: ['stepModes', id], message: `auto needs ${missing.join(' and ')} in the tenant file (or say human)` });
  }
};

/** `automationGiven` as JSON Schema (the OpenAPI document's): a step set to auto requires the fields it needs. */
const automationRequires = AUTOMATABLE_STEPS.filter((id) => AUTOMATION_NEEDS[id].length).map((id) => ({
  if: { properties: { stepModes: { properties: { [id]: { const: 'auto' } }, required: [id] } }, required: ['stepModes'] },
  then: { properties: { kore: { required: AUTOMATION_NEEDS[id].map((f) => f.slice('kore.'.length)) } } },
}));

/** What a person writes: secrets inline or as references. */
export const TenantFile = tenantShape(SecretInput).strict().superRefine(automationGiven).meta({ allOf: automationRequires });
export type TenantFile = z.infer<typeof TenantFile>;

/** What the workflow receives: every secret is a reference. */
export const TenantInput = tenantShape(SecretRef).superRefine(automationGiven);
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
