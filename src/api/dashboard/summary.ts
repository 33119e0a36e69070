// "Completed: what was verified", at the top of a completed run's page: each step as it ended, in
// the guide's order: what the vendors answered when we checked (the step's `result`), what its
// person handed in (its `evidence`), who finished it and when, and each skipped step's reason.
import { h, type Json } from './dom.js';
import { SIDES } from './needs.js';

const at = (iso?: string) => (iso ? `${String(iso).slice(0, 16).replace('T', ' ')}Z` : '');

/** A result's key in words: `summaryExcerpt` reads "summary excerpt". */
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

const some = (o: unknown): o is Json => Boolean(o && typeof o === 'object' && Object.keys(o).length);

/** A value as text: lists of plain values joined; a nested answer (the SIP preflight's targets) as compact JSON. */
function valueText(v: unknown): string {
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.join(', ');
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function answers(o: Json, label: string, names: (k: string) => string): HTMLElement {
  return h(
    'div',
    { class: 'answers' },
    h('p', { class: 'answers-label' }, label),
    h('dl', {}, ...Object.entries(o).flatMap(([k, v]) => [h('dt', {}, names(k)), h('dd', {}, valueText(v))])),
  );
}

/** Who finished a step and when, in words. */
function whoLine(s: Json): string {
  const side = SIDES[s.side] ?? s.side;
  if (s.state === 'skipped') return `${side} \u00b7 skipped${s.completedBy ? ` by ${s.completedBy}` : ''}${s.completedAt ? ` at ${at(s.completedAt)}` : ''}`;
  if (s.kind === 'auto') return `${side} \u00b7 done by the onboarding itself at ${at(s.completedAt)}`;
  return `${side} \u00b7 done by ${s.completedBy ?? 'a person'} at ${at(s.completedAt)}`;
}

function stepItem(s: Json, schemas: Map<string, Json>): HTMLElement {
  const skipped = s.state === 'skipped';
  const schema = schemas.get(s.id);
  const fieldName = (k: string) => (schema?.properties?.[k]?.title as string | undefined) ?? words(k);
  return h(
    'li',
    { class: 'summary-step', 'data-step': s.id },
    h('span', { class: 'summary-title' }, s.title),
    ' ',
    h('span', { class: `chip state state-${s.state}` }, skipped ? 'skipped' : 'done'),
    h('p', { class: 'meta' }, whoLine(s)),
    skipped ? h('p', { class: 'skip-reason' }, `Reason: ${s.skipReason ?? 'none given'}`) : null,
    !skipped && some(s.result) ? answers(s.result, 'Verified: what the vendor answered', words) : null,
    !skipped && some(s.evidence) ? answers(s.evidence, 'Handed in', fieldName) : null,
    // A console step with nothing to check by API is taken on its person's word; later checks (the test call) prove it.
    !skipped && !some(s.result) && s.kind === 'human' ? h('p', { class: 'meta' }, 'Confirmed by its person (no API check of its own).') : null,
  );
}

/** The end-to-end proof in one line: what the test call and the summary check found (when the run has them). */
function proof(steps: Json[]): HTMLElement | null {
  const call = steps.find((s) => s.id === 'place-test-call' && s.state === 'done')?.result as Json | undefined;
  const summary = steps.find((s) => s.id === 'verify-conversation-summary' && s.state === 'done')?.result as Json | undefined;
  const parts = [
    call?.sessionId
      ? `the test call reached the bot (Kore.ai session ${call.sessionId}${call.engagementId ? `, ZCC engagement ${call.engagementId}` : ''})`
      : '',
    call && typeof call.transferredToAgent === 'boolean' ? `it was ${call.transferredToAgent ? '' : 'not '}transferred to a ZCC agent` : '',
    summary?.summaryExcerpt ? `XO GPT summarised it: "${summary.summaryExcerpt}"` : '',
  ].filter(Boolean);
  return parts.length ? h('p', { class: 'proof' }, `End to end: ${parts.join('; ')}.`) : null;
}

/** The summary of a completed run (null for any other run). */
export function completionSummary(p: Json, schemas: Map<string, Json>): HTMLElement | null {
  if (p.status !== 'completed') return null;
  const steps = p.steps as Json[];
  const done = steps.filter((s) => s.state === 'done').length;
  const skipped = steps.length - done;
  const verified = steps.filter((s) => s.state === 'done' && some(s.result)).length;
  return h(
    'section',
    { class: 'completion', id: 'completion', 'aria-labelledby': 'completion-title' },
    h('h2', { id: 'completion-title' }, 'Completed: what was verified'),
    h(
      'p',
      {},
      `Started ${at(p.startedAt)}, completed ${at(p.endedAt ?? p.updatedAt)}: ${done} step${done === 1 ? '' : 's'} done (${verified} with a vendor's answer), ${skipped} skipped.`,
    ),
    proof(steps),
    h('ol', { class: 'summary-steps' }, ...steps.map((s) => stepItem(s, schemas))),
  );
}
