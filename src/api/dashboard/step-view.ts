// One step of the tenant page as keyed parts (./reconcile.ts): a live update changes the state chip
// and texts in place, and rebuilds a part (the evidence form, the instructions) only when what it
// shows changed, so drafts, focus, selection and scroll survive.
import type { AfterChange } from './corrections.js';
import { reopenForm } from './corrections.js';
import { copyButton, h, OPEN, since, type Json } from './dom.js';
import { evidenceForm } from './evidence-form.js';
import { instructionList } from './instructions.js';
import { setText, type Part } from './reconcile.js';
import { inlineAction, retryControl, skipControl } from './step-actions.js';

export interface StepContext {
  tenantId: string;
  progress: Json;
  schemas: Map<string, Json>;
  mayAct: boolean;
  finished: boolean;
  /** After an action on the step went through: says `said` in the step, draws `progress` (or reads it again), and focuses the step's heading. */
  acted: (stepId: string, said: string, progress?: Json) => Promise<void>;
}

const FINISHED = new Set(['done', 'skipped']);
/** States in which a message is news about waiting, not an error. */
const WAITING = new Set(['running', 'awaiting-approval', 'verifying']);

function metaLine(s: Json): string {
  const at = s.completedAt ? ` at ${String(s.completedAt).slice(0, 16).replace('T', ' ')}Z` : '';
  return [
    s.id,
    s.completedBy && s.state !== 'skipped' ? ` - by ${s.completedBy}${at}` : '',
    s.state === 'skipped' ? ` - skipped${s.skipReason ? `: ${s.skipReason}` : ''}` : '',
    s.state === 'blocked' ? ` - waits for ${s.waitingFor.join(', ')}` : '',
    OPEN.has(s.state) ? ` - open for ${since(s.openedAt)}${s.reminders ? `, ${s.reminders} reminder(s)` : ''}${s.escalated ? ', escalated' : ''}` : '',
  ].join('');
}

/** A definition list of values, each with a Copy button; a nested vendor answer is shown as JSON, a field by its label. */
function valueList(o: Json, attrs: Record<string, string>, schema?: Json, prefix = ''): HTMLElement {
  return h(
    'dl',
    attrs,
    ...Object.entries(o).flatMap(([k, v]) => {
      const text = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
      const name = `${prefix}${(schema?.properties?.[k]?.title as string | undefined) ?? k}`;
      return [h('dt', {}, name), h('dd', {}, text, copyButton(text, name))];
    }),
  );
}

const some = (o: unknown): o is Json => Boolean(o && typeof o === 'object' && Object.keys(o).length);

export function stepParts(s: Json, c: StepContext): Part[] {
  const after: AfterChange = (said) => c.acted(s.id, said);
  const canAct = c.mayAct && !c.finished;
  // Evidence handed in is the step's record once it is finished or being checked; a refused claim stays in the form instead.
  const evidence = FINISHED.has(s.state) || s.state === 'verifying' ? s.evidence : undefined;
  const formOpen = s.kind === 'human' && OPEN.has(s.state) && canAct;
  const skippable = s.skippable && canAct && !FINISHED.has(s.state) && s.state !== 'verifying';
  const reopenable = FINISHED.has(s.state) && canAct;
  return [
    {
      key: 'head',
      sig: `${s.title}|${s.automation?.mode ?? ''}`,
      build: () =>
        h(
          'h3',
          { id: `title-${s.id}`, tabindex: '-1' },
          s.title,
          ' ',
          h('span', { class: 'chip state' }),
          // A console step an API can do: how this run does it (the note, when a person does, ends its instructions).
          s.automation ? h('span', { class: 'chip' }, s.automation.mode === 'auto' ? 'by API' : 'by a person') : '',
        ),
      update: (el) => {
        const chip = (el as HTMLElement).querySelector('.chip.state')!;
        setText(chip, s.state);
        chip.className = `chip state state-${s.state}`;
      },
    },
    { key: 'meta', sig: '', build: () => h('p', { class: 'meta' }), update: (el) => setText(el as Element, metaLine(s)) },
    {
      key: 'error',
      sig: `${s.state}|${s.lastError ?? ''}`,
      build: () =>
        !s.lastError || FINISHED.has(s.state)
          ? null
          : WAITING.has(s.state)
            ? h('p', { class: 'meta waiting' }, s.lastError)
            : h('p', { class: 'error' }, s.lastError),
    },
    {
      key: 'reopened',
      sig: JSON.stringify(s.reopened ?? null),
      build: () => (s.reopened ? h('p', { class: 'meta' }, `Reopened by ${s.reopened.by} (${s.reopened.origin}): ${s.reopened.reason}`) : null),
    },
    {
      key: 'previous',
      // What it had before it went back: the person may hand the same in again.
      sig: JSON.stringify(!s.evidence ? (s.previous?.evidence ?? null) : null),
      build: () =>
        !s.evidence && some(s.previous?.evidence)
          ? valueList(s.previous.evidence, { class: 'meta previous', 'aria-label': 'Previous evidence' }, c.schemas.get(s.id), 'previous ')
          : null,
    },
    {
      key: 'record',
      // What a person handed in (domain, DID, SIP URI...) and what a check found, each copyable.
      sig: JSON.stringify([evidence ?? null, s.result ?? null]),
      build: () => {
        const lists = [evidence, s.result].filter(some).map((o) => valueList(o, { class: 'meta' }, o === evidence ? c.schemas.get(s.id) : undefined));
        return lists.length ? h('div', { class: 'record' }, ...lists) : null;
      },
    },
    {
      key: 'instructions',
      sig: FINISHED.has(s.state) ? '' : JSON.stringify(s.instructions),
      build: () => (FINISHED.has(s.state) ? null : instructionList(s.instructions)),
    },
    {
      key: 'form',
      // Rebuilt only when it opens or closes, or its fields change; what is typed is a draft either way.
      sig: formOpen ? `open|${(s.evidenceFields as string[]).join(',')}|${c.schemas.has(s.id)}` : '',
      build: () =>
        formOpen
          ? evidenceForm(s, { tenantId: c.tenantId, progress: c.progress, schema: c.schemas.get(s.id), done: (said, p) => c.acted(s.id, said, p) })
          : null,
    },
    {
      key: 'retry',
      sig: String(s.state === 'needs-attention' && canAct),
      build: () => (s.state === 'needs-attention' && canAct ? retryControl(c.tenantId, s, after) : null),
    },
    { key: 'skip', sig: String(skippable), build: () => (skippable ? skipControl(c.tenantId, s, after) : null) },
    {
      key: 'reopen',
      sig: String(reopenable),
      build: () => (reopenable ? inlineAction('Reopen', `reopen-toggle-${s.id}`, (close) => reopenForm(c.tenantId, s, close, after)) : null),
    },
    // What the last action on the step did, said to screen readers and shown in the step.
    { key: 'said', sig: '', build: () => h('p', { role: 'status', class: 'said', id: `said-${s.id}` }) },
  ];
}
