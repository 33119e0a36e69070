// A tenant's page (#/t/<tenantId>): the checklist by phase, instructions, evidence forms; for
// engineers skip, retry, reopen, cancel, amend and offboard; for everyone the health panel, the
// audit timeline and the record. Laid out once per visit; each new progress document (a live event,
// a poll, an action's answer) changes only what changed (./reconcile.ts, ./step-view.ts).
import { followProgress } from './events.js';
import { api, mayAct, me, notice } from './api.js';
import { auditSection, recordSection } from './audit.js';
import { amendSection } from './corrections.js';
import { evidenceSchemas } from './evidence-form.js';
import { healthSection } from './health.js';
import { needsSection } from './needs.js';
import { offboardSection } from './offboard.js';
import { reconcile, setText, type Part } from './reconcile.js';
import { cancelSection } from './step-actions.js';
import { completionSummary } from './summary.js';
import { stepParts, type StepContext } from './step-view.js';
import { temporalLink } from './temporal-link.js';
import { h, main, PHASES, type Json } from './dom.js';

/** The page of one tenant while it is shown: its parts are kept between updates. */
interface TenantPage {
  tenantId: string;
  head: HTMLElement;
  /** "Needs you now" (./needs.ts): its filters are kept between updates. */
  needs: ReturnType<typeof needsSection>;
  /** Where the completion summary goes once the run has completed. */
  summary: HTMLElement;
  steps: HTMLElement;
  cancel?: HTMLElement;
  amend?: HTMLElement;
  mayAct: boolean;
  /** The run's last change drawn: an older document (a late answer, a slow poll) is not drawn over a newer one. */
  drawnAt?: string;
  /** Loads the audit timeline again (after an action). */
  reloadAudit: () => Promise<void>;
}

let refreshTimer: number | undefined;
let page: TenantPage | undefined;
/** The run's live events, while the page shows it (undefined: none, so the page polls). */
let live: { tenantId: string; stop: () => void } | undefined;

/** Stops the page's updates and forgets its forms and timeline (leaving the page). */
export const stopRefresh = () => {
  window.clearTimeout(refreshTimer);
  live?.stop();
  live = undefined;
  page = undefined;
};

const shown = (tenantId: string) => location.hash === `#/t/${tenantId}`;

/** Draws each event of the run; when the stream ends, polling takes over (every 2 s). */
function goLive(tenantId: string): void {
  if (live?.tenantId === tenantId) return;
  live?.stop();
  const stop = followProgress(
    tenantId,
    (p) => shown(tenantId) && void renderTenant(tenantId, false, p),
    () => {
      if (live?.tenantId !== tenantId) return;
      live = undefined;
      refreshTimer = window.setTimeout(() => void renderTenant(tenantId), 2000);
    },
  );
  live = { tenantId, stop };
}

/** Lays out a tenant's page once: the head and checklist (updated in place), then the tools. */
async function buildPage(tenantId: string): Promise<TenantPage> {
  const acts = mayAct(await me().catch(() => undefined));
  const audit = auditSection(tenantId);
  const after = async () => {
    await renderTenant(tenantId, true);
    await audit.reload();
  };
  const built: TenantPage = {
    tenantId,
    head: h('div', { class: 'run-head' }),
    needs: needsSection(),
    summary: h('div'),
    steps: h('div'),
    mayAct: acts,
    reloadAudit: () => audit.reload(),
  };
  built.cancel = acts ? cancelSection(tenantId, after) : undefined;
  built.amend = acts ? amendSection(tenantId, after) : undefined;
  main.replaceChildren(
    built.head,
    built.summary,
    built.needs.el,
    built.steps,
    healthSection(tenantId, acts),
    recordSection(tenantId),
    audit.el,
    ...(acts ? [built.cancel!, built.amend!, offboardSection(tenantId, after)] : []),
  );
  return built;
}

