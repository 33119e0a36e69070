// The API client: the person's token for this tab, one fetch wrapper, errors said plainly.
import { h, type Json } from './dom.js';

// The token is kept for this tab only (sessionStorage): it is gone when the tab closes, and is not
// left on disk for the next person at this browser. A token an older dashboard left in
// localStorage is moved here once and removed from there.
export const TOKEN_KEY = 'onboard-token';
const legacyToken = localStorage.getItem(TOKEN_KEY);
if (legacyToken !== null) {
  if (!sessionStorage.getItem(TOKEN_KEY)) sessionStorage.setItem(TOKEN_KEY, legacyToken);
  localStorage.removeItem(TOKEN_KEY);
}
export const token = () => sessionStorage.getItem(TOKEN_KEY) ?? '';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(body.detail ?? `HTTP ${status}`);
  }
}

export async function api(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Who this tab's token is (GET /api/v1/me): asked once per token, so each page need not ask again. */
let who: { token: string; me: Promise<Json> } | undefined;
export function me(): Promise<Json> {
  if (who?.token !== token()) who = { token: token(), me: api('GET', '/api/v1/me') };
  return who.me;
}
/** Engineers and admins act on onboardings (reopen, amend, offboard); viewers only read. */
export const mayAct = (principal: Json | undefined) => principal?.role === 'engineer' || principal?.role === 'admin';

/**
 * Downloads what the API answers as a file. A plain link cannot send the bearer token, so the
 * answer is fetched with it and handed to the browser as a Blob behind an object URL.
 */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token()}` } });
  if (!res.ok) throw new ApiError(res.status, res.headers.get('content-type')?.includes('json') ? await res.json() : {});
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the browser may still be reading the Blob when click() returns.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Puts each of a refusal's field errors (`errors: [{field, message}]`) in the slot `slotOf` gives
 * for its field, next to the input; what has no slot (or a refusal without field errors) goes to
 * `general`, said whole. `body.` is taken off the field first: the API names the body's parts so.
 */
export function placeErrors(err: unknown, slotOf: (field: string) => HTMLElement | undefined, general: HTMLElement): void {
  const fieldErrors = (err instanceof ApiError ? (err.body.errors ?? []) : []) as Json[];
  const unplaced: Json[] = [];
  for (const fe of fieldErrors) {
    const slot = slotOf(String(fe.field).replace(/^body\./, ''));
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent}; ${fe.message}` : fe.message;
    else unplaced.push(fe);
  }
  if (unplaced.length || !fieldErrors.length) general.replaceChildren(notice(err));
}

/** 401 and 403 said plainly, with what to do. */
export function notice(err: unknown): HTMLElement {
  if (err instanceof ApiError && err.status === 401)
    return h('div', { class: 'notice', role: 'alert' }, 'Not signed in: enter a valid API token above (onboard dev prints one).');
  if (err instanceof ApiError && err.status === 403) return h('div', { class: 'notice', role: 'alert' }, `Not allowed: ${err.message}`);
  return h('div', { class: 'notice', role: 'alert' }, err instanceof Error ? err.message : String(err));
}
