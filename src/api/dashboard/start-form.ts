// The start page (#/start): the tenant schema (POST /api/v1/onboardings' body, read from
// /openapi.json) drawn as a form, and the same tenant as JSON under "Advanced". Engineers only.
import { api, ApiError, mayAct, me, notice, placeErrors } from './api.js';
import { h, main, type Json } from './dom.js';
import { schemaForm, type SchemaForm } from './schema-form.js';

const START_PATH = '/api/v1/onboardings';

/** The list's way in: a link to the start page, shown to those who may start. */
export function startLink(): HTMLElement {
  const p = h('p', { class: 'start-link', hidden: true }, h('a', { href: '#/start', class: 'button' }, 'Start an onboarding'));
  void me()
    .then((who) => (p.hidden = !mayAct(who)))
    .catch(() => undefined);
  return p;
}

/** The tenant body's schema, as the API documents (and validates) it. */
async function tenantSchema(): Promise<Json> {
  const res = await fetch('/openapi.json');
  if (!res.ok) throw new Error(`the API description could not be read (HTTP ${res.status})`);
  const doc = await res.json();
  const schema = doc.paths?.[START_PATH]?.post?.requestBody?.content?.['application/json']?.schema;
  if (!schema?.properties) throw new Error('the API description has no tenant schema');
  return schema;
}

export async function renderStart(): Promise<void> {
  const back = h('p', {}, h('a', { href: '#/' }, '< All onboardings'));
  const title = h('h2', { id: 'start-title' }, 'Start an onboarding');
  main.replaceChildren(back, title, h('p', { role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading the form...'));
  let schema: Json;
  try {
    const who = await me();
    if (!mayAct(who)) {
      main.replaceChildren(
        back,
        title,
        h('div', { class: 'notice', role: 'alert' }, `Only engineers and admins start onboardings; ${who.name} is a ${who.role}.`),
      );
      return;
    }
    schema = await tenantSchema();
  } catch (err) {
    main.replaceChildren(back, title, notice(err));
    return;
  }
  const form = schemaForm(schema, 'start');
  main.replaceChildren(back, title, formSection(form), jsonSection(form));
}

/** Marks each field whose error slot now says something, and focuses the first of them. */
function markInvalid(root: HTMLElement): void {
  let first: HTMLElement | undefined;
  for (const slot of root.querySelectorAll<HTMLElement>('.field-error')) {
    if (!slot.textContent) continue;
    const input = root.querySelector<HTMLElement>(`[aria-describedby~="${slot.id}"]`);
    input?.setAttribute('aria-invalid', 'true');
    first ??= input ?? undefined;
  }
  first?.focus();
}

async function start(tenant: unknown): Promise<void> {
  const r = await api('POST', START_PATH, tenant);
  location.hash = `#/t/${r.tenantId}`;
}

function formSection(form: SchemaForm): HTMLElement {
  const general = h('div', { role: 'alert' });
  const said = h('p', { role: 'status', 'aria-live': 'polite', class: 'said' });
  const submit = h('button', { type: 'submit' }, 'Start onboarding') as HTMLButtonElement;
  const el = h(
    'form',
    {
      class: 'start-form',
      novalidate: true,
      'aria-labelledby': 'start-title',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        general.replaceChildren();
        said.textContent = '';
        form.clearErrors();
        submit.disabled = true;
        try {
          await start(form.value());
        } catch (err) {
          // Every field's error at once, beside it; the values stay as typed.
          placeErrors(err, form.slot, general);
          const count = err instanceof ApiError ? (err.body.errors?.length ?? 0) : 0;
          if (count) said.textContent = `Not started: ${count} field${count > 1 ? 's need' : ' needs'} a change.`;
          markInvalid(el);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('p', { class: 'meta' }, "Fields marked (optional) may be left empty. Secrets go to the server's secret store and are never shown again."),
    form.el,
    h('div', { class: 'actions' }, submit),
    said,
    general,
  );
  return el;
}

/** The same tenant as JSON (what `onboard start` reads), with the example file to begin from. */
function jsonSection(form: SchemaForm): HTMLElement {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const area = h('textarea', { id: 'tenant-json', name: 'tenant', spellcheck: 'false', 'aria-describedby': 'tenant-json-help' }) as HTMLTextAreaElement;
  const loadExample = async () => {
    status.replaceChildren();
    try {
      const res = await fetch('/tenant.example.json');
      if (!res.ok) throw new Error(`the example could not be read (HTTP ${res.status})`);
      const example = await res.json();
      area.value = JSON.stringify(example, null, 2);
      // The form gets it too: most people change a few fields of the example.
      form.fill(example);
      status.replaceChildren(h('p', {}, 'Example loaded here and in the form above.'));
    } catch (err) {
      status.replaceChildren(notice(err));
    }
  };
  return h(
    'details',
    { class: 'advanced' },
    h('summary', {}, 'Advanced: JSON'),
    h(
      'form',
      {
        class: 'evidence-form',
        'aria-label': 'Start from JSON',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          status.replaceChildren();
          let tenant: unknown;
          try {
            tenant = JSON.parse(area.value);
          } catch {
            status.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'The tenant is not valid JSON.'));
            return;
          }
          try {
            await start(tenant);
          } catch (err) {
            const errors = (err instanceof ApiError ? (err.body.errors ?? []) : []) as Json[];
            const field = (f: unknown) => String(f).replace(/^body\./, '');
            status.replaceChildren(
              notice(err),
              ...(errors.length
                ? [h('ul', {}, ...errors.map((x) => h('li', { class: 'error' }, `${form.labelOf(field(x.field))} (${field(x.field)}): ${x.message}`)))]
                : []),
            );
          }
        },
      },
      h('label', { for: 'tenant-json' }, 'Tenant as JSON'),
      h(
        'p',
        { id: 'tenant-json-help', class: 'meta' },
        'The shape of examples/tenant.example.json. Give secrets inline: they are moved to the secret store. env: and file: references are for operators (onboard start).',
      ),
      area,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => void loadExample() }, 'Load example'),
        h('button', { type: 'submit' }, 'Start from JSON'),
      ),
      status,
    ),
  );
}
