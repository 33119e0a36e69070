// A console step's evidence form, generated from the step's evidence schema (GET /api/v1/steps):
// labels, help, examples and formats come from the step files; what a person types is kept as a
// draft, so no update of the page loses it.
import { api, ApiError, notice, token } from './api.js';
import { h, type Json } from './dom.js';

let catalogue: { token: string; schemas: Promise<Map<string, Json>> } | undefined;

/** Each console step's evidence as a JSON Schema, by step id: asked once per token (the step files do not change under a running server). */
export function evidenceSchemas(): Promise<Map<string, Json>> {
  if (catalogue?.token !== token()) {
    const asked = { token: token(), schemas: Promise.resolve(new Map<string, Json>()) };
    asked.schemas = api('GET', '/api/v1/steps')
      .then((c) => new Map<string, Json>((c.steps as Json[]).filter((s) => s.evidence).map((s) => [s.id as string, s.evidence as Json])))
      .catch(() => {
        // Asked again next time: the form falls back to the field names meanwhile.
        if (catalogue === asked) catalogue = undefined;
        return new Map<string, Json>();
      });
    catalogue = asked;
  }
  return catalogue.schemas;
}

/** What people typed and have not handed in yet, by tenant and step, then field. */
const drafts = new Map<string, Map<string, string>>();

/** A phone number as the schema wants it: spaces, dashes, dots and parentheses dropped. */
export const normalisePhone = (v: string) => v.replace(/[\s\-().\u00a0]/g, '');

/** What the run already knows for a field (`x-known` of its schema): a tenant field, or an earlier step's evidence. */
function knownValue(known: Json | undefined, progress: Json): string | undefined {
  if (!known) return undefined;
  let v: unknown;
  if (typeof known.tenant === 'string') v = known.tenant.split('.').reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), progress.tenant);
  else if (typeof known.evidence === 'string') {
    const [stepId, f] = [known.evidence.slice(0, known.evidence.indexOf('.')), known.evidence.slice(known.evidence.indexOf('.') + 1)];
    v = (progress.steps as Json[]).find((s) => s.id === stepId)?.evidence?.[f];
  }
  return typeof v === 'string' ? v : undefined;
}

/**
 * Focuses the first error a refusal showed: the input of the first field error that has text (in
 * the form's order), else the form's general message.
 */
export function focusFirstError(form: HTMLElement, general: HTMLElement): void {
  for (const slot of form.querySelectorAll<HTMLElement>('.field-error')) {
    if (!slot.textContent) continue;
    const input = form.querySelector<HTMLElement>(`[aria-describedby~="${slot.id}"]`);
    if (input) return input.focus();
  }
  if (general.textContent) {
    general.tabIndex = -1;
    general.focus();
  }
}

/** What completing a step led to, said after the action. */
function outcome(step: Json): string {
  if (step.state === 'done') return `${step.title}: done.`;
  if (step.state === 'verifying') return `${step.title}: handed in; we are checking it by API.`;
  if (step.lastError) return `${step.title}: handed in, but the check did not hold: ${step.lastError}`;
  return `${step.title}: handed in (${step.state}).`;
}

export interface FormContext {
  tenantId: string;
  /** The run as last drawn: known values come from it. */
  progress: Json;
  /** The step's evidence schema (undefined: the catalogue could not be read; the field names are shown). */
  schema: Json | undefined;
  /** After an accepted completion: says what happened and draws the progress it answered. */
  done: (said: string, progress: Json) => Promise<void>;
}

interface Field {
  name: string;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
  phone: boolean;
}

/** The control for one field: a select for an enum (with words for its values), a text input otherwise. */
function control(id: string, prop: Json, value: string, required: boolean): HTMLInputElement | HTMLSelectElement {
  const common = { id, 'aria-describedby': `${id}-help ${id}-error`, ...(required ? { 'aria-required': 'true' } : {}) };
  if (Array.isArray(prop.enum)) {
    const words = (prop['x-options'] ?? {}) as Json;
    const select = h(
      'select',
      common,
      h('option', { value: '' }, 'Choose one'),
      ...(prop.enum as string[]).map((v) => h('option', { value: v }, words[v] ? `${words[v]} (${v})` : v)),
    ) as HTMLSelectElement;
    select.value = value;
    return select;
  }
  const input = h('input', {
    ...common,
    autocomplete: 'off',
    spellcheck: 'false',
    ...(prop['x-normalise'] === 'phone' ? { inputmode: 'tel' } : {}),
  }) as HTMLInputElement;
  input.value = value;
  return input;
}

