// The list page (#/): onboardings from the API's list (one call a page: each row carries its run's
// summary), filtered, searched by tenant id, sorted, paged with the API's page tokens, and read
// again every few seconds. The page is built once; filters only change the address
// (history.replaceState, no hashchange) and the rows, so what is typed and focused stays.
import { api, ApiError, notice, token } from './api.js';
import { h, main, type Json } from './dom.js';
import { isClosed, rowView, SORTS, syncRows, type RowView } from './list-rows.js';
import { startLink } from './start-form.js';

const REFRESH_MS = 5000;
const STATUSES = ['running', 'waiting-for-human', 'needs-attention', 'escalated', 'completed', 'cancelled'];
const SIZES = [10, 25, 50, 100];
const TENANT_PREFIX = /^[a-z0-9-]*$/;

interface ListPage {
  status: string;
  waiting: boolean;
  q: string;
  sort: string;
  size: number;
  /** The page shown (0 first) and the token each page was read with (the API's nextPageToken). */
  page: number;
  tokens: Array<string | undefined>;
  next?: string;
  /** Bumped by every read, so an answer to an older one is dropped. */
  read: number;
  /** A page turn is being read: another press waits for it. */
  turning?: boolean;
  timer?: number;
  rows: RowView[];
  el: {
    body: HTMLElement;
    table: HTMLElement;
    said: HTMLElement;
    updated: HTMLElement;
    problem: HTMLElement;
    prev: HTMLButtonElement;
    next: HTMLButtonElement;
    pageNo: HTMLElement;
  };
}

let current: ListPage | undefined;

/** Leaving the list: no more reads. */
export function stopList(): void {
  window.clearTimeout(current?.timer);
  current = undefined;
}

export async function renderList(): Promise<void> {
  stopList();
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const size = Number(params.get('size'));
  const state: ListPage = {
    status: STATUSES.includes(params.get('status') ?? '') ? params.get('status')! : '',
    waiting: params.get('waiting') === 'true',
    q: (params.get('q') ?? '').toLowerCase(),
    sort: SORTS[params.get('sort') ?? ''] ? params.get('sort')! : 'listed',
    size: Number.isInteger(size) && size >= 1 && size <= 200 ? size : 25,
    page: 0,
    tokens: [undefined],
    read: 0,
    rows: [],
    el: {
      body: h('tbody'),
      table: h('table', { class: 'list-table', 'aria-describedby': 'list-said' }),
      said: h('p', { id: 'list-said', role: 'status', 'aria-live': 'polite', class: 'list-said' }),
      updated: h('span', { class: 'meta' }),
      problem: h('div'),
      prev: h('button', { type: 'button', class: 'secondary' }, 'Previous page') as HTMLButtonElement,
      next: h('button', { type: 'button', class: 'secondary' }, 'Next page') as HTMLButtonElement,
      pageNo: h('span', {}, 'Page 1'),
    },
  };
  current = state;
  const { el } = state;
  el.table.append(
    h('caption', { class: 'visually-hidden' }, 'Onboardings'),
    h('thead', {}, h('tr', {}, ...['Tenant', 'Status', 'Progress', 'Open steps', 'Waiting for', 'Started'].map((t) => h('th', { scope: 'col' }, t)))),
    el.body,
  );
  el.prev.addEventListener('click', () => void turn(state, -1));
  el.next.addEventListener('click', () => void turn(state, 1));
  main.replaceChildren(
    h('h2', {}, 'Onboardings'),
    startLink(),
    filters(state),
    h('div', { class: 'list-head' }, el.said, el.updated),
    el.problem,
    h('div', { class: 'list-wrap' }, el.table),
    h('nav', { class: 'pager', 'aria-label': 'Pages of onboardings' }, el.prev, el.pageNo, el.next),
  );
  await read(state, true);
}

