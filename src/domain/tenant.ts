import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import { DurationAtLeast } from './duration';
import { KORE_REGION_IDS, KORE_REGIONS } from './kore-regions';
import { issueLines, NamedValues, NonBlank, SIP_HEADER_NAME, SipHeaderName, SipHeaderValue, TransferTarget } from './validation';

/**
 * A tenant's onboarding input (`examples/tenant.example.json`). Secrets may be inline or a
 * reference; the starter moves inline ones into the secret store (`store:TENANT/FIELD.START`, a
 * file per field and start) before the workflow starts, so workflow history only ever holds
 * references. `env:NAME` and `file:PATH` are the operator's references, allowed only inside the
 * configured allow-lists (src/secret-store.ts says who may give which, and how the worker checks).
 */
export const SECRET_REF = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+|store:[a-z0-9-]+\/[A-Za-z0-9._-]+)$/;

export const SecretInput = lazySchema(() => z.string().min(1, 'is required').max(4096, 'is longer than 4096 characters'));
export const SecretRef = lazySchema(() => z.string().regex(SECRET_REF, 'must be a secret reference (env:NAME, file:PATH or store:...)'));

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
export const StepMode = lazySchema(() => z.enum(['auto', 'human'], { error: 'must be auto or human' }));
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

/**
 * Labels and help for people, kept on the schema itself (zod `.meta`): the OpenAPI document carries
 * them as `title` and `description`, and the dashboard's start form is drawn from that document.
 * `writeOnly` marks a secret (a password field there); `x-enumLabels` names an enum's values.
 */
const about = (title: string, description: string, { examples, ...more }: { examples?: string[] } & Record<string, unknown> = {}) => ({
  title,
  // Examples are said in words, not as JSON Schema `examples`: a fuzzer (schemathesis) sends those as
  // they are, and every request of its run would then act on one real tenant id.
  description: examples ? `${description} For example ${examples.join(' or ')}.` : description,
  ...more,
});
const secretAbout = (title: string, description: string) => about(title, description, { writeOnly: true });

