// The dashboard: plain DOM, no framework, talking to the same HTTP API as everyone else.
// Routes: #/ (list), #/start (the start form) and #/t/<tenantId> (checklist, instructions, evidence forms).
import { api, token, TOKEN_KEY } from './api.js';
import { renderList, stopList } from './list.js';
import { renderStart } from './start-form.js';
import { renderTenant, stopRefresh } from './tenant.js';

async function route(): Promise<void> {
  stopRefresh();
  stopList();
  const m = /^#\/t\/([a-z0-9-]+)/.exec(location.hash);
  if (m) await renderTenant(m[1]!, true);
  else if (location.hash.startsWith('#/start')) await renderStart();
  else await renderList();
}

const tokenInput = document.getElementById('token') as HTMLInputElement;
const signIn = document.getElementById('sign-in')!;
const signOut = document.getElementById('sign-out')!;

/** Signed in: who, and Sign out. Otherwise the token field and Use token. */
function signedIn(yes: boolean): void {
  signIn.hidden = yes;
  signOut.hidden = !token();
}

async function whoami(): Promise<void> {
  const el = document.getElementById('whoami')!;
  try {
    // Also signs this browser in for the Temporal Web UI's codec calls (an HttpOnly cookie on /codec).
    const me = await api('POST', '/api/v1/session');
    el.textContent = `${me.name} (${me.role})`;
    tokenInput.value = '';
    signedIn(true);
  } catch {
    el.textContent = token() ? 'token not accepted' : 'no token';
    signedIn(false);
  }
}

document.getElementById('token-form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
  void whoami();
  void route();
});
// Sign out: the server ends this browser's codec session (the cookie is sent to /codec only) and
// clears the cookie; the tab forgets the token (and any an older dashboard kept in localStorage),
// and the sign-in field is back, focused.
signOut.addEventListener('click', async () => {
  await fetch('/codec/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined);
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  tokenInput.value = '';
  document.getElementById('whoami')!.textContent = 'signed out';
  signedIn(false);
  tokenInput.focus();
  void route();
});
window.addEventListener('hashchange', () => void route());
// Until the API answers, a tab with a token is taken to be signed in (no flash of the sign-in field).
signedIn(Boolean(token()));
void whoami();
void route();
