// Small DOM helpers shared by the dashboard's pages.

export type Json = Record<string, any>;
export const PHASES = ['Setup', 'Channel integration', 'Routing', 'Agent interaction'];
export const OPEN = new Set(['open', 'waiting-for-human']);
export const main = document.getElementById('main') as HTMLElement;

/** Builds an element; strings become text nodes, so server values are never parsed as HTML. */
export function h(
  tag: string,
  attrs: Record<string, string | boolean | EventListener> = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false) el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/**
 * A Copy button named "Copy <label>"; it reads "Copied" (named "Copied <label>") for 2 s once the clipboard has the value
 * (the button stays where it is, with the focus). `text` may be read at the click (a block still growing).
 */
export function copyButton(text: string | (() => string), label: string): HTMLElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'copy secondary',
      'aria-label': `Copy ${label}`,
      onclick: () =>
        void navigator.clipboard
          ?.writeText(typeof text === 'string' ? text : text())
          .then(() => {
            // The name says what the button shows ("Copied DID" while it reads "Copied"), so voice control and axe agree.
            button.textContent = 'Copied';
            button.setAttribute('aria-label', `Copied ${label}`);
            window.setTimeout(() => {
              button.textContent = 'Copy';
              button.setAttribute('aria-label', `Copy ${label}`);
            }, 2000);
          })
          .catch(() => undefined),
    },
    'Copy',
  );
  return button;
}

export function since(iso?: string): string {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 90 ? `${Math.round(s)}s` : s < 5400 ? `${Math.round(s / 60)}m` : s < 129600 ? `${(s / 3600).toFixed(1)}h` : `${(s / 86400).toFixed(1)}d`;
}
