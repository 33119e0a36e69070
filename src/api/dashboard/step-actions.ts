// What an engineer does to a step or the run besides completing it: skip a skippable step, retry
// one that needs attention, cancel the run. Each asks for a reason in an inline form (no prompt()),
// in the style of the reopen form; refusals show beside the field, the focus on the first.
import { api, placeErrors } from './api.js';
import { fieldError, type AfterChange } from './corrections.js';
import { focusFirstError } from './evidence-form.js';
import { h, type Json } from './dom.js';

/**
 * A button that opens its inline form under it (aria-expanded), and closes it again (Cancel, or
 * after the action went through) with the focus back on the button. The container is kept across
 * updates of the page, so an open form keeps what is typed in it.
 */
export function inlineAction(label: string, toggleId: string, makeForm: (close: () => void) => HTMLFormElement): HTMLElement {
  let form: HTMLFormElement | undefined;
  const close = () => {
    form?.remove();
    form = undefined;
    toggle.setAttribute('aria-expanded', 'false');
    toggle.removeAttribute('aria-controls');
    if (toggle.isConnected) toggle.focus();
  };
  const toggle = h(
    'button',
    {
      type: 'button',
      id: toggleId,
      class: 'secondary',
      'aria-expanded': 'false',
      onclick: () => {
        if (form) return close();
        form = makeForm(close);
        toggle.after(form);
        toggle.setAttribute('aria-expanded', 'true');
        toggle.setAttribute('aria-controls', form.id);
        form.querySelector('input')?.focus();
      },
    },
    label,
  );
  return h('div', { class: 'inline-action' }, toggle);
}

/** A reason form: one required input, the API call, and the field error beside it. */
export function reasonForm(o: {
  id: string;
  name: string;
  label: string;
  help: string;
  submit: string;
  close: () => void;
  send: (reason: string) => Promise<string>;
  after: AfterChange;
}): HTMLFormElement {
  const reasonError = fieldError(`${o.id}-reason-error`);
  const general = h('div', { role: 'alert' });
  const reason = h('input', {
    id: `${o.id}-reason`,
    name: 'reason',
    autocomplete: 'off',
    'aria-required': 'true',
    'aria-describedby': `${o.id}-help ${o.id}-reason-error`,
  }) as HTMLInputElement;
  const form = h(
    'form',
    {
      class: 'evidence-form',
      id: o.id,
      'aria-label': o.name,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        general.replaceChildren();
        reasonError.replaceChildren();
        try {
          const said = await o.send(reason.value);
          o.close();
          await o.after(said);
        } catch (err) {
          placeErrors(err, (f) => (f === 'reason' ? reasonError : undefined), general);
          focusFirstError(form, general);
        }
      },
    },
    h('label', { for: `${o.id}-reason` }, o.label),
    h('p', { id: `${o.id}-help`, class: 'meta' }, o.help),
    reason,
    reasonError,
    h('div', {}, h('button', { type: 'submit' }, o.submit), ' ', h('button', { type: 'button', class: 'secondary', onclick: () => o.close() }, 'Cancel')),
    general,
  ) as HTMLFormElement;
  return form;
}

/** Skip (a skippable step that is not finished or being verified): a reason, then the step counts as finished. */
export function skipControl(tenantId: string, step: Json, after: AfterChange): HTMLElement {
  return inlineAction('Skip', `skip-toggle-${step.id}`, (close) =>
    reasonForm({
      id: `skip-${step.id}`,
      name: `Skip ${step.title}`,
      label: `Why is ${step.id} skipped?`,
      help: 'A skipped step counts as finished: the steps that wait for it go on without it. It can be reopened later.',
      submit: 'Skip step',
      close,
      after,
      send: async (reason) => {
        await api('POST', `/api/v1/onboardings/${tenantId}/steps/${step.id}/skip`, { reason });
        return `${step.title}: skipped (${reason.trim()}).`;
      },
    }),
  );
}

/** Retry (a step that needs attention): runs it again; a refusal is said beside the button, and the focus goes to it. */
export function retryControl(tenantId: string, step: Json, after: AfterChange): HTMLElement {
  const general = h('div', { role: 'alert', id: `retry-${step.id}-error`, tabindex: '-1' });
  const button = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        general.replaceChildren();
        try {
          await api('POST', `/api/v1/onboardings/${tenantId}/steps/${step.id}/retry`, {});
          await after(`${step.title}: retried.`);
        } catch (err) {
          placeErrors(err, () => undefined, general);
          // Read out and reachable: the person learns why, and Tab goes on from there.
          general.focus();
        }
      },
    },
    'Retry',
  );
  return h('div', { class: 'inline-action' }, button, general);
}

/** Cancel the run (POST .../cancel): behind a form with a required reason; the run stops, its record stays. */
export function cancelSection(tenantId: string, after: AfterChange): HTMLElement {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const action = inlineAction('Cancel onboarding\u2026', 'cancel-run-toggle', (close) =>
    reasonForm({
      id: 'cancel-run',
      name: 'Confirm cancellation',
      label: 'Why is the onboarding cancelled?',
      help: 'The run stops here: no step opens or runs any more, and nobody is reminded. Its history, record and audit stay readable.',
      submit: 'Confirm cancellation',
      close,
      after: async (said) => {
        status.textContent = said;
        await after(said);
      },
      send: async (reason) => {
        const p = await api('POST', `/api/v1/onboardings/${tenantId}/cancel`, { reason });
        return `Onboarding cancelled by ${p.cancelledBy ?? 'you'}: ${p.cancelReason ?? reason.trim()}.`;
      },
    }),
  );
  return h(
    'section',
    { class: 'phase tool', id: 'cancel', 'aria-labelledby': 'cancel-title' },
    h('h2', { id: 'cancel-title' }, 'Cancel the onboarding'),
    action,
    status,
  );
}
