// The list page's rows: what a row says (from the list's own summary, or a per-row read for a run
// from before summaries), how rows sort, and updating the table in place so a refresh leaves
// focus and unchanged rows alone.
import { h, OPEN, since, type Json } from './dom.js';

/** Each status in words and a tone (the colour is never the only sign: the words are always there). */
const STATUSES: Record<string, { text: string; tone: string; rank: number }> = {
  'needs-attention': { text: 'Needs attention', tone: 'bad', rank: 0 },
  escalated: { text: 'Escalated', tone: 'bad', rank: 0 },
  'waiting-for-human': { text: 'Waiting on people', tone: 'wait', rank: 1 },
  running: { text: 'Running', tone: 'info', rank: 2 },
  completed: { text: 'Completed', tone: 'ok', rank: 3 },
  cancelled: { text: 'Cancelled', tone: 'off', rank: 4 },
};
/** A run Temporal ended on its own terms keeps the status it last published, so this wins. */
const RUN_ENDED: Record<string, string> = { failed: 'Run failed', terminated: 'Run terminated', 'timed-out': 'Run timed out' };

export interface RowView {
  tenantId: string;
  name: string;
  /** The status in words, its tone and its urgency (0 first). */
  status: { text: string; tone: string; rank: number };
  percent?: number;
  steps: string[];
  /** Since when the oldest human step has waited (open runs only). */
  waitSince?: string;
  started: string;
  /** Said instead of progress when the row's read failed; undefined while fine or loading. */
  error?: string;
  loading?: boolean;
  /** The API's order (open runs newest first, then the ended), for the default sort. */
  index: number;
}

export const isClosed = (o: Json) => o.status === 'cancelled' || o.status === 'completed' || (o.runStatus !== undefined && o.runStatus !== 'running');

function statusOf(o: Json): RowView['status'] {
  if (RUN_ENDED[o.runStatus]) return { text: RUN_ENDED[o.runStatus]!, tone: 'bad', rank: 0 };
  return STATUSES[o.status] ?? { text: String(o.status), tone: 'off', rank: 2 };
}

/** A row from the list's item; `read` is the run's progress when the item had no summary. */
export function rowView(o: Json, index: number, read?: { progress?: Json; error?: string }): RowView {
  const base = { tenantId: o.tenantId, index, started: o.startTime, status: statusOf(o) };
  if (o.percent !== undefined)
    return {
      ...base,
      name: o.displayName ?? o.tenantId,
      percent: o.percent,
      // A run that ended keeps the OpenSteps it last published; nothing is open in it any more.
      steps: isClosed(o) ? [] : o.openSteps.map((id: string) => o.openStepTitles?.[id] ?? id),
      waitSince: o.waitingOnHuman ? o.oldestWaitSince : undefined,
    };
  if (!read) return { ...base, name: o.tenantId, steps: [], loading: true };
  if (read.error || !read.progress) return { ...base, name: o.tenantId, steps: [], error: read.error ?? 'no answer' };
  const p = read.progress;
  const closed = isClosed({ ...o, status: p.status });
  const open = closed ? [] : (p.steps as Json[]).filter((s) => !['blocked', 'done', 'skipped'].includes(s.state));
  const waits = closed
    ? []
    : open
        .filter((s) => s.kind === 'human' && OPEN.has(s.state))
        .map((s) => s.openedAt)
        .filter(Boolean)
        .sort();
  return {
    ...base,
    status: statusOf({ ...o, status: p.status }),
    name: p.displayName ?? o.tenantId,
    percent: p.percent,
    steps: open.map((s) => s.title ?? s.id),
    waitSince: waits[0],
  };
}

