// The dashboard: plain DOM, no framework, talking to the same HTTP API as everyone else.
// Routes: #/ (list, start form) and #/t/<tenantId> (checklist, instructions, evidence forms).
import { api, token, TOKEN_KEY } from './api.js';
import { renderList } from './list.js';
import { renderTenant, stopRefresh } from './tenant.js';

async function route(): Promise<void> {
  stopRefresh();
  const m = /^#\/t\/([a-z0-9-]+)/.exec(location.hash);
  if (m) await renderTenant(m[1]!, true);
  else await renderList();
}

async function whoami(): Promise<void> {
  const el = document.getElementById('whoami')!;
  try {
    // Also signs this browser in for the Temporal Web UI's codec calls (an HttpOnly cookie on /codec).
    const me = await api('POST', '/api/v1/session');
    el.textContent = `${me.name} (${me.role})`;
  } catch {
    el.textContent = token() ? 'token not accepted' : 'no token';
  }
}

document.getElementById('token-form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, (document.getElementById('token') as HTMLInputElement).value.trim());
  void whoami();
  void route();
});
// Sign out: the server ends this browser's codec session (the cookie is sent to /codec only) and
// clears the cookie; the tab forgets the token.
document.getElementById('sign-out')!.addEventListener('click', async () => {
  await fetch('/codec/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined);
  sessionStorage.removeItem(TOKEN_KEY);
  (document.getElementById('token') as HTMLInputElement).value = '';
  document.getElementById('whoami')!.textContent = 'signed out';
  void route();
});
window.addEventListener('hashchange', () => void route());
void whoami();
void route();