function filters(state: ListPage): HTMLElement {
  const searchError = h('span', { id: 'tenant-search-error', class: 'field-error', 'aria-live': 'polite' });
  const search = h('input', {
    type: 'search',
    id: 'tenant-search',
    name: 'q',
    value: state.q,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'tenant-search-help tenant-search-error',
  }) as HTMLInputElement;
  let typing: number | undefined;
  const searchNow = () => {
    window.clearTimeout(typing);
    const q = search.value.trim().toLowerCase();
    const bad = !TENANT_PREFIX.test(q);
    searchError.textContent = bad ? 'Tenant ids have only lower-case letters, digits and dashes.' : '';
    search.setAttribute('aria-invalid', String(bad));
    if (!bad && q !== state.q) changed(state, { q });
  };
  search.addEventListener('input', () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(searchNow, 300);
  });
  const select = (id: string, label: string, value: string, options: Array<[string, string]>, on: (v: string) => void) => {
    const s = h('select', { id, name: id }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))) as HTMLSelectElement;
    s.addEventListener('change', () => on(s.value));
    return h('div', { class: 'field' }, h('label', { for: id }, label), s);
  };
  const waiting = h('input', { type: 'checkbox', id: 'waiting', name: 'waiting', checked: state.waiting }) as HTMLInputElement;
  waiting.addEventListener('change', () => changed(state, { waiting: waiting.checked }));
  const sizes = [...new Set([...SIZES, state.size])].sort((a, b) => a - b);
  return h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Find onboardings',
      onsubmit: (e: Event) => {
        e.preventDefault();
        searchNow();
      },
    },
    h(
      'div',
      { class: 'field search' },
      h('label', { for: 'tenant-search' }, 'Tenant id starts with'),
      search,
      h('span', { id: 'tenant-search-help', class: 'meta' }, 'The API searches tenant ids by their start; display names are not searched.'),
      searchError,
    ),
    select('status', 'Status', state.status, [['', 'any'], ...STATUSES.map((s): [string, string] => [s, s])], (status) => changed(state, { status })),
    h('div', { class: 'field check' }, waiting, h('label', { for: 'waiting' }, 'Waiting on people')),
    select(
      'sort',
      'Sort this page',
      state.sort,
      Object.entries(SORTS).map(([k, s]) => [k, s.label]),
      (sort) => {
        state.sort = sort;
        remember(state);
        show(state);
      },
    ),
    select(
      'size',
      'Per page',
      String(state.size),
      sizes.map((n) => [String(n), String(n)]),
      (size) => changed(state, { size: Number(size) }),
    ),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Search')),
  );
}

/** A filter changed: the address says so, and paging starts again from the first page. */
function changed(state: ListPage, what: Partial<Pick<ListPage, 'status' | 'waiting' | 'q' | 'size'>>): void {
  Object.assign(state, what, { page: 0, tokens: [undefined], next: undefined });
  remember(state);
  void read(state, true);
}

function remember(state: ListPage): void {
  const q = new URLSearchParams();
  if (state.status) q.set('status', state.status);
  if (state.waiting) q.set('waiting', 'true');
  if (state.q) q.set('q', state.q);
  if (state.sort !== 'listed') q.set('sort', state.sort);
  if (state.size !== 25) q.set('size', String(state.size));
  const query = q.toString();
  history.replaceState(history.state, '', `#/${query ? `?${query}` : ''}`);
}

async function turn(state: ListPage, by: 1 | -1): Promise<void> {
  if (state.turning || (by === 1 && !state.next) || (by === -1 && state.page === 0)) return;
  state.turning = true;
  if (by === 1) state.tokens[state.page + 1] = state.next;
  state.page += by;
  await read(state, true).finally(() => (state.turning = false));
  // The button pressed is disabled on the first or last page: keep the keyboard on the pager.
  const pressed = by === 1 ? state.el.next : state.el.prev;
  if (pressed.disabled && (document.activeElement === pressed || document.activeElement === document.body)) (by === 1 ? state.el.prev : state.el.next).focus();
}

