import { Offboarding } from './offboard';
import { z } from 'zod';
import { Amendment, OnboardingStatus, ShownTenant, StepState, type Progress, type StepProgress } from '../../workflows/contract';

/**
 * The sign-off record: what a customer or a change board signs once an onboarding is done, built
 * from the run's progress alone (so it holds nothing progress does not: no secret, evidence
 * redacted as progress redacts it). buildRecord is pure; the renderers turn the record into
 * Markdown or a self-contained, printable HTML page, escaping every value (evidence is typed by people).
 */
export const RECORD_FORMATS = ['json', 'md', 'html'] as const;
export const RecordFormat = z.enum(RECORD_FORMATS, { error: `must be one of ${RECORD_FORMATS.join(', ')}` });
export type RecordFormat = z.infer<typeof RecordFormat>;

export const CONTENT_TYPES: Record<RecordFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

const Values = z.record(z.string(), z.unknown());
/** Who works a step: a person in the Kore.ai console, one in Zoom's, or the automation. */
export const Side = z.enum(['kore', 'zoom', 'automatic']);
export type Side = z.infer<typeof Side>;
const SIDES: readonly Side[] = Side.options;

export const RecordStep = z.object({
  id: z.string(),
  title: z.string(),
  phase: z.string(),
  side: Side,
  state: StepState,
  /** When it opened for its person (human) or its activity last started (automatic). */
  openedAt: z.string().optional(),
  /** When its person handed in the evidence (a verifier may have finished it later). */
  handedInAt: z.string().optional(),
  /** Who finished it (a person, or the automation) and when. */
  by: z.string().optional(),
  at: z.string().optional(),
  /** From its (last) opening to its finish. */
  durationMs: z.number().optional(),
  attempts: z.number(),
  evidence: Values.optional(),
  result: Values.optional(),
  skipReason: z.string().optional(),
});
export type RecordStep = z.infer<typeof RecordStep>;

/** A check by API: what Kore.ai or Zoom answered (the step's result). */
export const Verification = z.object({
  stepId: z.string(),
  title: z.string(),
  side: Side,
  state: StepState,
  by: z.string().optional(),
  at: z.string().optional(),
  answers: Values,
  skipReason: z.string().optional(),
});
export type Verification = z.infer<typeof Verification>;

/** A step sent back after it was finished, with what it had then. */
export const Reopen = z.object({
  stepId: z.string(),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  /** The step reopened by hand (its own id, or the one it depends on), or `amendTenant (fields)`. */
  origin: z.string(),
  before: z.object({
    by: z.string().optional(),
    at: z.string().optional(),
    durationMs: z.number().optional(),
    evidence: Values.optional(),
    result: Values.optional(),
    skipReason: z.string().optional(),
  }),
});
export type Reopen = z.infer<typeof Reopen>;

export const SideDurations = z.object({
  side: Side,
  steps: z.number(),
  finished: z.number(),
  /** The steps' durations added up (what the side spent on them). */
  workMs: z.number(),
  /** From the side's first opening to its last finish (its steps overlap, so this is less than the sum). */
  spanMs: z.number().optional(),
  firstOpenedAt: z.string().optional(),
  lastFinishedAt: z.string().optional(),
});
export type SideDurations = z.infer<typeof SideDurations>;

export const SignOffRecord = z.object({
  record: z.literal('kore-zcc-onboarding sign-off record'),
  version: z.literal(1),
  generatedAt: z.string(),
  tenant: z.object({ tenantId: z.string(), displayName: z.string(), details: ShownTenant.optional() }),
  run: z.object({
    status: OnboardingStatus,
    percent: z.number(),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    durationMs: z.number().optional(),
    cancelReason: z.string().optional(),
    cancelledBy: z.string().optional(),
  }),
  /** When the tenant was offboarded here (src/app/offboard.ts). */
  offboarding: Offboarding.optional(),
  steps: z.array(RecordStep),
  verifications: z.array(Verification),
  reopens: z.array(Reopen),
  amendments: z.array(Amendment),
  durations: z.array(SideDurations),
});
export type SignOffRecord = z.infer<typeof SignOffRecord>;

const FINISHED = new Set<string>(['done', 'skipped']);
const sideOf = (s: StepProgress): Side => (s.kind === 'auto' ? 'automatic' : s.side);
const between = (from?: string, to?: string) => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : undefined);
const nonEmpty = (v?: Record<string, unknown>) => (v && Object.keys(v).length ? v : undefined);

