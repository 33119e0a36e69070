// What an engineer corrects or ends on a tenant's page: reopen a finished step, amend the tenant,
// offboard. Each is an inline form whose refusals appear beside the field they name.
import { api, placeErrors } from './api.js';
import { h, type Json } from './dom.js';
import { focusFirstError } from './evidence-form.js';

/** Said once an action went through: re-renders the page and the audit timeline. */
export type AfterChange = (said: string) => Promise<void>;

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);
/** Paths the amend form suggests (any tenant field path may be typed). */
const COMMON_PATHS = [
  'displayName',
  'agentTransfer.option',
  'agentTransfer.target',
  'kore.region',
  'kore.botId',
  'kore.clientId',
  'kore.clientSecret',
  'zoom.accountId',
  'zoom.clientId',
  'zoom.clientSecret',
  'contacts.owner',
  'contacts.notifyWebhookUrl',
];

export const fieldError = (id: string) => h('span', { class: 'field-error', id, 'aria-live': 'polite' });
const list = (ids: string[]) => (ids.length ? ids.join(', ') : 'none');

/**
 * The inline reopen form of a done or skipped step (it replaced a prompt()): a reason, then the
 * step and every finished step that depends on it go back. The refusal (busy, finished run...)
 * shows in the form; what went back is said by `after`.
 */
export function reopenForm(tenantId: string, step: Json, close: () => void, after: AfterChange): HTMLFormElement {
  const id = `reopen-${step.id}`;
  const reasonError = fieldError(`${id}-reason-error`);
  const general = h('div', { role: 'alert' });
  const reason = h('input', {
    id: `${id}-reason`,
    name: 'reason',
    autocomplete: 'off',
    'aria-required': 'true',
    'aria-describedby': `${id}-help ${id}-reason-error`,
  }) as HTMLInputElement;
  const form = h(
    'form',
    {
      class: 'evidence-form',
      id,
      'aria-label': `Reopen ${step.title}`,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        general.replaceChildren();
        reasonError.replaceChildren();
        try {
          const r = await api('POST', `/api/v1/onboardings/${tenantId}/steps/${step.id}/reopen`, { reason: reason.value });
          close();
          await after(`Reopened ${step.id}; steps sent back: ${list(r.reopened)}.`);
        } catch (err) {
          placeErrors(err, (f) => (f === 'reason' ? reasonError : undefined), general);
          focusFirstError(form, general);
        }
      },
    },
    h('label', { for: `${id}-reason` }, `Why does ${step.id} go back?`),
    h('p', { id: `${id}-help`, class: 'meta' }, 'It and every finished step that depends on it reopen; their evidence is kept as "previous".'),
    reason,
    reasonError,
    h('div', {}, h('button', { type: 'submit' }, 'Reopen step'), ' ', h('button', { type: 'button', class: 'secondary', onclick: () => close() }, 'Cancel')),
    general,
  ) as HTMLFormElement;
  return form;
}

interface Row {
  el: HTMLElement;
  path: HTMLInputElement;
  value: HTMLInputElement;
  error: HTMLElement;
}

/** Sets `path` (a.b.c) in the merge patch; as `onboard amend --set`: true, false and null are JSON, anything else is text. */
function setPath(patch: Json, keys: string[], raw: string): void {
  const value = raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : raw;
  let at = patch;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    at = at[k] = next && typeof next === 'object' ? next : {};
  }
  at[keys.at(-1)!] = value;
}

/**
 * Amend the tenant (PATCH .../tenant): rows of a field path and its new value make the JSON merge
 * patch, with a reason. Each field error (`changes.agentTransfer.option`) shows beside the row of
 * that path, the reason's beside the reason; the steps sent back are said after.
 */