const tenantShape = <S extends z.ZodTypeAny>(secret: S) =>
  z.object({
    tenantId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be a lowercase slug of 3-40 letters, digits and dashes (e.g. acme-corp)')
      .meta(
        about('Tenant ID', 'Our short name for this customer: 3-40 lower-case letters, digits and dashes. It names the run and cannot change.', {
          examples: ['acme-corp'],
        }),
      ),
    displayName: NonBlank(120).meta(about('Display name', 'The customer as people should see it in lists and messages.', { examples: ['Acme Corp'] })),
    kore: z
      .object({
        region: z.enum(KORE_REGION_IDS, { error: `must be one of ${KORE_REGION_IDS.join(', ')}` }).meta(
          about('Kore.ai region', "Where the customer's Kore.ai account lives: the host its people sign in to.", {
            'x-enumLabels': Object.fromEntries(KORE_REGION_IDS.map((id) => [id, KORE_REGIONS[id].label])),
          }),
        ),
        botId: z
          .string()
          .regex(/^st-[A-Za-z0-9-]{1,80}$/, 'must be a Kore.ai Bot ID (st-...)')
          .meta(
            about(
              'Bot ID',
              "The AI for Service app's Bot ID, starting st- (Flows & Channels > Digital > Configured Channels > Web/Mobile Client > JWT App Details).",
              {
                examples: ['st-1a2b3c4d-0000-1111-2222-333344445555'],
              },
            ),
          ),
        clientId: z
          .string()
          .regex(/^cs-[A-Za-z0-9-]{1,80}$/, 'must be a JWT app Client ID (cs-...)')
          .meta(
            about('Client ID', "The JWT app's Client ID, starting cs-, from the same JWT App Details.", {
              examples: ['cs-1a2b3c4d-0000-1111-2222-333344445555'],
            }),
          ),
        clientSecret: secret.meta(secretAbout('Client secret', 'The Client Secret from the same JWT App Details.')),
        smartAssistLegacy: z
          .boolean()
          .default(false)
          .meta(
            about(
              'SmartAssist (legacy)',
              'Tick when the customer runs the legacy SmartAssist product rather than AI for Service: the flow steps read differently.',
            ),
          ),
        /** Optional Admin Console app: lets us check the publish by API. */
        adminApp: z
          .object({
            clientId: z
              .string()
              .regex(/^cs-[A-Za-z0-9-]{1,80}$/, 'must be a Client ID (cs-...)')
              .meta(about('Admin app Client ID', "The Admin Console app's Client ID, starting cs-.")),
            clientSecret: secret.meta(secretAbout('Admin app client secret', "The Admin Console app's Client Secret.")),
          })
          .optional()
          .meta(
            about('Kore.ai Admin Console app', 'With it, publishing the app and importing GenAI settings are checked or done by API instead of by a person.'),
          ),
        /**
         * Optional "golden" bot of the same account whose GenAI and LLM settings (XO GPT, Conversation
         * Summary) are imported into this bot with the Admin Console app (issue 15).
         */
        goldenBotId: z
          .string()
          .regex(/^st-[A-Za-z0-9-]{1,80}$/, 'must be the Bot ID (st-...) of a Kore.ai bot on the same account whose GenAI settings this bot should copy')
          .optional()
          .meta(
            about(
              'Golden bot ID',
              'A bot on the same account whose GenAI settings (XO GPT, Conversation Summary) this bot copies; needs the Admin Console app.',
            ),
          ),
      })
      .meta(about('Kore.ai', "The customer's Kore.ai AI for Service app and the credentials we call it with.")),
    zoom: z
      .object({
        accountId: NonBlank(64).meta(about('Zoom account ID', "The Account ID of the customer's Zoom Server-to-Server OAuth app.")),
        clientId: NonBlank(64).meta(about('Zoom client ID', "That Server-to-Server OAuth app's Client ID.")),
        clientSecret: secret.meta(secretAbout('Zoom client secret', "That Server-to-Server OAuth app's Client Secret.")),
      })
      .meta(about('Zoom Contact Center', "The customer's Zoom Server-to-Server OAuth app, which reads and changes Contact Center flows.")),
    agentTransfer: z
      .object({
        option: z.enum(['agent-transfer-node', 'dialog-task'], { error: 'must be agent-transfer-node or dialog-task' }).meta(
          about('How calls go to an agent', 'Option A: the Agent Transfer node of the flow; option B: a Dialog Task that transfers.', {
            'x-enumLabels': { 'agent-transfer-node': 'Option A: Agent Transfer node', 'dialog-task': 'Option B: Dialog Task' },
          }),
        ),
        target: TransferTarget.meta(
          about('Transfer target', 'Where a transferred call goes: an E.164 number (+ and 8-15 digits, no spaces) or a sip: / sips: URI.', {
            examples: ['+14155550123', 'sip:queue@pbx.example.com'],
          }),
        ),
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
          .default({})
          .meta(about('SIP headers', 'Headers added to a transferred call, at most 20 (e.g. X-Acme-Queue: voice-support).')),
      })
      .meta(about('Agent transfer', 'How a call the bot cannot finish reaches a person.')),
    contacts: z
      .object({
        owner: z
          .email({ pattern: EMAIL, error: 'must be an email address' })
          .meta(about('Owner e-mail', 'Who answers for this onboarding: reminders and escalations name them.', { examples: ['onboarding@acme.example'] })),
        notifyWebhookUrl: z
          .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
          .optional()
          .meta(about('Reminder webhook', 'Receives a POST for each reminder and escalation.')),
      })
      .meta(about('Contacts', 'Who is told when a step waits on people.')),
    // Each reminder is a timer and an activity in the run's history and a post to the owner's
    // webhook: one a second grew a history by some 26 events a second (Temporal's 51,200-event limit
    // in about half an hour). Tests that want reminders soon skip time (test/workflow/reminders.test.ts).
    reminders: z
      .object({
        firstAfter: DurationAtLeast(REMINDER_FLOOR, "reminders sooner flood the owner and grow the run's history")
          .default('4h')
          .meta(about('First reminder after', `How long a step waits before its first reminder, e.g. 4h or 1d (at least ${REMINDER_FLOOR}).`)),
        every: DurationAtLeast(REMINDER_FLOOR, "reminders more often flood the owner and grow the run's history")
          .default('1d')
          .meta(about('Then every', `How often after that, e.g. 1d (at least ${REMINDER_FLOOR}).`)),
        escalateAfter: DurationAtLeast(REMINDER_FLOOR, 'an escalation sooner leaves the person no time to act')
          .default('2d')
          .meta(about('Escalate after', `How long before a waiting step is escalated, e.g. 2d (at least ${REMINDER_FLOOR}).`)),
      })
      .default({ firstAfter: '4h', every: '1d', escalateAfter: '2d' })
      .meta(about('Reminders', 'When people are reminded of a waiting step; the defaults suit most teams.')),
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
      .optional()
      .meta(
        about(
          'Step modes',
          `Per step a vendor API can do (${AUTOMATABLE_STEPS.join(', ')}): auto or human. Absent: auto wherever the file gives what the step needs.`,
        ),
      ),
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
export const TenantFile = lazySchema(() => tenantShape(SecretInput).strict().superRefine(automationGiven).meta({ allOf: automationRequires }));
export type TenantFile = z.infer<typeof TenantFile>;

/** What the workflow receives: every secret is a reference. */
export const TenantInput = lazySchema(() => tenantShape(SecretRef).superRefine(automationGiven));
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
