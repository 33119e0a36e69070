// A tenant's health panel (GET .../health): each check's last result, the run history, the notices;
// engineers may run the checks now, enable or disable them.
import { api, ApiError, notice } from './api.js';
import { h, type Json } from './dom.js';

const when = (iso?: string) => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : '-');
/** Outcome classes reuse the step colours: ok as done, warning as running, failing as needs attention. */
const TONE: Record<string, string> = { ok: 'state-done', warning: 'state-running', failing: 'state-needs-attention' };

function panel(v: Json): HTMLElement[] {
  const rows = (v.results as Json[]).map((r) =>
    h('tr', {}, h('th', { scope: 'row' }, r.check), h('td', {}, h('span', { class: `chip ${TONE[r.outcome] ?? ''}` }, r.outcome)), h('td', {}, r.answer)),
  );
  const skipped = (v.notChecked as Json[]).map((n) => h('tr', {}, h('th', { scope: 'row' }, n.check), h('td', {}, 'not checked'), h('td', {}, n.why)));
  const history = (v.trend as Json[])
    .slice()
    .reverse()
    .map((t) =>
      h(
        'li',
        {},
        h('time', { datetime: t.at }, when(t.at)),
        ' ',
        h('span', { class: `chip ${TONE[t.status] ?? ''}` }, t.status),
        [...t.failing, ...t.warning].length ? ` ${[...t.failing, ...t.warning].join(', ')}` : '',
      ),
    );
  return [
    h(
      'p',
      {},
      h('span', { class: `chip ${TONE[v.status] ?? ''}`, id: 'health-status' }, v.status),
      ` ${v.enabled ? `checked every ${v.every}` : 'checks disabled'}; last run ${when(v.lastRunAt)}, next ${v.stopped ? 'none (stopped)' : when(v.nextRunAt)}`,
    ),
    rows.length || skipped.length
      ? h(
          'table',
          {},
          h('caption', { class: 'meta' }, 'Last run, check by check, with what the vendor answered'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'check'), h('th', { scope: 'col' }, 'outcome'), h('th', { scope: 'col' }, 'answer'))),
          h('tbody', {}, ...rows, ...skipped),
        )
      : h('p', { class: 'meta' }, 'No run yet.'),
    h('h3', { id: 'health-history-title' }, 'History (newest first)'),
    history.length
      ? h('ol', { class: 'timeline', 'aria-labelledby': 'health-history-title', reversed: true }, ...history)
      : h('p', { class: 'meta' }, 'No run yet.'),
    ...(v.notices as Json[]).map((n) =>
      h('p', { class: 'meta' }, `Notice ${when(n.at)}: ${n.checks.join(', ')} got worse${n.delivered ? '' : ' (webhook did not answer)'}`),
    ),
  ];
}

/** The panel, loaded once with the page and again after each action. */
export function healthSection(tenantId: string, mayAct: boolean): HTMLElement {
  const body = h('div');
  const status = h('p', { class: 'said', role: 'status', 'aria-live': 'polite' });
  const buttons = h('div');
  const act = (label: string, path: string, said: string) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: async () => {
          status.textContent = `${label}\u2026`;
          try {
            const v = await api('POST', `/api/v1/onboardings/${tenantId}/health/${path}`, {});
            status.textContent = `${said}: ${v.status}.`;
            show(v);
          } catch (err) {
            status.textContent = '';
            body.replaceChildren(notice(err));
          }
        },
      },
      label,
    );
  const show = (v: Json | undefined) => {
    body.replaceChildren(
      ...(v
        ? panel(v)
        : [h('p', { class: 'meta' }, 'No health checks run for this tenant: they start when its onboarding completes (or with onboard health enable).')]),
    );
    buttons.replaceChildren(
      ...(mayAct && v
        ? [
            ...(v?.enabled && !v.stopped ? [act('Run checks now', 'run', 'Checked'), ' ', act('Disable', 'disable', 'Disabled')] : []),
            ...(!v?.enabled || v.stopped ? [act('Enable', 'enable', 'Enabled')] : []),
          ]
        : []),
    );
  };
  void api('GET', `/api/v1/onboardings/${tenantId}/health`).then(show, (err) =>
    err instanceof ApiError && err.body.code === 'NoHealthChecks' ? show(undefined) : body.replaceChildren(notice(err)),
  );
  return h(
    'section',
    { class: 'phase tool', id: 'health', 'aria-labelledby': 'health-title' },
    h('h2', { id: 'health-title' }, 'Health checks'),
    body,
    buttons,
    status,
  );
}