export function amendSection(tenantId: string, after: AfterChange): HTMLElement {
  const rows: Row[] = [];
  let next = 0;
  const rowsEl = h('div', { class: 'amend-rows' });
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const general = h('div', { role: 'alert' });
  const reasonError = fieldError('amend-reason-error');
  const reason = h('input', {
    id: 'amend-reason',
    name: 'reason',
    autocomplete: 'off',
    'aria-required': 'true',
    'aria-describedby': 'amend-reason-error',
  }) as HTMLInputElement;

  const addRow = (focus = false) => {
    const n = ++next;
    const error = fieldError(`amend-row-${n}-error`);
    const path = h('input', {
      id: `amend-path-${n}`,
      name: 'path',
      list: 'amend-paths',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': `amend-row-${n}-error`,
    }) as HTMLInputElement;
    const value = h('input', { id: `amend-value-${n}`, name: 'value', autocomplete: 'off', 'aria-describedby': `amend-row-${n}-error` }) as HTMLInputElement;
    // A secret typed here is masked like a password, never shown in clear on the screen.
    path.addEventListener('input', () => {
      value.type = /secret|token|password/i.test(path.value) ? 'password' : 'text';
    });
    const row: Row = {
      path,
      value,
      error,
      el: h(
        'div',
        { class: 'amend-row', role: 'group', 'aria-label': `Change ${n}` },
        h('div', {}, h('label', { for: path.id }, 'Field path'), path),
        h('div', {}, h('label', { for: value.id }, 'New value'), value),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `Remove change ${n}`,
            onclick: () => {
              rows.splice(rows.indexOf(row), 1);
              row.el.remove();
              if (!rows.length) addRow(true);
              else rows[0]!.path.focus();
            },
          },
          'Remove',
        ),
        error,
      ),
    };
    rows.push(row);
    rowsEl.append(row.el);
    if (focus) path.focus();
  };
  addRow();

  /** The row a field error is about: its path, a field inside it, or a field it sets inside. */
  const rowOf = (field: string): HTMLElement | undefined => {
    if (field === 'reason') return reasonError;
    const m = /^changes\.(.+)$/.exec(field);
    if (!m) return undefined;
    const f = m[1]!;
    const p = (r: Row) => r.path.value.trim();
    const row = rows.find((r) => p(r) === f) ?? rows.find((r) => p(r) && f.startsWith(`${p(r)}.`)) ?? rows.find((r) => p(r).startsWith(`${f}.`));
    return row?.error;
  };

  const form = h(
    'form',
    {
      class: 'evidence-form',
      'aria-labelledby': 'amend-title',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        status.replaceChildren();
        general.replaceChildren();
        reasonError.replaceChildren();
        rows.forEach((r) => r.error.replaceChildren());
        const changes: Json = {};
        let bad = false;
        for (const r of rows) {
          const path = r.path.value.trim();
          if (!path && !r.value.value) continue;
          const keys = path.split('.');
          if (!path || keys.some((k) => !k || UNSAFE.has(k))) {
            r.error.textContent = `"${path}" is not a tenant field path (e.g. agentTransfer.option)`;
            bad = true;
            continue;
          }
          setPath(changes, keys, r.value.value);
        }
        if (bad) return;
        try {
          const r = await api('PATCH', `/api/v1/onboardings/${tenantId}/tenant`, { changes, reason: reason.value });
          const said = `Tenant amended. Steps reopened: ${list(r.reopened)}.`;
          status.textContent = said;
          for (const row of [...rows]) row.el.remove();
          rows.length = 0;
          addRow();
          reason.value = '';
          await after(said);
        } catch (err) {
          placeErrors(err, rowOf, general);
          focusFirstError(form, general);
          // A refused secret does not stay on the page.
          for (const row of rows) if (row.value.type === 'password') row.value.value = '';
        }
      },
    },
    h(
      'p',
      { class: 'meta', id: 'amend-help' },
      'Each change sets one tenant field by its path. true, false and null are JSON (null removes an optional field); anything else is text. ',
      'Secrets given here go to the server\u2019s secret store. The steps that read a changed field reopen.',
    ),
    h('datalist', { id: 'amend-paths' }, ...COMMON_PATHS.map((p) => h('option', { value: p }))),
    rowsEl,
    h('div', {}, h('button', { type: 'button', class: 'secondary', onclick: () => addRow(true) }, 'Add a change')),
    h('label', { for: 'amend-reason' }, 'Reason'),
    reason,
    reasonError,
    h('div', {}, h('button', { type: 'submit' }, 'Amend tenant')),
    general,
    status,
  );
  return h('section', { class: 'phase tool', id: 'amend', 'aria-labelledby': 'amend-title' }, h('h2', { id: 'amend-title' }, 'Amend the tenant'), form);
}
