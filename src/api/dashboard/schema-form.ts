// A form drawn from a JSON Schema (the API's own, from /openapi.json): labels and help from each
// field's `title` and `description`, selects for enums, password fields for `writeOnly` secrets,
// optional fields marked, and an error slot beside every field for a refusal's `errors`.
import { h, type Json } from './dom.js';

/** One input of the form: where its value goes, and how to read and set it. */
interface Leaf {
  path: string[];
  required: boolean;
  read: () => unknown;
  write: (v: unknown) => void;
}

export interface SchemaForm {
  el: HTMLElement;
  /** The document the fields hold: empty optional fields left out, empty required ones sent as "" (so the API names them). */
  value: () => Json;
  /** Puts a document's values in the fields (the example, or JSON typed in the advanced box). */
  fill: (doc: Json) => void;
  /** The error slot for a field path (`kore.botId`), or its nearest drawn parent's. */
  slot: (field: string) => HTMLElement | undefined;
  clearErrors: () => void;
  /** The field's label, for messages about it (`Bot ID`), or the path itself. */
  labelOf: (field: string) => string;
}

const get = (doc: Json | undefined, path: string[]): unknown => path.reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), doc);

export function schemaForm(schema: Json, idPrefix: string): SchemaForm {
  const leaves: Leaf[] = [];
  const slots = new Map<string, HTMLElement>();
  const labels = new Map<string, string>();
  /** Optional groups (an object that may be left out): sent only when one of their fields has a value. */
  const optionalGroups: string[][] = [];

  const idOf = (path: string[]) => `${idPrefix}-${path.join('-')}`;
  const errorSlot = (path: string[]) => {
    const el = h('span', { class: 'field-error', id: `${idOf(path)}-error` });
    slots.set(path.join('.'), el);
    return el;
  };
  const labelText = (s: Json, key: string, required: boolean) => [
    String(s.title ?? key),
    ...(required ? [] : [' ', h('span', { class: 'optional' }, '(optional)')]),
  ];
  const help = (s: Json, path: string[]) => {
    const parts = [
      s.description,
      s.examples?.length ? `Example: ${s.examples.join(' or ')}.` : '',
      ['string', 'number'].includes(typeof s.default) ? `Default ${s.default}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return parts ? h('p', { class: 'help', id: `${idOf(path)}-help` }, parts) : null;
  };

  function field(s: Json, path: string[], required: boolean): HTMLElement {
    const key = path[path.length - 1]!;
    labels.set(path.join('.'), String(s.title ?? key));
    if (s.type === 'object' && s.properties) return group(s, path, required);
    const id = idOf(path);
    const describedBy = [...(help(s, path) ? [`${id}-help`] : []), `${id}-error`].join(' ');
    const common = { id, name: path.join('.'), 'aria-describedby': describedBy, ...(required ? { 'aria-required': 'true' } : {}) };
    let input: HTMLElement;
    let read: () => unknown;
    let write: (v: unknown) => void;
    if (s.type === 'boolean') {
      const box = h('input', { ...common, type: 'checkbox', checked: s.default === true }) as HTMLInputElement;
      input = box;
      read = () => box.checked;
      write = (v) => (box.checked = v === true);
    } else if (Array.isArray(s.enum)) {
      const names: Json = s['x-enumLabels'] ?? {};
      const sel = h(
        'select',
        common,
        h('option', { value: '' }, required ? 'Choose one' : 'Not set'),
        ...s.enum.map((v: string) => h('option', { value: v }, names[v] ? `${names[v]} (${v})` : v)),
      ) as HTMLSelectElement;
      input = sel;
      read = () => sel.value;
      write = (v) => (sel.value = typeof v === 'string' ? v : '');
    } else if (s.type === 'object' && s.additionalProperties) {
      return record(s, path, required, common);
    } else {
      const type = s.writeOnly ? 'password' : s.format === 'email' ? 'email' : s.format === 'uri' ? 'url' : 'text';
      const box = h('input', {
        ...common,
        type,
        autocomplete: s.writeOnly ? 'new-password' : 'off',
        spellcheck: 'false',
        ...(s.default !== undefined ? { placeholder: String(s.default) } : {}),
      }) as HTMLInputElement;
      input = box;
      read = () => box.value.trim();
      write = (v) => (box.value = v === undefined || v === null ? '' : String(v));
    }
    leaves.push({ path, required, read, write });
    const wrap = s.type === 'boolean' ? 'field check' : 'field';
    return h('div', { class: wrap }, h('label', { for: id }, ...labelText(s, key, required)), input, help(s, path), errorSlot(path));
  }

  /** A record: a select per key when its keys are a fixed set (`propertyNames.enum`), else `Name: value` lines. */
  function record(s: Json, path: string[], required: boolean, common: Json): HTMLElement {
    const key = path[path.length - 1]!;
    const known: string[] | undefined = s.propertyNames?.enum;
    const values: Json = s.additionalProperties ?? {};
    if (known && Array.isArray(values.enum)) {
      const fs = h('fieldset', { class: 'group' }, h('legend', {}, ...labelText(s, key, required)), help(s, path), errorSlot(path));
      for (const k of known) fs.append(field({ ...values, title: k }, [...path, k], false));
      optionalGroups.push(path);
      return fs;
    }
    const id = common.id as string;
    const described = { ...s, description: `One Name: value a line. ${s.description ?? ''}`.trim() };
    const area = h('textarea', { ...common, rows: '3', spellcheck: 'false', class: 'lines' }) as HTMLTextAreaElement;
    const lineError = errorSlot(path);
    leaves.push({
      path,
      required,
      read: () => {
        const out: Json = {};
        for (const line of area.value
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)) {
          const at = line.indexOf(':');
          // A line with no colon goes as a name with no value: the API says what is wrong with it.
          out[(at < 0 ? line : line.slice(0, at)).trim()] = at < 0 ? '' : line.slice(at + 1).trim();
        }
        return Object.keys(out).length ? out : '';
      },
      write: (v) =>
        (area.value =
          v && typeof v === 'object'
            ? Object.entries(v)
                .map(([k, x]) => `${k}: ${x}`)
                .join('\n')
            : ''),
    });
    return h('div', { class: 'field' }, h('label', { for: id }, ...labelText(s, key, required)), area, help(described, path), lineError);
  }

  function group(s: Json, path: string[], required: boolean): HTMLElement {
    const key = path[path.length - 1] ?? '';
    const req = new Set<string>(s.required ?? []);
    if (!required && path.length) optionalGroups.push(path);
    const fs = h(
      'fieldset',
      { class: 'group', ...(path.length ? { id: `${idOf(path)}-group` } : {}) },
      path.length ? h('legend', {}, ...labelText(s, key, required)) : null,
      path.length ? help(s, path) : null,
      path.length ? errorSlot(path) : null,
    );
    for (const [k, sub] of Object.entries(s.properties as Json)) fs.append(field(sub as Json, [...path, k], req.has(k)));
    return fs;
  }

  const el = group(schema, [], true);
  el.classList.add('schema-form');
  const inGroup = (leaf: Leaf, g: string[]) => g.every((k, i) => leaf.path[i] === k);

  return {
    el,
    value() {
      const doc: Json = {};
      const empty = (v: unknown) => v === '' || v === undefined;
      const skipped = optionalGroups.filter((g) => leaves.filter((l) => inGroup(l, g)).every((l) => empty(l.read()) || l.read() === false));
      for (const leaf of leaves) {
        if (skipped.some((g) => inGroup(leaf, g))) continue;
        // Inside a group that is sent, its required fields are sent empty too; optional ones only with a value.
        const v = leaf.read();
        if (empty(v) && !leaf.required) continue;
        let at = doc;
        for (const k of leaf.path.slice(0, -1)) at = at[k] ??= {};
        at[leaf.path[leaf.path.length - 1]!] = empty(v) ? '' : v;
      }
      return doc;
    },
    fill(doc) {
      for (const leaf of leaves) leaf.write(get(doc, leaf.path));
    },
    slot(field) {
      const parts = field.split('.');
      for (let n = parts.length; n > 0; n--) {
        const s = slots.get(parts.slice(0, n).join('.'));
        if (s) return s;
      }
      return undefined;
    },
    clearErrors() {
      for (const s of slots.values()) s.replaceChildren();
      for (const bad of el.querySelectorAll('[aria-invalid="true"]')) bad.removeAttribute('aria-invalid');
    },
    labelOf(field) {
      const parts = field.split('.');
      for (let n = parts.length; n > 0; n--) {
        const l = labels.get(parts.slice(0, n).join('.'));
        if (l) return n === parts.length ? l : `${l} ${parts.slice(n).join('.')}`;
      }
      return field;
    },
  };
}
