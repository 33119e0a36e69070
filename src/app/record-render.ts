import { CONTENT_TYPES, type RecordFormat, type Side, type SignOffRecord } from './record';

/**
 * The sign-off record rendered: Markdown and self-contained, printable HTML, both from the same
 * rows of text (src/app/record.ts builds the record itself). Everything a person typed is escaped.
 */
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
