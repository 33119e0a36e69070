// A tenant's audit timeline (GET .../audit, paged) and the download of its sign-off record (GET .../record).
import { api, download, notice } from './api.js';
import { h, type Json } from './dom.js';

const when = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')}Z`;

/** One entry: when, what (action, step, outcome), who and through what, then why, what it said, what changed. */
function entryItem(e: Json): HTMLElement {
  const through = [e.byVerified ? 'verified' : 'self-declared', e.via, e.channel].filter(Boolean).join(', ');
  const details: Array<[string, string]> = [];
  if (e.reason) details.push(['reason', e.reason]);
  if (e.message) details.push([e.code ? `message (${e.code})` : 'message', e.message]);
  if (e.fields?.length) details.push(['fields', e.fields.join(', ')]);
  if (e.reopened?.length) details.push(['reopened', e.reopened.join(', ')]);
  if (e.digest) details.push(['digest', e.digest]);
  return h(
    'li',
    { class: 'audit-entry', id: `audit-${e.seq}` },
    h('time', { datetime: e.at }, when(e.at)),
    ' ',
    h('strong', {}, e.action),
    e.stepId ? ` ${e.stepId}` : '',
    ' ',
    h('span', { class: `chip outcome-${e.outcome}` }, e.outcome),
    ` by ${e.by} (${through})`,
    details.length ? h('dl', { class: 'meta' }, ...details.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null,
  );
}

/**
 * The audit timeline, oldest first (entry 1 at the top): "Load more" appends the next page of later
 * entries (nextPageToken). `reload()` reads it again from the start, as far as it had been read,
 * after this page changed something.
 */
export function auditSection(tenantId: string): { el: HTMLElement; reload: () => Promise<void> } {
  const ol = h('ol', { class: 'timeline', 'aria-labelledby': 'audit-title' });
  const status = h('p', { class: 'meta', role: 'status', 'aria-live': 'polite' });
  const problem = h('div');
  const size = h(
    'select',
    { id: 'audit-page-size', name: 'pageSize' },
    ...['5', '25', '100'].map((n) => h('option', { value: n, selected: n === '25' }, n)),
  ) as HTMLSelectElement;
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more') as HTMLButtonElement;
  let nextToken: string | undefined;
  let shown = 0;
  // Only the latest read is shown: a reload for the old page size that answers late is dropped.
  let latest = 0;

  const page = async (pageToken?: string): Promise<Json> => {
    const q = new URLSearchParams({ pageSize: size.value });
    if (pageToken) q.set('pageToken', pageToken);
    return api('GET', `/api/v1/onboardings/${tenantId}/audit?${q}`);
  };
  const show = (entries: Json[], token: string | undefined, append: boolean) => {
    const items = entries.map(entryItem);
    if (append) ol.append(...items);
    else ol.replaceChildren(...items);
    nextToken = token;
    shown = ol.children.length;
    more.hidden = !nextToken;
    status.textContent = `${shown} entr${shown === 1 ? 'y' : 'ies'} shown, oldest first${nextToken ? '; more follow' : ''}.`;
  };
  const guarded = async (work: (current: () => boolean) => Promise<void>) => {
    const mine = ++latest;
    const current = () => mine === latest;
    problem.replaceChildren();
    more.disabled = true;
    try {
      await work(current);
    } catch (err) {
      if (current()) problem.replaceChildren(notice(err));
    } finally {
      if (current()) more.disabled = false;
    }
  };
  const loadMore = () =>
    guarded(async (current) => {
      const r = await page(nextToken);
      if (current()) show(r.entries, r.nextPageToken, true);
    });
  const reload = () =>
    guarded(async (current) => {
      const want = Math.max(shown, 1);
      const entries: Json[] = [];
      let token: string | undefined;
      do {
        const r = await page(token);
        entries.push(...r.entries);
        token = r.nextPageToken;
      } while (token && entries.length < want && current());
      if (current()) show(entries, token, false);
    });
  more.addEventListener('click', () => void loadMore());
  size.addEventListener('change', () => {
    shown = 0;
    void reload();
  });
  void reload();

  const el = h(
    'section',
    { class: 'phase tool', id: 'audit', 'aria-labelledby': 'audit-title' },
    h('h2', { id: 'audit-title' }, 'Audit trail'),
    h(
      'p',
      { class: 'meta' },
      'Every action and refusal on this onboarding, oldest first; "Load more" adds later entries. ',
      '"verified": the API vouched for the person by their token; "self-declared": the sender named them (the CLI).',
    ),
    h('div', { class: 'filters' }, h('div', {}, h('label', { for: 'audit-page-size' }, 'Entries per page '), size)),
    ol,
    problem,
    h('div', {}, more, ' ', h('button', { type: 'button', class: 'secondary', onclick: () => void reload() }, 'Refresh')),
    status,
  );
  return { el, reload };
}

/** The sign-off record in each format, fetched with the token and saved as a file. */
export function recordSection(tenantId: string): HTMLElement {
  const problem = h('div');
  const status = h('p', { class: 'meta', role: 'status', 'aria-live': 'polite' });
  const formats: Array<[string, string, string]> = [
    ['json', 'json', 'JSON'],
    ['md', 'md', 'Markdown'],
    ['html', 'html', 'HTML (prints cleanly)'],
  ];
  return h(
    'section',
    { class: 'phase tool', id: 'record', 'aria-labelledby': 'record-title' },
    h('h2', { id: 'record-title' }, 'Sign-off record'),
    h(
      'p',
      { class: 'meta' },
      'What a customer or change board signs: the tenant (no secrets), every step with who, when and evidence, the verifications, reopens and amendments.',
    ),
    h(
      'div',
      { class: 'filters' },
      ...formats.map(([format, ext, label]) =>
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: async () => {
              problem.replaceChildren();
              status.textContent = '';
              const file = `${tenantId}-record.${ext}`;
              try {
                await download(`/api/v1/onboardings/${tenantId}/record?format=${format}`, file);
                status.textContent = `Downloaded ${file}.`;
              } catch (err) {
                problem.replaceChildren(notice(err));
              }
            },
          },
          `Download ${label}`,
        ),
      ),
    ),
    problem,
    status,
  );
}