/**
 * Reads the page shown. `fresh`: a new page or filter (says it is loading, rows go); otherwise a
 * refresh, which changes rows in place. Rows from before summaries are read one each, all at once.
 */
async function read(state: ListPage, fresh: boolean): Promise<void> {
  window.clearTimeout(state.timer);
  const mine = ++state.read;
  const stale = () => current !== state || state.read !== mine;
  const { el } = state;
  if (fresh) {
    el.table.setAttribute('aria-busy', 'true');
    say(state, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading onboardings…');
  }
  try {
    const q = new URLSearchParams({ pageSize: String(state.size) });
    if (state.status) q.set('status', state.status);
    if (state.waiting) q.set('waiting', 'true');
    if (state.q) q.set('tenantPrefix', state.q);
    const pageToken = state.tokens[state.page];
    if (pageToken) q.set('pageToken', pageToken);
    const page = await api('GET', `/api/v1/onboardings?${q}`);
    if (stale()) return;
    // The API already leaves out runs that ended; a row that says it ended is dropped all the same.
    const items = (page.items as Json[]).filter((o) => !state.waiting || !isClosed(o));
    state.next = page.nextPageToken;
    state.rows = items.map((o, i) => rowView(o, i));
    el.problem.replaceChildren();
    show(state);
    el.table.removeAttribute('aria-busy');
    el.updated.textContent = `Updated ${new Date().toLocaleTimeString()}; reads again every ${REFRESH_MS / 1000} s`;
    await Promise.all(
      items.map(async (o, i) => {
        if (o.percent !== undefined) return;
        const progress = await api('GET', `/api/v1/onboardings/${encodeURIComponent(o.tenantId)}`).catch((err: unknown) => ({ failed: err }));
        if (stale()) return;
        state.rows[i] = rowView(o, i, 'failed' in progress ? { error: readError(progress.failed) } : { progress });
        show(state);
      }),
    );
  } catch (err) {
    if (stale()) return;
    el.table.removeAttribute('aria-busy');
    if (fresh) {
      state.rows = [];
      show(state, err instanceof ApiError && err.status === 401 ? 'Sign in to see onboardings.' : 'The onboardings could not be read.');
    }
    el.problem.replaceChildren(
      fresh ? notice(err) : h('div', { class: 'notice', role: 'alert' }, `Could not refresh the list (${readError(err)}); showing what was read before.`),
    );
    // Without a token that works, reading again would only be refused again.
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return;
  }
  if (!stale() && token()) state.timer = window.setTimeout(() => void refresh(state), REFRESH_MS);
}

/** A background tab does not read; it reads when next due and shown. */
async function refresh(state: ListPage): Promise<void> {
  if (current !== state) return;
  if (document.hidden) state.timer = window.setTimeout(() => void refresh(state), REFRESH_MS);
  else await read(state, false);
}

function readError(err: unknown): string {
  if (err instanceof ApiError) return `HTTP ${err.status}${err.body.detail ? `, ${err.body.detail}` : ''}`;
  return 'the API did not answer';
}

/** Draws the rows in the chosen order and says where in the list this page is. */
function show(state: ListPage, empty = 'No onboardings match.'): void {
  const rows = [...state.rows].sort(SORTS[state.sort]!.compare);
  syncRows(state.el.body, rows, empty);
  const { el, page } = state;
  el.pageNo.textContent = `Page ${page + 1}`;
  el.prev.disabled = page === 0;
  el.next.disabled = !state.next;
  const n = rows.length;
  say(state, n ? `Page ${page + 1}: ${n} onboarding${n === 1 ? '' : 's'}${state.next ? ', more on the next page' : ''}.` : empty);
}

/** The live region changes only when what it says does, so a refresh is not announced every 5 s. */
function say(state: ListPage, ...what: Array<Node | string>): void {
  const text = what.map((w) => (typeof w === 'string' ? w : '')).join('');
  if (state.el.said.textContent !== text) state.el.said.replaceChildren(...what);
}