/** The help under a label: what the field is, its format and an example. */
function helpText(prop: Json): string {
  const example = Array.isArray(prop.examples) && prop.examples.length ? ` Example: ${prop.examples[0]}` : '';
  return [prop.description ?? '', prop['x-format'] ? `Format: ${prop['x-format']}.` : '', example.trim()].filter(Boolean).join(' ');
}

export function evidenceForm(step: Json, c: FormContext): HTMLFormElement {
  const key = `${c.tenantId}/${step.id}`;
  const draft = drafts.get(key) ?? new Map<string, string>();
  drafts.set(key, draft);
  const names = step.evidenceFields as string[];
  const required = new Set<string>((c.schema?.required as string[] | undefined) ?? (c.schema ? [] : names));
  const general = h('div', { role: 'alert', class: 'form-general' });
  // A claim the check refused stays in its fields (not shown as recorded evidence), to be corrected.
  const refused = step.lastError && step.evidence ? (step.evidence as Json) : {};
  const fields: Field[] = names.map((name) => {
    const prop = ((c.schema?.properties as Json | undefined)?.[name] ?? {}) as Json;
    const id = `${step.id}-${name}`;
    const value = draft.get(name) ?? (typeof refused[name] === 'string' ? refused[name] : undefined) ?? knownValue(prop['x-known'], c.progress) ?? '';
    const input = control(id, prop, value, required.has(name));
    input.name = name;
    input.addEventListener('input', () => draft.set(name, input.value));
    input.addEventListener('change', () => draft.set(name, input.value));
    return { name, input, error: h('span', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }), phone: prop['x-normalise'] === 'phone' };
  });
  let busy = false;
  const form = h('form', {
    class: 'evidence-form',
    id: `form-${step.id}`,
    'aria-label': `Complete ${step.title}`,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      // A second Enter while the first is on its way is not a second completion.
      if (busy) return;
      busy = true;
      general.replaceChildren();
      const evidence: Json = {};
      for (const f of fields) {
        f.error.replaceChildren();
        f.input.removeAttribute('aria-invalid');
        if (f.phone && f.input.value !== normalisePhone(f.input.value)) draft.set(f.name, (f.input.value = normalisePhone(f.input.value)));
        if (f.input.value !== '') evidence[f.name] = f.input.value;
      }
      try {
        const r = await api('POST', `/api/v1/onboardings/${c.tenantId}/steps/${step.id}/complete`, { evidence });
        drafts.delete(key);
        await c.done(outcome(r.step), r.progress);
      } catch (err) {
        // Every field error at once, each beside its field; the values stay as typed.
        const errors = (err instanceof ApiError ? (err.body.errors ?? []) : []) as Json[];
        const unplaced = errors.filter((fe) => {
          const f = fields.find((x) => x.name === String(fe.field).replace(/^(body\.)?evidence\./, ''));
          if (!f) return true;
          f.error.textContent = f.error.textContent ? `${f.error.textContent}; ${fe.message}` : fe.message;
          f.input.setAttribute('aria-invalid', 'true');
          return false;
        });
        if (unplaced.length || !errors.length) general.replaceChildren(notice(err));
        focusFirstError(form, general);
      } finally {
        busy = false;
      }
    },
  }) as HTMLFormElement;
  for (const f of fields) {
    const prop = ((c.schema?.properties as Json | undefined)?.[f.name] ?? {}) as Json;
    const optional = c.schema && !required.has(f.name) ? ' (optional)' : '';
    form.append(
      h(
        'div',
        { class: 'field' },
        h('label', { for: f.input.id }, `${prop.title ?? f.name}${optional}`),
        h('p', { class: 'help', id: `${f.input.id}-help` }, helpText(prop)),
        f.input,
        f.error,
      ),
    );
  }
  form.append(h('div', {}, h('button', { type: 'submit' }, names.length ? 'Submit evidence' : 'Mark done')), general);
  return form;
}
