import { copyValues } from './copy-values.js';
import { copyButton, h } from './dom.js';

/**
 * A step's instructions as a numbered list: an indented block (the dialog-task script) becomes one
 * pre with one Copy button, and each value people paste elsewhere (./copy-values.ts) gets a Copy
 * button named by what it is ("Copy DID"), copying the value alone.
 */
export function instructionList(lines: string[]): HTMLElement {
  const ol = h('ol');
  let pre: HTMLElement | undefined;
  for (const line of lines) {
    if (line.startsWith('    ')) {
      // An indented block (the dialog-task script): one pre with one copy button.
      if (!pre) {
        pre = h('pre');
        const li = ol.lastElementChild ?? ol.appendChild(h('li'));
        const block = pre;
        li.append(
          block,
          copyButton(() => block.textContent ?? '', 'script'),
        );
      }
      pre.textContent = `${pre.textContent ? `${pre.textContent}\n` : ''}${line.slice(4)}`;
      continue;
    }
    pre = undefined;
    ol.append(h('li', {}, line, ...copyValues(line).map((v) => copyButton(v.value, v.kind))));
  }
  return ol;
}
