import { forbiddenCharacter, type TextRule } from '../domain/validation';

/**
 * The character rules of text a person gives us (src/domain/validation.ts) as JSON Schema, for the
 * OpenAPI document: a refinement cannot be stated there, so each string schema marked `x-text` gets
 * a pattern that refuses exactly what the rule refuses. The ranges are read from the rule itself,
 * code point by code point, so a Node with a newer Unicode keeps the document in step.
 *
 * The pattern is written for every engine that reads it: BMP code points as `\uXXXX` in a character
 * class (ECMA-262, Python and Rust agree on those), and the few refused code points above the BMP
 * (tag characters, musical and Egyptian format controls) in a `not` of their own, as the characters
 * themselves: there is no escape for them that ECMA-262 (`\u{...}`, u flag), Python (`\U...`) and
 * Rust all read, and a literal is the same code point to each. Lone surrogates are left out: no JSON
 * text in UTF-8 carries one, and Rust refuses them in a pattern.
 */
interface Charset {
  /** Refused BMP code points, as the inside of a character class. */
  bmp: string;
  /** Refused code points above the BMP, as a whole character class. */
  astral: string;
  /** What String.prototype.trim removes, as the inside of a character class. */
  trimmed: string;
}

let charset: Charset | undefined;

/** The code points in [from, to] (surrogates skipped) that `hits` finds in a string of them, as ranges: halves are tested, not each code point. */
function ranges(hits: (text: string) => boolean, from: number, to: number, out: Array<[number, number]> = []): Array<[number, number]> {
  const lo = from === 0xd800 ? 0xe000 : from;
  if (lo > to) return out;
  const text = (a: number, b: number) => String.fromCodePoint(...Array.from({ length: b - a + 1 }, (_, i) => a + i).filter((c) => c < 0xd800 || c > 0xdfff));
  if (to - lo > 4096) {
    const mid = lo + Math.floor((to - lo) / 2);
    ranges(hits, lo, mid, out);
    return ranges(hits, mid + 1, to, out);
  }
  if (!hits(text(lo, to))) return out;
  for (let cp = lo; cp <= to; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (!hits(String.fromCodePoint(cp))) continue;
    const last = out.at(-1);
    if (last && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

const hex = (cp: number) => cp.toString(16).toUpperCase().padStart(4, '0');
const bmpClass = (rs: Array<[number, number]>) => rs.map(([a, b]) => (a === b ? `\\u${hex(a)}` : `\\u${hex(a)}-\\u${hex(b)}`)).join('');
const astralClass = (rs: Array<[number, number]>) =>
  `[${rs.map(([a, b]) => (a === b ? String.fromCodePoint(a) : `${String.fromCodePoint(a)}-${String.fromCodePoint(b)}`)).join('')}]`;

function charsetOf(): Charset {
  if (charset) return charset;
  const refused = (text: string) => forbiddenCharacter(text) !== undefined;
  charset = {
    bmp: bmpClass(ranges(refused, 0, 0xffff)),
    astral: astralClass(ranges(refused, 0x10000, 0x10ffff)),
    trimmed: bmpClass(ranges((text) => [...text].some((c) => c.trim() === ''), 0, 0xffff)),
  };
  return charset;
}

/**
 * The JSON Schema keywords that state `rule` for a string schema `node`. Where the rule trims,
 * `maxLength` counts what is left once trimmed, so the pattern counts it (the first to the last
 * character that is not whitespace) and `maxLength`, which would count the whitespace too, goes.
 */
export function textKeywords(rule: TextRule, node: { maxLength?: number }): Record<string, unknown> {
  const { bmp, astral, trimmed } = charsetOf();
  const notAstral = { not: { pattern: astral } };
  const max = node.maxLength;
  switch (rule) {
    case 'line':
      return { pattern: `^[^${bmp}]*$`, ...notAstral };
    case 'trimmed-line': {
      // Whitespace at either end goes (a trailing newline too); inside, no refused character; something besides whitespace.
      const chars = { pattern: `^[${trimmed}]*[^${bmp}${trimmed}](?:[^${bmp}]*[^${bmp}${trimmed}])?[${trimmed}]*$`, ...notAstral };
      if (max === undefined) return chars;
      // The length apart, over any character: a bounded repeat of the class above costs schemathesis seconds per field to draw from.
      const length = `^[${trimmed}]*(?:[^${trimmed}](?:.{0,${Math.max(max - 2, 0)}}[^${trimmed}])?)?[${trimmed}]*$`;
      return { ...chars, allOf: [{ pattern: max < 2 ? `^[${trimmed}]*[^${trimmed}]?[${trimmed}]*$` : length }] };
    }
  }
}

/** The document with every `x-text` marker replaced by the keywords that state it (in place). */
export function stateTextRules<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(stateTextRules);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const rule = o['x-text'] as TextRule | undefined;
    if (rule) {
      const keywords = textKeywords(rule, o as { maxLength?: number });
      delete o['x-text'];
      if (rule !== 'line') delete o.maxLength;
      Object.assign(o, keywords);
    }
    Object.values(o).forEach(stateTextRules);
  }
  return node;
}
