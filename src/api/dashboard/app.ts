// The dashboard: plain DOM, no framework, talking to the same HTTP API as everyone else.
// Routes: #/ (list, start form) and #/t/<tenantId> (checklist, instructions, evidence forms).

type Json = Record<string, any>;
const PHASES = ['Setup', 'Channel integration', 'Routing', 'Agent interaction'];
const OPEN = new Set(['open', 'waiting-for-human']);
const main = document.getElementById('main') as HTMLElement;
let refreshTimer: number | undefined;

/** Builds an element; strings become text nodes, so server values are never parsed as HTML. */
function h(tag: string, attrs: Record<string, string | boolean | EventListener> = {}, ...children: Array<Node | string | null | undefined>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false) el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

// The token is kept for this tab only (sessionStorage): it is gone when the tab closes, and is not
// left on disk for the next person at this browser. A token an older dashboard left in
// localStorage is moved here once and removed from there.
const TOKEN_KEY = 'onboard-token';
const legacyToken = localStorage.getItem(TOKEN_KEY);
if (legacyToken !== null) {
  if (!sessionStorage.getItem(TOKEN_KEY)) sessionStorage.setItem(TOKEN_KEY, legacyToken);
  localStorage.removeItem(TOKEN_KEY);
}
const token = () => sessionStorage.getItem(TOKEN_KEY) ?? '';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(body.detail ?? `HTTP ${status}`);
  }
}

async function api(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** 401 and 403 said plainly, with what to do. */
function notice(err: unknown): HTMLElement {
  if (err instanceof ApiError && err.status === 401)
    return h('div', { class: 'notice', role: 'alert' }, 'Not signed in: enter a valid API token above (onboard dev prints one).');
  if (err instanceof ApiError && err.status === 403) return h('div', { class: 'notice', role: 'alert' }, `Not allowed: ${err.message}`);
  return h('div', { class: 'notice', role: 'alert' }, err instanceof Error ? err.message : String(err));
}

function copyButton(text: string, label: string): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'copy secondary',
      'aria-label': `Copy ${label}`,
      onclick: () => void navigator.clipboard?.writeText(text).catch(() => undefined),
    },
    'Copy',
  );
}

function since(iso?: string): string {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 90 ? `${Math.round(s)}s` : s < 5400 ? `${Math.round(s / 60)}m` : s < 129600 ? `${(s / 3600).toFixed(1)}h` : `${(s / 86400).toFixed(1)}d`;
}