/** The head: back link, name, status and progress; each part kept while it reads the same. */
function headParts(p: Json): Part[] {
  return [
    { key: 'back', sig: '', build: () => h('p', {}, h('a', { href: '#/' }, '< All onboardings')) },
    { key: 'name', sig: `${p.displayName}|${p.tenantId}`, build: () => h('h2', {}, `${p.displayName} (${p.tenantId})`) },
    // Only when the server names a Temporal Web UI (ONBOARD_TEMPORAL_UI_URL).
    ...(temporalLink(p.tenantId) ? [{ key: 'temporal', sig: String(p.tenantId), build: () => temporalLink(p.tenantId) as HTMLElement }] : []),
    {
      key: 'status',
      sig: '',
      build: () =>
        h(
          'p',
          {},
          h('span', { class: 'chip', id: 'run-status' }),
          ' ',
          h('span', { class: 'bar', role: 'img' }, h('span', {})),
          h('span', { class: 'percent' }),
        ),
      update: (el) => {
        const e = el as HTMLElement;
        setText(e.querySelector('#run-status')!, p.status);
        e.querySelector('.bar')!.setAttribute('aria-label', `${p.percent}% done`);
        (e.querySelector('.bar > span') as HTMLElement).style.width = `${p.percent}%`;
        setText(e.querySelector('.percent')!, ` ${p.percent}% done`);
      },
    },
    {
      key: 'cancelled',
      sig: `${p.status}|${p.cancelReason ?? ''}`,
      build: () =>
        p.status === 'cancelled' ? h('p', { class: 'meta' }, `Cancelled${p.cancelledBy ? ` by ${p.cancelledBy}` : ''}: ${p.cancelReason ?? ''}`) : null,
    },
  ];
}

/** Draws a progress document over the page as it is. */
function draw(at: TenantPage, p: Json, schemas: Map<string, Json>): void {
  const finished = p.status === 'completed' || p.status === 'cancelled';
  const ctx: StepContext = {
    tenantId: at.tenantId,
    progress: p,
    schemas,
    mayAct: at.mayAct,
    finished,
    acted: async (stepId, said, progress) => {
      await renderTenant(at.tenantId, true, progress);
      const status = document.getElementById(`said-${stepId}`);
      if (status) status.textContent = said;
      // The focus stays with the step acted on (its form or button may be gone now), not at the top.
      if (!document.getElementById(`step-${stepId}`)?.contains(document.activeElement)) document.getElementById(`title-${stepId}`)?.focus();
      await at.reloadAudit();
    },
  };
  reconcile(at.head, headParts(p));
  // A finished run waits on nobody; a completed one says what was verified instead.
  at.needs.el.hidden = finished;
  if (!finished) at.needs.update(p);
  reconcile(at.summary, [{ key: 'summary', sig: `${p.status}|${p.updatedAt}|${schemas.size}`, build: () => completionSummary(p, schemas) }]);
  reconcile(
    at.steps,
    PHASES.map((phase) => ({
      key: phase,
      sig: phase,
      build: () => h('section', { class: 'phase', 'aria-label': phase }),
      update: (section) =>
        reconcile(section, [
          { key: 'h2', sig: '', build: () => h('h2', {}, phase) },
          ...(p.steps as Json[])
            .filter((s) => s.phase === phase)
            .map((s) => ({
              key: s.id,
              sig: '',
              build: () => h('article', { class: 'step', id: `step-${s.id}`, 'aria-labelledby': `title-${s.id}` }),
              update: (article: Node) => reconcile(article, stepParts(s, ctx)),
            })),
        ]),
    })),
  );
  // A finished run takes no cancellation or amendment.
  const cancelAction = at.cancel?.querySelector<HTMLElement>('.inline-action');
  if (cancelAction) cancelAction.hidden = finished;
  if (at.amend) at.amend.hidden = finished;
}

export async function renderTenant(tenantId: string, force = false, given?: Json): Promise<void> {
  window.clearTimeout(refreshTimer);
  let p: Json;
  try {
    p = given ?? (await api('GET', `/api/v1/onboardings/${tenantId}`));
  } catch (err) {
    if (!page || page.tenantId !== tenantId) main.replaceChildren(h('p', {}, h('a', { href: '#/' }, '< All onboardings')), notice(err));
    else if (!live) refreshTimer = window.setTimeout(() => void renderTenant(tenantId), 2000);
    return;
  }
  if (!shown(tenantId)) return;
  if (!page || page.tenantId !== tenantId || !main.contains(page.head)) page = await buildPage(tenantId);
  const at = page;
  const schemas = await evidenceSchemas();
  // An older document than the one drawn (answers and events may cross) is left out, unless asked for.
  if (!force && at.drawnAt && p.updatedAt < at.drawnAt) return;
  if (!at.drawnAt || p.updatedAt > at.drawnAt) at.drawnAt = p.updatedAt;
  draw(at, p, schemas);
  const finished = p.status === 'completed' || p.status === 'cancelled';
  // Live while the run goes on: its events redraw the page (polling only when the stream is gone).
  if (!finished) goLive(tenantId);
  else if (live?.tenantId === tenantId) {
    live.stop();
    live = undefined;
  }
}
