// A tenant's page (#/t/<tenantId>): the checklist by phase, instructions, evidence forms; for
// engineers the reopen, amend and offboard forms; for everyone the health panel, the audit timeline and the record.
import { followProgress } from './events.js';
import { instructionList } from './instructions.js';
import { api, ApiError, mayAct, me, notice } from './api.js';
import { auditSection, recordSection } from './audit.js';
import { amendSection, reopenForm } from './corrections.js';
import { healthSection } from './health.js';
import { offboardSection } from './offboard.js';
import { temporalLink } from './temporal-link.js';
import { copyButton, h, main, OPEN, PHASES, since, type Json } from './dom.js';

/**
 * What stays on the page between its 2 s refreshes: only the head and the checklist are drawn
 * again, so the audit timeline keeps the pages it loaded, and the amend and offboard forms (and an
 * open reopen form) keep what is typed in them.
 */
interface TenantPage {
  tenantId: string;
  head: HTMLElement;
  /** Says what a reopen sent back (the step's own form is gone once it reopened). */
  said: HTMLElement;
  steps: HTMLElement;
  amend?: HTMLElement;
  mayAct: boolean;
  /** The open reopen forms, by step id. */
  reopening: Map<string, HTMLFormElement>;
  /** After a reopen: says what went back, then redraws the checklist and the timeline. */
  reopened: (said: string) => Promise<void>;
}

let refreshTimer: number | undefined;
let page: TenantPage | undefined;
/** Stops the page's refresh and forgets its forms and timeline (leaving the page). */
/** The run's live events, while the page shows it (undefined: none, so the page polls). */
let live: { tenantId: string; stop: () => void } | undefined;

export const stopRefresh = () => {
  window.clearTimeout(refreshTimer);
  live?.stop();
  live = undefined;
  page = undefined;
};

/** Redraws on each event of the run; when the stream ends, polling takes over (every 2 s). */
function goLive(tenantId: string): void {
  if (live?.tenantId === tenantId) return;
  live?.stop();
  const stop = followProgress(
    tenantId,
    (p) => location.hash === `#/t/${tenantId}` && void renderTenant(tenantId, false, p),
    () => {
      if (live?.tenantId !== tenantId) return;
      live = undefined;
      refreshTimer = window.setTimeout(() => void renderTenant(tenantId), 2000);
    },
  );
  live = { tenantId, stop };
}

/** Lays out a tenant's page once: the parts drawn on each refresh, then the ones kept. */
async function buildPage(tenantId: string): Promise<TenantPage> {
  const acts = mayAct(await me().catch(() => undefined));
  const audit = auditSection(tenantId);
  const after = async () => {
    await renderTenant(tenantId, true);
    await audit.reload();
  };
  const said = h('p', { role: 'status', 'aria-live': 'polite', class: 'said' });
  const built: TenantPage = {
    tenantId,
    head: h('div'),
    said,
    steps: h('div'),
    mayAct: acts,
    reopening: new Map(),
    reopened: async (what) => {
      said.textContent = what;
      await after();
    },
  };
  built.amend = acts ? amendSection(tenantId, after) : undefined;
  main.replaceChildren(
    built.head,
    built.said,
    built.steps,
    healthSection(tenantId, acts),
    recordSection(tenantId),
    audit.el,
    ...(acts ? [built.amend!, offboardSection(tenantId, after)] : []),
  );
  return built;
}

/** The Reopen button of a done or skipped step; it opens the step's inline reopen form under it. */
function reopenControl(tenantId: string, s: Json, at: TenantPage): HTMLElement[] {
  const toggleId = `reopen-toggle-${s.id}`;
  const close = () => {
    at.reopening.get(s.id)?.remove();
    at.reopening.delete(s.id);
    const toggle = document.getElementById(toggleId);
    toggle?.setAttribute('aria-expanded', 'false');
    toggle?.removeAttribute('aria-controls');
    toggle?.focus();
  };
  const open = at.reopening.get(s.id);
  const toggle = h(
    'button',
    {
      type: 'button',
      id: toggleId,
      'aria-expanded': String(!!open),
      ...(open ? { 'aria-controls': `reopen-${s.id}` } : {}),
      onclick: () => {
        if (at.reopening.has(s.id)) return close();
        const form = reopenForm(tenantId, s, close, at.reopened);
        at.reopening.set(s.id, form);
        toggle.after(form);
        toggle.setAttribute('aria-expanded', 'true');
        toggle.setAttribute('aria-controls', form.id);
        form.querySelector('input')?.focus();
      },
    },
    'Reopen',
  );
  return open ? [toggle, open] : [toggle];
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

export async function renderTenant(tenantId: string, force = false, given?: Json): Promise<void> {
  window.clearTimeout(refreshTimer);
  let p: Json;
  try {
    p = given ?? (await api('GET', `/api/v1/onboardings/${tenantId}`));
  } catch (err) {
    main.replaceChildren(h('p', {}, h('a', { href: '#/' }, '< All onboardings')), notice(err));
    return;
  }
  // Keep what a person is typing: only re-render forms that are not being edited.
  const active = document.activeElement;
  if (!force && active && active.closest('article.step form') && main.contains(active) && location.hash === `#/t/${tenantId}`) {
    if (!live) refreshTimer = window.setTimeout(() => void renderTenant(tenantId), 2000);
    return;
  }
  if (!page || page.tenantId !== tenantId || !main.contains(page.head)) page = await buildPage(tenantId);
  const at = page;
  const finished = p.status === 'completed' || p.status === 'cancelled';
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
          h(
            'h3',
            { id: `title-${s.id}` },
            s.title,
            ' ',
            h('span', { class: `chip state-${s.state}` }, s.state),
            // A console step an API can do: how this run does it (the note, when a person does, ends its instructions).
            s.automation ? h('span', { class: 'chip' }, s.automation.mode === 'auto' ? 'by API' : 'by a person') : '',
          ),
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
              h(
                'dl',
                { class: 'meta' },
                // A vendor's answer may be nested (a publish's status summary): shown as JSON, not [object Object].
                ...Object.entries(o).flatMap(([k, v]) => {
                  const text = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
                  return [h('dt', {}, k), h('dd', {}, text, copyButton(text, k))];
                }),
              ),
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
          ...((s.state === 'done' || s.state === 'skipped') && !finished && at.mayAct ? reopenControl(tenantId, s, at) : []),
        ),
      ),
    );
  });
  at.head.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '< All onboardings')),
    h('h2', {}, `${p.displayName} (${p.tenantId})`),
    temporalLink(p.tenantId),
    h(
      'p',
      {},
      h('span', { class: 'chip', id: 'run-status' }, p.status),
      ' ',
      h('span', { class: 'bar', role: 'img', 'aria-label': `${p.percent}% done` }, h('span', { style: `width:${p.percent}%` })),
      ` ${p.percent}% done`,
    ),
  );
  at.steps.replaceChildren(...sections);
  // A reopen form whose step went back meanwhile (someone else reopened it) is dropped.
  for (const id of at.reopening.keys()) if (!document.getElementById(`reopen-${id}`)) at.reopening.delete(id);
  // A finished run takes no amendment.
  if (at.amend) at.amend.hidden = finished;
  // Refresh while the run is alive, so automatic steps and other people's work show up.
  // Live while the run goes on: its events redraw the page (polling only when the stream is gone).
  if (!finished) goLive(tenantId);
  else if (live?.tenantId === tenantId) {
    live.stop();
    live = undefined;
  }
}