// ---- list
async function renderList(): Promise<void> {
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
      const p = await api('GET', `/api/v1/onboardings/${o.tenantId}`).catch(() => undefined);
      const waits = (p?.steps ?? [])
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

// ---- tenant page
function instructionList(lines: string[]): HTMLElement {
  const ol = h('ol');
  let pre: HTMLElement | undefined;
  for (const line of lines) {
    if (line.startsWith('    ')) {
      // An indented block (the dialog-task script): one pre with one copy button.
      if (!pre) {
        pre = h('pre');
        const li = ol.lastElementChild ?? ol.appendChild(h('li'));
        li.append(pre);
        li.append(copyButton('', 'script'));
      }
      pre.textContent = `${pre.textContent ? `${pre.textContent}\n` : ''}${line.slice(4)}`;
      (pre.nextElementSibling as HTMLButtonElement).onclick = () => void navigator.clipboard?.writeText(pre!.textContent ?? '');
      continue;
    }
    pre = undefined;
    const m = /^(.*?(?:Domain Name|DID Number|Base URL must read|DID|Bot ID|Client ID)):? (\S+?)[.,]?$/.exec(line) ?? /^(.*: )(\S+)$/.exec(line);
    ol.append(h('li', {}, line, m ? copyButton(m[2]!, m[1]!.replace(/[:\s]+$/, '')) : null));
  }
  return ol;
}

function evidenceForm(tenantId: string, step: Json): HTMLElement {
  const errors = new Map<string, HTMLElement>();
  const general = h('div', { role: 'alert' });
  const fields = step.evidenceFields as string[];
  const form = h('form', {
    class: 'evidence-form',
    'aria-label': `Complete ${step.title}`,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      general.replaceChildren();
      errors.forEach((el) => el.replaceChildren());
      const evidence: Json = {};
      for (const f of fields) {
        const v = (form.querySelector(`[name="${f}"]`) as HTMLInputElement).value;
        if (v !== '') evidence[f] = v;
      }
      try {
        const r = await api('POST', `/api/v1/onboardings/${tenantId}/steps/${step.id}/complete`, { evidence });
        await renderTenant(tenantId, true);
        if (r.step.state === 'open' && r.step.lastError) document.getElementById(`step-${step.id}`)?.querySelector('.error')?.setAttribute('role', 'alert');
      } catch (err) {
        const fieldErrors = err instanceof ApiError ? (err.body.errors ?? []) : [];
        let placed = false;
        for (const fe of fieldErrors as Json[]) {
          const slot = errors.get(String(fe.field).replace(/^evidence\./, ''));
          if (slot) {
            slot.textContent = fe.message;
            placed = true;
          }
        }
        if (!placed) general.replaceChildren(notice(err));
      }
    },
  });
  for (const f of fields) {
    const id = `${step.id}-${f}`;
    const err = h('span', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
    errors.set(f, err);
    form.append(h('label', { for: id }, f), h('input', { id, name: f, 'aria-describedby': `${id}-error`, autocomplete: 'off' }), err);
  }
  form.append(h('div', {}, h('button', { type: 'submit' }, fields.length ? 'Submit evidence' : 'Mark done')), general);
  return form;
}

async function renderTenant(tenantId: string, force = false): Promise<void> {
  window.clearTimeout(refreshTimer);
  let p: Json;
  try {
    p = await api('GET', `/api/v1/onboardings/${tenantId}`);
  } catch (err) {
    main.replaceChildren(h('p', {}, h('a', { href: '#/' }, '< All onboardings')), notice(err));
    return;
  }
  // Keep what a person is typing: only re-render forms that are not being edited.
  const active = document.activeElement;
  if (!force && active && active.closest('article.step form') && main.contains(active) && location.hash === `#/t/${tenantId}`) {
    refreshTimer = window.setTimeout(() => void renderTenant(tenantId), 2000);
    return;
  }
  const sections = PHASES.map((phase) => {
    const steps = (p.steps as Json[]).filter((s) => s.phase === phase);
    return h(
      'section',
      { class: 'phase', 'aria-label': phase },
      h('h2', {}, phase),
      ...steps.map((s) =>
        h(
          'article',
          { class: 'step', id: `step-${s.id}`, 'aria-labelledby': `title-${s.id}` },
          h('h3', { id: `title-${s.id}` }, s.title, ' ', h('span', { class: `chip state-${s.state}` }, s.state)),
          h(
            'p',
            { class: 'meta' },
            s.id,
            s.completedBy ? ` - by ${s.completedBy}${s.completedAt ? ` at ${s.completedAt.slice(0, 16).replace('T', ' ')}Z` : ''}` : '',
            s.state === 'blocked' ? ` - waits for ${s.waitingFor.join(', ')}` : '',
            OPEN.has(s.state) ? ` - open for ${since(s.openedAt)}${s.reminders ? `, ${s.reminders} reminder(s)` : ''}${s.escalated ? ', escalated' : ''}` : '',
          ),
          s.lastError ? h('p', { class: 'error' }, s.lastError) : null,
          // What a person handed in (domain, DID, SIP URI...) and what a check found, each copyable.
          ...[s.evidence, s.result]
            .filter((o) => o && Object.keys(o).length)
            .map((o: Json) =>
              h('dl', { class: 'meta' }, ...Object.entries(o).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v), copyButton(String(v), k))])),
            ),
          s.state !== 'done' && s.state !== 'skipped' ? instructionList(s.instructions) : null,
          s.kind === 'human' && OPEN.has(s.state) ? evidenceForm(tenantId, s) : null,
          s.state === 'needs-attention'
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: async () => {
                    await api('POST', `/api/v1/onboardings/${tenantId}/steps/${s.id}/retry`, {}).catch((err) => alert((err as Error).message));
                    await renderTenant(tenantId, true);
                  },
                },
                'Retry',
              )
            : null,
        ),
      ),
    );
  });
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '< All onboardings')),
    h('h2', {}, `${p.displayName} (${p.tenantId})`),
    h(
      'p',
      {},
      h('span', { class: 'chip', id: 'run-status' }, p.status),
      ' ',
      h('span', { class: 'bar', role: 'img', 'aria-label': `${p.percent}% done` }, h('span', { style: `width:${p.percent}%` })),
      ` ${p.percent}% done`,
    ),
    ...sections,
  );
  // Refresh while the run is alive, so automatic steps and other people's work show up.
  if (p.status !== 'completed' && p.status !== 'cancelled') refreshTimer = window.setTimeout(() => void renderTenant(tenantId), 2000);
}

async function route(): Promise<void> {
  window.clearTimeout(refreshTimer);
  const m = /^#\/t\/([a-z0-9-]+)/.exec(location.hash);
  if (m) await renderTenant(m[1]!, true);
  else await renderList();
}

async function whoami(): Promise<void> {
  const el = document.getElementById('whoami')!;
  try {
    // Also signs this browser in for the Temporal Web UI's codec calls (an HttpOnly cookie on /codec).
    const me = await api('POST', '/api/v1/session');
    el.textContent = `${me.name} (${me.role})`;
  } catch {
    el.textContent = token() ? 'token not accepted' : 'no token';
  }
}

document.getElementById('token-form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, (document.getElementById('token') as HTMLInputElement).value.trim());
  void whoami();
  void route();
});
// Sign out: the server ends this browser's codec session (the cookie is sent to /codec only) and
// clears the cookie; the tab forgets the token.
document.getElementById('sign-out')!.addEventListener('click', async () => {
  await fetch('/codec/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined);
  sessionStorage.removeItem(TOKEN_KEY);
  (document.getElementById('token') as HTMLInputElement).value = '';
  document.getElementById('whoami')!.textContent = 'signed out';
  void route();
});
window.addEventListener('hashchange', () => void route());
void whoami();
void route();
