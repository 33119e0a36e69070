import { formatDuration } from '../domain/duration';
import type { Progress, StepProgress } from '../app';
import { PHASES } from '../domain/steps';

/** `onboard status`: the checklist by the guide's phases, then what to do next, with the tenant's values. */
const MARK: Record<StepProgress['state'], string> = {
  done: '[x]',
  skipped: '[-]',
  blocked: '[ ]',
  open: '[>]',
  'waiting-for-human': '[>]',
  running: '[~]',
  'awaiting-approval': '[~]',
  verifying: '[~]',
  'needs-attention': '[!]',
};

const since = (iso: string | undefined, now: number) => (iso ? formatDuration(Math.max(0, now - Date.parse(iso))) : '');

function stepLine(s: StepProgress, now: number): string {
  let tail: string;
  switch (s.state) {
    case 'done':
      tail = `done${s.completedBy ? ` by ${s.completedBy}` : ''}${s.completedAt ? ` at ${s.completedAt.slice(0, 16).replace('T', ' ')}Z` : ''}`;
      break;
    case 'skipped':
      tail = `skipped by ${s.completedBy ?? '?'}: ${s.skipReason ?? ''}`;
      break;
    case 'blocked':
      tail = `waits for ${s.waitingFor.join(', ')}`;
      break;
    case 'open':
    case 'waiting-for-human':
      tail = `OPEN for ${since(s.openedAt, now)}${s.reminders ? `, ${s.reminders} reminder(s)` : ''}${s.escalated ? ', ESCALATED' : ''}${s.lastError ? ` - last check: ${s.lastError}` : ''}`;
      break;
    case 'needs-attention':
      tail = `NEEDS ATTENTION: ${s.lastError ?? ''}`;
      break;
    case 'awaiting-approval':
      tail = `AWAITING APPROVAL: ${s.lastError ?? ''}`;
      break;
    default:
      tail = `${s.state}${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}${s.lastError ? ` - ${s.lastError}` : ''}`;
  }
  // How a console step an API can do is done this run (by API, or by a person and why).
  const how = s.automation ? (s.automation.mode === 'auto' ? ' (by API)' : ' (by a person)') : '';
  return `  ${MARK[s.state]} ${s.id.padEnd(28)} ${tail}${how}`;
}

export function renderStatus(p: Progress, now = Date.now()): string[] {
  const lines = [`${p.displayName} (${p.tenantId}): ${p.status}, ${p.percent}% done${p.cancelReason ? ` - cancelled: ${p.cancelReason}` : ''}`];
  for (const phase of PHASES) {
    lines.push('', phase);
    for (const s of p.steps.filter((x) => x.phase === phase)) lines.push(stepLine(s, now));
  }
  const next = p.steps.filter((s) => s.state === 'open' || s.state === 'waiting-for-human' || s.state === 'needs-attention');
  if (next.length) {
    lines.push('', 'Next:');
    for (const s of next) {
      lines.push(`  ${s.id}: ${s.title}`);
      let n = 1;
      // Indented instruction lines continue the numbered one above them (a script, a list).
      for (const text of s.instructions) lines.push(text.startsWith(' ') ? `       ${text}` : `    ${n++}. ${text}`);
      if (s.state === 'needs-attention') lines.push(`    then: onboard retry ${p.tenantId} ${s.id} --by <you>`);
      else {
        const sets = s.evidenceFields.map((f) => `--set ${f}=...`).join(' ');
        lines.push(`    then: onboard complete ${p.tenantId} ${s.id}${sets ? ` ${sets}` : ''} --by <you>`);
      }
    }
  }
  if (p.rejections.length) {
    lines.push('', 'Recent rejected completions:');
    for (const r of p.rejections.slice(-5)) lines.push(`  ${r.at.slice(0, 19)}Z ${r.stepId} by ${r.by} (${r.via}): ${r.message}`);
  }
  return lines;
}
