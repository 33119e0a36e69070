// A tenant's offboarding, from the dashboard: a confirmation form with a required reason.
import { api, placeErrors } from './api.js';
import { h } from './dom.js';
import { fieldError, type AfterChange } from './corrections.js';
import { focusFirstError } from './evidence-form.js';

/**
 * Offboarding (POST .../offboard): behind a confirmation form with a required reason. Cancels a
 * running onboarding and deletes the tenant's stored secrets; history, record and audit stay.
 */
export function offboardSection(tenantId: string, after: AfterChange): HTMLElement {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const general = h('div', { role: 'alert' });
  const reasonError = fieldError('offboard-reason-error');
  const reason = h('input', {
    id: 'offboard-reason',
    name: 'reason',
    autocomplete: 'off',
    'aria-required': 'true',
    'aria-describedby': 'offboard-help offboard-reason-error',
  }) as HTMLInputElement;
  const toggle = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'offboard-form' }, 'Offboard\u2026');
  const form = h(
    'form',
    {
      class: 'evidence-form',
      id: 'offboard-form',
      'aria-label': 'Confirm offboarding',
      hidden: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        general.replaceChildren();
        reasonError.replaceChildren();
        try {
          const r = await api('POST', `/api/v1/onboardings/${tenantId}/offboard`, { reason: reason.value });
          const said = `Offboarded by ${r.by}: the run is ${r.runStatus}; ${r.secretFilesDeleted} stored secret file(s) deleted.`;
          show(false);
          reason.value = '';
          status.textContent = said;
          await after(said);
        } catch (err) {
          placeErrors(err, (f) => (f === 'reason' ? reasonError : undefined), general);
          focusFirstError(form, general);
        }
      },
    },
    h(
      'p',
      { id: 'offboard-help', class: 'meta' },
      "Ends this tenant's life here: a running onboarding is cancelled and the tenant's stored secrets are deleted. Its history, record and audit stay readable.",
    ),
    h('label', { for: 'offboard-reason' }, 'Why is the tenant offboarded?'),
    reason,
    reasonError,
    h(
      'div',
      {},
      h('button', { type: 'submit' }, 'Confirm offboarding'),
      ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => show(false) }, 'Cancel'),
    ),
    general,
  );
  function show(open: boolean): void {
    form.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) reason.focus();
    else toggle.focus();
  }
  toggle.addEventListener('click', () => show(form.hidden));
  return h(
    'section',
    { class: 'phase tool', id: 'offboard', 'aria-labelledby': 'offboard-title' },
    h('h2', { id: 'offboard-title' }, 'Offboard the tenant'),
    toggle,
    form,
    status,
  );
}
