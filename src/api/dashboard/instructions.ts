import { copyButton, h } from './dom.js';

/**
 * A step's instructions as a numbered list: an indented block (the dialog-task script) becomes one
 * pre with one Copy button, and a line ending in a value people paste elsewhere gets a Copy button.
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
        li.append(pre);
        li.append(copyButton('', 'script'));
      }
      pre.textContent = `${pre.textContent ? `${pre.textContent}\n` : ''}${line.slice(4)}`;
      (pre.nextElementSibling as HTMLButtonElement).onclick = () => void navigator.clipboard?.writeText(pre!.textContent ?? '');
      continue;
    }
    pre = undefined;
    const m = /^(.*?(?:Domain Name|DID Number|Base URL must read|DID|Bot ID|Client ID)):? (\S+?)[.,]?$/.exec(line) ?? /^(.*: )(\S+)$/.exec(line);
    ol.append(h('li', {}, line, m ? copyButton(m[2]!, m[1]!.replace(/[:\s]+$/, '')) : null));
  }
  return ol;
}
