// "Needs you now", at the top of a run's page: the steps waiting on a person (open for their
// person, held for a Kore.ai administrator's approval, or needing an engineer's attention), each a
// button to its step, filterable by side and by whom it waits for; a banner (words, not only colour)
// when a step needs attention or was escalated; and, when nothing waits, what runs meanwhile.
// Laid out once per visit and updated in place (./reconcile.ts), so the filters a person chose and
// the focus stay through every live update.
import { h, OPEN, since, type Json } from './dom.js';
import { reconcile, setText, type Part } from './reconcile.js';

export const SIDES: Record<string, string> = { kore: 'Kore.ai', zoom: 'Zoom' };
const BUSY = new Set(['running', 'verifying']);

/** A step waiting on a person now: open for its person, held for approval, or needing attention. */
export const waitsOnPerson = (s: Json) => OPEN.has(s.state) || s.state === 'needs-attention' || s.state === 'awaiting-approval';

/**
 * Whom a waiting step waits for, as the run knows it: the progress document names no assignee, so
 * it is the role the step's state and side call for (a console step's person is on its vendor's
 * side, and the tenant's owner is the one reminded); a step needing attention waits for an
 * engineer (Retry, Skip or Reopen are theirs).
 */
export function waitsFor(s: Json): string {
  if (s.state === 'needs-attention') return 'Engineer';
  if (s.state === 'awaiting-approval') return 'Kore.ai account administrator';
  return `${SIDES[s.side] ?? s.side} admin`;
}

function itemPart(s: Json, owner: string | undefined): Part {
  const attention = s.state === 'needs-attention';
  const detail = [
    SIDES[s.side] ?? s.side,
    attention ? 'needs attention' : s.state === 'awaiting-approval' ? 'held for approval' : `open for ${since(s.openedAt)}`,
    `waits for ${waitsFor(s)}`,
    OPEN.has(s.state) && owner ? `reminders to ${owner}` : '',
    s.escalated ? 'escalated' : '',
  ].filter(Boolean);
  return {
    key: s.id,
    sig: `${s.title}|${s.state}|${s.side}|${waitsFor(s)}`,
    build: () =>
      h(
        'li',
        { class: `need${attention ? ' need-attention' : ''}`, 'data-side': s.side, 'data-waits-for': waitsFor(s), 'data-step': s.id },
        h(
          'button',
          {
            type: 'button',
            class: 'linkish',
            // To the step: its heading takes the focus (tabindex -1), so Tab goes on from its form.
            onclick: () => {
              const title = document.getElementById(`title-${s.id}`);
              title?.scrollIntoView({ block: 'start' });
              title?.focus();
            },
          },
          s.title,
        ),
        h('span', { class: 'meta need-detail' }),
      ),
    update: (el) => setText((el as HTMLElement).querySelector('.need-detail')!, ` ${detail.join(' \u00b7 ')}`),
  };
}

/** The banner's words: each step needing attention and each escalated one, by title. */
function bannerText(steps: Json[]): string {
  const attention = steps.filter((s) => s.state === 'needs-attention').map((s) => s.title);
  const escalated = steps.filter((s) => s.escalated && waitsOnPerson(s)).map((s) => s.title);
  return [
    attention.length ? `Needs attention: ${attention.join('; ')}.` : '',
    escalated.length ? `Escalated (waiting past the escalation time): ${escalated.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The panel: built once, then `update` with each progress document. */
export function needsSection(): { el: HTMLElement; update: (p: Json) => void } {
  const side = h(
    'select',
    { id: 'needs-side' },
    h('option', { value: '' }, 'All sides'),
    ...Object.entries(SIDES).map(([v, t]) => h('option', { value: v }, t)),
  ) as HTMLSelectElement;
  const who = h('select', { id: 'needs-who' }, h('option', { value: '' }, 'Anyone')) as HTMLSelectElement;
  const banner = h('div', { class: 'needs-banner' });
  const list = h('ul', { class: 'needs-list', id: 'needs-list' });
  const summary = h('p', { class: 'meta', id: 'needs-summary', role: 'status' });
  const filters = h(
    'div',
    { class: 'filters needs-filters' },
    h('div', {}, h('label', { for: 'needs-side' }, 'Side'), ' ', side),
    h('div', {}, h('label', { for: 'needs-who' }, 'Waits for'), ' ', who),
  );
  const el = h(
    'section',
    { class: 'needs', id: 'needs', 'aria-labelledby': 'needs-title' },
    h('h2', { id: 'needs-title' }, 'Needs you now'),
    banner,
    filters,
    summary,
    list,
  );
  let last: Json | undefined;

  /** Shows the items the filters let through, and says how many the filters hide. */
  const filter = () => {
    if (!last) return;
    const items = [...list.querySelectorAll<HTMLElement>('li.need')];
    for (const li of items) li.hidden = Boolean((side.value && li.dataset.side !== side.value) || (who.value && li.dataset.waitsFor !== who.value));
    const shown = items.filter((li) => !li.hidden).length;
    const running = (last.steps as Json[]).filter((s) => BUSY.has(s.state)).map((s) => s.title);
    const text = !items.length
      ? `Nothing waits on a person right now.${running.length ? ` Running by itself: ${running.join('; ')}.` : ''}`
      : shown === items.length
        ? `${items.length} step${items.length > 1 ? 's wait' : ' waits'} on a person.`
        : `${shown} of ${items.length} steps waiting on a person shown; the filters hide ${items.length - shown}.`;
    setText(summary, text);
    filters.hidden = !items.length;
  };
  side.addEventListener('change', filter);
  who.addEventListener('change', filter);

  const update = (p: Json) => {
    last = p;
    const steps = p.steps as Json[];
    const waiting = steps.filter(waitsOnPerson);
    // The "waits for" choices are the values present now, and the one chosen (kept even when no step has it any more).
    const values = [...new Set([...waiting.map(waitsFor), ...(who.value ? [who.value] : [])])].sort();
    const have = [...who.options].slice(1).map((o) => o.value);
    if (have.join('|') !== values.join('|')) {
      const chosen = who.value;
      for (const o of [...who.options].slice(1)) o.remove();
      for (const v of values) who.append(h('option', { value: v }, v));
      who.value = chosen;
    }
    const words = bannerText(steps);
    // Rebuilt only when its words change: an alert is said again each time it is inserted.
    reconcile(banner, [{ key: 'banner', sig: words, build: () => (words ? h('p', { role: 'alert', class: 'notice' }, words) : null) }]);
    reconcile(
      list,
      waiting.map((s) => itemPart(s, p.tenant?.contacts?.owner)),
    );
    filter();
  };
  return { el, update };
}
