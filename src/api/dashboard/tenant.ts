// A tenant's page (#/t/<tenantId>): the checklist by phase, instructions, evidence forms.
import { api, ApiError, notice } from './api.js';
import { copyButton, h, main, OPEN, PHASES, since, type Json } from './dom.js';

let refreshTimer: number | undefined;
/** Stops the page's refresh (leaving the page). */
export const stopRefresh = () => window.clearTimeout(refreshTimer);

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

export async function renderTenant(tenantId: string, force = false): Promise<void> {
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
          s.reopened ? h('p', { class: 'meta' }, `Reopened by ${s.reopened.by} (${s.reopened.origin}): ${s.reopened.reason}`) : null,
          // What it had before it went back: the person may hand the same in again.
          s.previous?.evidence && !s.evidence && Object.keys(s.previous.evidence).length
            ? h(
                'dl',
                { class: 'meta previous', 'aria-label': 'Previous evidence' },
                ...Object.entries(s.previous.evidence as Json).flatMap(([k, v]) => [
                  h('dt', {}, `previous ${k}`),
                  h('dd', {}, String(v), copyButton(String(v), k)),
                ]),
              )
            : null,
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
          (s.state === 'done' || s.state === 'skipped') && p.status !== 'completed' && p.status !== 'cancelled'
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: async () => {
                    const reason = prompt(`Why does ${s.id} go back? (it and every finished step that depends on it reopen)`);
                    if (!reason?.trim()) return;
                    await api('POST', `/api/v1/onboardings/${tenantId}/steps/${s.id}/reopen`, { reason }).catch((err) => alert((err as Error).message));
                    await renderTenant(tenantId, true);
                  },
                },
                'Reopen',
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