export const SORTS: Record<string, { label: string; compare: (a: RowView, b: RowView) => number }> = {
  listed: { label: 'As listed (open runs first, newest first)', compare: (a, b) => a.index - b.index },
  attention: {
    label: 'Needs attention first',
    compare: (a, b) => rankOf(a) - rankOf(b) || (a.waitSince ?? '~').localeCompare(b.waitSince ?? '~') || a.index - b.index,
  },
  waiting: { label: 'Longest waiting first', compare: (a, b) => (a.waitSince ?? '~').localeCompare(b.waitSince ?? '~') || a.index - b.index },
  tenant: { label: 'Tenant (A to Z)', compare: (a, b) => a.name.localeCompare(b.name) || a.tenantId.localeCompare(b.tenantId) },
  progress: { label: 'Least progress first', compare: (a, b) => (a.percent ?? -1) - (b.percent ?? -1) || a.index - b.index },
};
const rankOf = (r: RowView) => (r.error ? 0 : r.status.rank);

function started(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** One row; `data-label` names each cell where the narrow layout stacks them (app.css). */
function rowElement(r: RowView): HTMLElement {
  const cell = (label: string, ...children: Array<Node | string>) => h('td', { 'data-label': label }, ...children);
  const chip = (s: RowView['status']) => h('span', { class: `status tone-${s.tone}` }, s.text);
  const tenant = h('td', { class: 'tenant' }, h('a', { href: `#/t/${r.tenantId}` }, r.name), h('span', { class: 'meta' }, ` ${r.tenantId}`));
  if (r.loading)
    return h('tr', { 'data-key': r.tenantId }, tenant, cell('Status', chip(r.status)), h('td', { colspan: '4', class: 'meta' }, 'Reading this onboarding…'));
  if (r.error)
    return h(
      'tr',
      { 'data-key': r.tenantId, class: 'row-error' },
      tenant,
      cell('Status', h('span', { class: 'status tone-bad' }, 'Could not read')),
      h('td', { colspan: '4', class: 'error' }, `This onboarding could not be read: ${r.error}. The list tries again on its next refresh.`),
    );
  return h(
    'tr',
    { 'data-key': r.tenantId },
    tenant,
    cell('Status', chip(r.status)),
    cell('Progress', h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${r.percent ?? 0}%` })), ` ${r.percent ?? 0}%`),
    cell('Open steps', r.steps.length ? h('ul', { class: 'open-steps' }, ...r.steps.map((t) => h('li', {}, t))) : h('span', { class: 'meta' }, 'none')),
    cell('Waiting for', r.waitSince ? h('time', { class: 'wait', datetime: r.waitSince }, since(r.waitSince)) : ''),
    cell('Started', r.started ? h('time', { datetime: r.started }, started(r.started)) : ''),
  );
}

/**
 * Puts these rows in the table, in order, touching only what changed: an unchanged row stays the
 * same element (a focused link keeps focus), a changed one is replaced (focus moved to its link),
 * and only the wait ages are rewritten.
 */
export function syncRows(body: HTMLElement, rows: RowView[], empty: string): void {
  const old = new Map([...body.querySelectorAll<HTMLElement>('tr[data-key]')].map((tr) => [tr.dataset.key!, tr]));
  const want: HTMLElement[] = rows.map((r) => {
    const sig = JSON.stringify({ ...r, index: 0 });
    const was = old.get(r.tenantId);
    if (was?.dataset.sig === sig) return was;
    const tr = rowElement(r);
    tr.dataset.sig = sig;
    if (was?.contains(document.activeElement)) queueMicrotask(() => tr.querySelector('a')?.focus());
    return tr;
  });
  if (!want.length) want.push(h('tr', { 'data-empty': '' }, h('td', { colspan: '6' }, empty)));
  const keep = new Set(want);
  for (const child of [...body.children]) if (!keep.has(child as HTMLElement)) child.remove();
  want.forEach((tr, i) => {
    if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] ?? null);
  });
  for (const t of body.querySelectorAll<HTMLElement>('time.wait')) t.textContent = since(t.getAttribute('datetime') ?? undefined);
}
