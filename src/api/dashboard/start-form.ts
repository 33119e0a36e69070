// The start form on the list page: a tenant as JSON, posted to the API; refusals listed by field.
import { api, ApiError, notice } from './api.js';
import { h, type Json } from './dom.js';

export function startForm(): HTMLElement {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const area = h('textarea', { id: 'tenant-json', name: 'tenant', spellcheck: 'false', 'aria-describedby': 'tenant-help' }) as HTMLTextAreaElement;
  return h(
    'section',
    { class: 'phase', 'aria-labelledby': 'start-title' },
    h('h2', { id: 'start-title' }, 'Start an onboarding'),
    h(
      'form',
      {
        class: 'evidence-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          status.replaceChildren();
          let tenant: unknown;
          try {
            tenant = JSON.parse(area.value);
          } catch {
            status.replaceChildren(h('p', { class: 'error' }, 'The tenant is not valid JSON.'));
            return;
          }
          try {
            const r = await api('POST', '/api/v1/onboardings', tenant);
            location.hash = `#/t/${r.tenantId}`;
          } catch (err) {
            status.replaceChildren(
              notice(err),
              ...(err instanceof ApiError && err.body.errors
                ? [h('ul', {}, ...err.body.errors.map((x: Json) => h('li', { class: 'error' }, `${x.field}: ${x.message}`)))]
                : []),
            );
          }
        },
      },
      h('label', { for: 'tenant-json' }, 'Tenant (JSON, as examples/tenant.example.json)'),
      h(
        'p',
        { id: 'tenant-help', class: 'meta' },
        "Give secrets inline: they are moved to the server's secret store. env: and file: references are for operators (onboard start).",
      ),
      area,
      h('div', {}, h('button', { type: 'submit' }, 'Start onboarding')),
      status,
    ),
  );
}
