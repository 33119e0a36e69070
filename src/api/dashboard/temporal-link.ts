// The tenant page's link to its run in the Temporal Web UI, when the server names a UI
// (ONBOARD_TEMPORAL_UI_URL; `onboard dev` sets its own). The UI decodes the run's payloads through
// our /codec with the session cookie signing in here set, so the link is only useful signed in.
import { h } from './dom.js';

/** `<ui>/namespaces/<ns>/workflows/onboarding-{tenantId}`, from the page's meta tag; '' when no UI is configured. */
const template = () => document.querySelector<HTMLMetaElement>('meta[name="temporal-run-url"]')?.content ?? '';

/** The link, or '' (nothing to show) when no UI is configured. */
export function temporalLink(tenantId: string): HTMLElement | string {
  const url = template();
  if (!url) return '';
  return h(
    'p',
    { class: 'temporal-link meta' },
    h(
      'a',
      { href: url.replace('{tenantId}', encodeURIComponent(tenantId)), target: '_blank', rel: 'noopener' },
      'Open this run in the Temporal Web UI',
      h('span', { class: 'visually-hidden' }, ' (opens a new tab)'),
    ),
  );
}
