// The values in an instruction line that people paste into a vendor console, each with a short
// name for its Copy button. Pure (no DOM), so a unit test runs it over every step's instructions.

export interface CopyValue {
  /** What the button copies: the value alone, without the sentence's punctuation or quotes. */
  value: string;
  /** What it is, for the button's accessible name ("Copy <kind>"): a few words, not the sentence. */
  kind: string;
}

/**
 * Each kind of value the instructions name, and the words that come just before it. A value is
 * the next run of non-space characters; what ends the sentence around it is taken off below.
 */
const KINDS: Array<{ kind: string; before: RegExp }> = [
  { kind: 'Base URL', before: /Base URL must read / },
  { kind: 'Bot ID', before: /Bot ID:? / },
  { kind: 'Client ID', before: /Client ID:? / },
  { kind: 'Domain Name', before: /Fully Qualified Domain Name: |Domain Name: / },
  { kind: 'DID', before: /DID Number: |\(DID |\bDID (?=[+\d])/ },
  { kind: 'transfer target', before: /transfer target / },
];

/** A value as pasted: no brackets, quotes or sentence punctuation around it. */
export function bareValue(raw: string): string {
  return raw.replace(/^[("'\u201c]+/, '').replace(/[)"'\u201d.,;:!?]+$/, '');
}

/**
 * The values of one instruction line, in the order they appear (a line may hold two: "Bot ID x,
 * Client ID y"). A placeholder for a value an earlier step has not handed over yet ("<the connector
 * DID from step ...>") is nothing to copy.
 */
export function copyValues(line: string): CopyValue[] {
  const found: Array<CopyValue & { at: number }> = [];
  for (const { kind, before } of KINDS) {
    const re = new RegExp(`(?:${before.source})(\\S+)`, 'g');
    for (const m of line.matchAll(re)) {
      const value = bareValue(m[1]!);
      if (!value || value.startsWith('<') || found.some((f) => f.value === value)) continue;
      found.push({ kind, value, at: m.index });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ kind, value }) => ({ kind, value }));
}
