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

/** 401 and 403 said plainly, with what to do. */
export function notice(err: unknown): HTMLElement {
  if (err instanceof ApiError && err.status === 401)
    return h('div', { class: 'notice', role: 'alert' }, 'Not signed in: enter a valid API token above (onboard dev prints one).');
  if (err instanceof ApiError && err.status === 403) return h('div', { class: 'notice', role: 'alert' }, `Not allowed: ${err.message}`);
  return h('div', { class: 'notice', role: 'alert' }, err instanceof Error ? err.message : String(err));
}