/** The record of a run, as of `generatedAt`. */
export function buildRecord(progress: Progress, opts: { generatedAt?: Date; offboarding?: Offboarding } = {}): SignOffRecord {
  const steps: RecordStep[] = progress.steps.map((s) => {
    const openedAt = s.kind === 'auto' ? s.startedAt : s.openedAt;
    const finished = FINISHED.has(s.state);
    return {
      id: s.id,
      title: s.title,
      phase: s.phase,
      side: sideOf(s),
      state: s.state,
      openedAt,
      handedInAt: s.claimedAt,
      by: finished ? s.completedBy : undefined,
      at: finished ? s.completedAt : undefined,
      durationMs: finished ? between(openedAt, s.completedAt) : undefined,
      attempts: s.attempts,
      evidence: nonEmpty(s.evidence),
      result: nonEmpty(s.result),
      skipReason: s.skipReason,
    };
  });
  const verifications: Verification[] = progress.steps
    .filter((s) => s.kind === 'auto' || nonEmpty(s.result))
    .map((s) => ({
      stepId: s.id,
      title: s.title,
      side: sideOf(s),
      state: s.state,
      by: FINISHED.has(s.state) ? s.completedBy : undefined,
      at: FINISHED.has(s.state) ? s.completedAt : undefined,
      answers: s.result ?? {},
      skipReason: s.skipReason,
    }));
  const reopens: Reopen[] = progress.steps
    .filter((s) => s.reopened)
    .map((s) => {
      const p = s.previous ?? {};
      return {
        stepId: s.id,
        ...s.reopened!,
        before: {
          by: p.completedBy,
          at: p.completedAt,
          durationMs: between(s.kind === 'auto' ? p.startedAt : p.openedAt, p.completedAt),
          evidence: nonEmpty(p.evidence),
          result: nonEmpty(p.result),
          skipReason: p.skipReason,
        },
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
  const durations = SIDES.map((side) => sideDurations(side, steps));
  return SignOffRecord.parse({
    record: 'kore-zcc-onboarding sign-off record',
    version: 1,
    generatedAt: (opts.generatedAt ?? new Date()).toISOString(),
    tenant: { tenantId: progress.tenantId, displayName: progress.displayName, details: progress.tenant },
    run: {
      status: progress.status,
      percent: progress.percent,
      startedAt: progress.startedAt,
      endedAt: progress.endedAt,
      durationMs: between(progress.startedAt, progress.endedAt),
      cancelReason: progress.cancelReason,
      cancelledBy: progress.cancelledBy,
    },
    ...(opts.offboarding ? { offboarding: opts.offboarding } : {}),
    steps,
    verifications,
    reopens,
    amendments: progress.amendments,
    durations,
  });
}

function sideDurations(side: Side, all: RecordStep[]): SideDurations {
  const steps = all.filter((s) => s.side === side);
  const finished = steps.filter((s) => FINISHED.has(s.state));
  const opened = steps.map((s) => s.openedAt).filter((t): t is string => Boolean(t));
  const ends = finished.map((s) => s.at).filter((t): t is string => Boolean(t));
  const firstOpenedAt = opened.sort()[0];
  const lastFinishedAt = ends.sort().at(-1);
  return {
    side,
    steps: steps.length,
    finished: finished.length,
    workMs: finished.reduce((sum, s) => sum + (s.durationMs ?? 0), 0),
    spanMs: finished.length === steps.length ? between(firstOpenedAt, lastFinishedAt) : undefined,
    firstOpenedAt,
    lastFinishedAt,
  };
}

// ---- rendering

/** 3.2 s, 4m 05s, 2h 03m, 3d 04h: enough precision to sign, no more. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** A value as one line of text (arrays joined, objects as JSON). */
function text(v: unknown): string {
  if (v === undefined || v === null || v === '') return '-';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length ? v.map(text).join(', ') : '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Nested values as dotted paths (the tenant, evidence, a vendor's answer), in their order. */
function flatten(v: Record<string, unknown> | undefined, prefix = ''): Array<[string, string]> {
  if (!v) return [];
  return Object.entries(v).flatMap(([k, x]) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? flatten(x as Record<string, unknown>, `${prefix}${k}.`)
      : [[`${prefix}${k}`, text(x)] as [string, string]],
  );
}

const SIDE_LABEL: Record<Side, string> = { kore: 'Kore.ai (person)', zoom: 'Zoom (person)', automatic: 'automatic' };

/** The record's sections as rows of text, shared by both renderers (which only escape and lay them out). */
function sections(r: SignOffRecord) {
  const run = r.run;
  const summary = [
    `Status: ${run.status} (${run.percent}% done).`,
    `Started ${run.startedAt}; ${run.endedAt ? `ended ${run.endedAt}, after ${formatDuration(run.durationMs)}` : 'not ended'}.`,
    ...(run.cancelReason ? [`Cancelled by ${run.cancelledBy ?? '-'}: ${run.cancelReason}`] : []),
    ...(r.offboarding
      ? [`Offboarded ${r.offboarding.at} by ${r.offboarding.by}: ${r.offboarding.reason} (${r.offboarding.secretFilesDeleted} stored secret file(s) deleted).`]
      : []),
    `Record generated ${r.generatedAt} from the run's progress; evidence is shown as the run shows it, secrets never.`,
  ];
  const tenant = [
    ['tenantId', r.tenant.tenantId],
    ['displayName', r.tenant.displayName],
    ...flatten(r.tenant.details).filter(([k]) => k !== 'tenantId' && k !== 'displayName'),
  ];
  const steps = r.steps.map((s) => [
    s.id,
    s.title,
    SIDE_LABEL[s.side],
    s.state,
    text(s.by),
    text(s.at),
    text(s.openedAt),
    formatDuration(s.durationMs),
    String(s.attempts),
  ]);
  const evidence = r.steps.flatMap((s) => [
    ...flatten(s.evidence).map(([k, v]) => [s.id, k, v]),
    ...(s.skipReason ? [[s.id, 'skipped because', s.skipReason]] : []),
  ]);
  const verifications = r.verifications.flatMap((v) => {
    const answers = flatten(v.answers);
    const rows = answers.length ? answers : [[v.skipReason ? 'skipped because' : 'answer', v.skipReason ?? '-']];
    return rows.map(([k, x]) => [v.stepId, v.state, text(v.at), k!, x!]);
  });
  const reopens = r.reopens.map((o) => [
    o.stepId,
    o.at,
    o.by,
    o.reason,
    o.origin,
    [
      o.before.by || o.before.at ? `${text(o.before.by)} at ${text(o.before.at)} (${formatDuration(o.before.durationMs)})` : '',
      ...flatten(o.before.evidence).map(([k, v]) => `${k}=${v}`),
      ...flatten(o.before.result).map(([k, v]) => `${k}=${v}`),
      o.before.skipReason ? `skipped: ${o.before.skipReason}` : '',
    ]
      .filter(Boolean)
      .join('; ') || '-',
  ]);
  const amendments = r.amendments.map((a) => [a.at, a.by, a.reason, a.fields.join(', ') || '-', a.reopened.join(', ') || '-']);
  const durations = r.durations.map((d) => [
    SIDE_LABEL[d.side],
    `${d.finished} of ${d.steps}`,
    formatDuration(d.workMs),
    formatDuration(d.spanMs),
    text(d.firstOpenedAt),
    text(d.lastFinishedAt),
  ]);
  return {
    title: `Onboarding record: ${r.tenant.displayName} (${r.tenant.tenantId})`,
    summary,
    tables: [
      { id: 'tenant', title: 'Tenant', head: ['field', 'value'], rows: tenant, empty: '', nowrap: [0] },
      {
        id: 'steps',
        title: 'Steps',
        head: ['step', 'title', 'side', 'state', 'by', 'finished at', 'opened at', 'took', 'attempts'],
        rows: steps,
        empty: '',
        nowrap: [0, 3, 4, 5, 6, 7],
      },
      { id: 'evidence', title: 'Evidence', head: ['step', 'field', 'value'], rows: evidence, empty: 'No evidence was handed in.', nowrap: [0, 1] },
      {
        id: 'verifications',
        title: 'Verifications: what the vendors answered',
        head: ['step', 'state', 'at', 'answer', 'value'],
        rows: verifications,
        empty: 'No verification ran.',
        nowrap: [0, 1, 2, 3],
      },
      {
        id: 'reopens',
        title: 'Reopened steps',
        head: ['step', 'at', 'by', 'reason', 'origin', 'before'],
        rows: reopens,
        empty: 'No step was reopened.',
        nowrap: [0, 1, 2],
      },
      {
        id: 'amendments',
        title: 'Amendments of the tenant',
        head: ['at', 'by', 'reason', 'fields', 'steps sent back'],
        rows: amendments,
        empty: 'The tenant was not amended.',
        nowrap: [0, 1],
      },
      {
        id: 'durations',
        title: 'Durations by side',
        head: ['side', 'steps finished', 'work (sum of steps)', 'span (first opened to last finished)', 'first opened', 'last finished'],
        rows: durations,
        empty: '',
        nowrap: [4, 5],
      },
    ] as Array<{ id: string; title: string; head: string[]; rows: string[][]; empty: string; nowrap: number[] }>,
  };
}

/**
 * Backslash-escapes (CommonMark's, for ASCII punctuation) every character that could make what a
 * person typed into markup: emphasis, code, a link, raw HTML or an entity, a heading's end, a table
 * cell break, strikethrough. Line breaks become spaces (a value is one cell or one line).
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\\`*_[\]<>#|~&]/g, (c) => `\\${c}`);
}

export function renderMarkdown(r: SignOffRecord): string {
  const s = sections(r);
  const md = (v: string) => escapeMarkdown(v);
  const table = (head: string[], rows: string[][]) => [
    `| ${head.map(md).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(md).join(' | ')} |`),
  ];
  const lines = [`# ${md(s.title)}`, '', ...s.summary.map((l) => `${md(l)}  `), ''];
  for (const t of s.tables) lines.push(`## ${md(t.title)}`, '', ...(t.rows.length ? table(t.head, t.rows) : [md(t.empty)]), '');
  lines.push(
    '## Sign-off',
    '',
    ...SIGNERS.map((who) => `${md(who)}: name \\_\\_\\_\\_\\_\\_\\_\\_ signature \\_\\_\\_\\_\\_\\_\\_\\_ date \\_\\_\\_\\_\\_\\_\\_\\_  `),
    '',
  );
  return lines.join('\n');
}

const SIGNERS = ['For the customer', 'For the change board'];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Printed landscape (the steps table is wide): each section on its own page, header rows repeated,
 * rows never split, and ids, people and times never broken (chromium breaks `2026-12-` from the
 * rest of a time otherwise), so they read and search whole.
 */
const CSS = `
:root { color-scheme: light; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #888; padding-bottom: .2rem; }
p { margin: .2rem 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid #999; padding: .25rem .45rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #eee; font-weight: 600; }
td.nowrap { white-space: nowrap; }
.sign { display: grid; grid-template-columns: 12rem 1fr 1fr 9rem; gap: 1.6rem .8rem; margin-top: 1rem; }
.sign span { border-bottom: 1px solid #111; min-height: 1.8rem; }
.empty { color: #444; font-style: italic; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 8.5pt; }
  nav, .no-print { display: none; }
  section { break-before: page; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, .sign { break-inside: avoid; }
  th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

export function renderHtml(r: SignOffRecord): string {
  const s = sections(r);
  const h = escapeHtml;
  const table = (t: (typeof s.tables)[number]) =>
    t.rows.length
      ? `<table><thead><tr>${t.head.map((c) => `<th scope="col">${h(c)}</th>`).join('')}</tr></thead><tbody>\n${t.rows
          .map((row) => `<tr>${row.map((c, i) => `<td${t.nowrap.includes(i) ? ' class="nowrap"' : ''}>${h(c)}</td>`).join('')}</tr>`)
          .join('\n')}\n</tbody></table>`
      : `<p class="empty">${h(t.empty)}</p>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing in the page loads or runs anything: it is read, printed and signed.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${h(s.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${h(s.title)}</h1>${s.summary.map((l) => `<p>${h(l)}</p>`).join('')}</header>`,
    ...s.tables.map((t, i) => `<section id="${t.id}"${i === 0 ? ' style="break-before: auto"' : ''}><h2>${h(t.title)}</h2>\n${table(t)}</section>`),
    `<section id="sign-off"><h2>Sign-off</h2><div class="sign">${SIGNERS.map(
      (who) => `<strong>${h(who)}</strong><span aria-label="name"></span><span aria-label="signature"></span><span aria-label="date"></span>`,
    ).join('')}</div></section>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The record in a format, with its content type. */
export function renderRecord(r: SignOffRecord, format: RecordFormat): { body: string; contentType: string } {
  const body = format === 'md' ? renderMarkdown(r) : format === 'html' ? renderHtml(r) : `${JSON.stringify(r, null, 2)}\n`;
  return { body, contentType: CONTENT_TYPES[format] };
}
