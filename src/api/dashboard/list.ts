// The list page (#/): onboardings by status, and the start form.
import { api, ApiError, notice } from './api.js';
import { h, main, OPEN, since, type Json } from './dom.js';

export async function renderList(): Promise<void> {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const status = params.get('status') ?? '';
  const waiting = params.get('waiting') === 'true';
  const filters = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filter onboardings',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const f = e.target as HTMLFormElement;
        const q = new URLSearchParams();
        const st = (f.elements.namedItem('status') as HTMLSelectElement).value;
        if (st) q.set('status', st);
        if ((f.elements.namedItem('waiting') as HTMLInputElement).checked) q.set('waiting', 'true');
        location.hash = `#/?${q}`;
      },
    },
    h(
      'div',
      {},
      h('label', { for: 'status' }, 'Status '),
      h(
        'select',
        { id: 'status', name: 'status' },
        ...['', 'running', 'waiting-for-human', 'needs-attention', 'escalated', 'completed', 'cancelled'].map((s) =>
          h('option', { value: s, selected: s === status }, s || 'any'),
        ),
      ),
    ),
    h('div', {}, h('input', { type: 'checkbox', id: 'waiting', name: 'waiting', checked: waiting }), h('label', { for: 'waiting' }, ' Waiting on people')),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const table = h(
    'table',
    {},
    h('thead', {}, h('tr', {}, ...['Tenant', 'Status', 'Progress', 'Open steps', 'Oldest human wait'].map((t) => h('th', { scope: 'col' }, t)))),
  );
  const body = h('tbody');
  table.append(body);
  main.replaceChildren(h('h2', {}, 'Onboardings'), filters, table, startForm());
  try {
    const q = new URLSearchParams({ pageSize: '50' });
    if (status) q.set('status', status);
    if (waiting) q.set('waiting', 'true');
    const page = await api('GET', `/api/v1/onboardings?${q}`);
    if (!page.items.length) body.append(h('tr', {}, h('td', { colspan: '5' }, 'No onboardings match.')));
    for (const o of page.items) {
      // Each row carries the run's published summary; only a run from before it needs its progress read.
      const p =
        o.percent !== undefined
          ? { displayName: o.displayName, status: o.status, percent: o.percent }
          : await api('GET', `/api/v1/onboardings/${o.tenantId}`).catch(() => undefined);
      const waits =
        o.percent !== undefined
          ? [o.oldestWaitSince].filter(Boolean)
          : (p?.steps ?? [])
              .filter((s: Json) => s.kind === 'human' && OPEN.has(s.state))
              .map((s: Json) => s.openedAt)
              .sort();
      body.append(
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/t/${o.tenantId}` }, p?.displayName ? `${p.displayName} (${o.tenantId})` : o.tenantId)),
          h('td', {}, h('span', { class: 'chip' }, p?.status ?? o.status)),
          h(
            'td',
            {},
            h('span', { class: 'bar', role: 'img', 'aria-label': `${p?.percent ?? 0}% done` }, h('span', { style: `width:${p?.percent ?? 0}%` })),
            ` ${p?.percent ?? 0}%`,
          ),
          h('td', {}, o.openSteps.join(', ')),
          h('td', {}, waits.length ? since(waits[0]) : ''),
        ),
      );
    }
  } catch (err) {
    main.insertBefore(notice(err), table);
  }
}

function startForm(): HTMLElement {
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
