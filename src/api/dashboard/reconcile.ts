// Keyed updates of the tenant page: each part of an element is kept while what it shows is the same,
// so a live update never takes away what a person is typing, their focus, selection or scroll.

/** One part of an element: rebuilt only when its signature changes; `update` runs on it every time. */
export interface Part {
  key: string;
  /** What the part shows, as a string: the same signature keeps the node as it is. */
  sig: string;
  build: () => Node | null;
  update?: (node: Node) => void;
}

const kept = new WeakMap<Node, Map<string, { sig: string; node: Node | null }>>();

/**
 * Makes `parent`'s children the given parts, in order. Kept nodes are never moved (moving a node
 * blurs it): nodes that went are removed first, then new ones are inserted around the kept ones.
 * Focus inside a part that was rebuilt goes to the element with the same id in its new node.
 */
export function reconcile(parent: Node, parts: Part[]): void {
  const before = kept.get(parent) ?? new Map<string, { sig: string; node: Node | null }>();
  const now = new Map<string, { sig: string; node: Node | null }>();
  const focused = document.activeElement;
  const focusId = focused && parent.contains(focused) ? focused.id : '';
  for (const p of parts) {
    const old = before.get(p.key);
    const node = old && old.sig === p.sig ? old.node : p.build();
    now.set(p.key, { sig: p.sig, node });
    if (node && p.update) p.update(node);
  }
  kept.set(parent, now);
  const nodes = [...now.values()].map((v) => v.node).filter((n): n is Node => n !== null);
  const wanted = new Set(nodes);
  for (const child of [...parent.childNodes]) if (!wanted.has(child)) parent.removeChild(child);
  let cursor = parent.firstChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(node, cursor);
  }
  if (focusId && !parent.contains(document.activeElement)) (document.getElementById(focusId) as HTMLElement | null)?.focus();
}

/** Sets an element's text only when it changed (a text node replaced loses a selection in it). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
