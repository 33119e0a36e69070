import type { TenantField } from './steps/context';

/**
 * An amendment to a running tenant is a JSON merge patch (RFC 7396): objects merge key by key, any
 * other value replaces, `null` removes an optional field. Pure and zod-free, so the workflow's
 * validator runs it; the merged tenant is then judged by the tenant schema itself.
 */
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys that would reach an object's prototype if assigned; never a tenant field. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A tenant is three levels deep (agentTransfer.sipHeaders.<name>); a patch deeper than this is no tenant change. */
export const MAX_PATCH_DEPTH = 4;

/** How deep `value` nests objects and arrays, counted without recursion and stopping past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** `base` with `patch` merged in (new objects; `base` is left as it is). */
export function mergePatch<T>(base: T, patch: JsonObject): T {
  const merge = (target: unknown, p: JsonObject): JsonObject => {
    const out: JsonObject = isObject(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(p)) {
      if (UNSAFE_KEYS.has(k)) continue; // refused by name before a merge (see patchPaths)
      if (v === null) delete out[k];
      else out[k] = isObject(v) ? merge(out[k], v) : v;
    }
    return out;
  };
  return merge(base, patch) as T;
}

/** Every leaf path a patch names, dotted ('agentTransfer.option'), with its value. */
export function patchPaths(patch: JsonObject, prefix: string[] = []): Array<{ path: string[]; value: unknown }> {
  return Object.entries(patch).flatMap(([k, v]) =>
    isObject(v) && Object.keys(v).length ? patchPaths(v, [...prefix, k]) : [{ path: [...prefix, k], value: v }],
  );
}

/** The paths a patch sets that the parsed tenant does not hold (the schema strips unknown keys silently). */
export function unknownPatchPaths(patch: JsonObject, parsed: unknown): string[][] {
  return patchPaths(patch)
    .filter(({ path, value }) => {
      if (value === null) return false; // a removal: the schema says if the field may go
      let at: unknown = parsed;
      for (const k of path) {
        if (UNSAFE_KEYS.has(k) || !isObject(at) || !Object.hasOwn(at, k)) return true;
        at = at[k];
      }
      return false;
    })
    .map(({ path }) => path);
}

/** The leaf paths whose values differ between two tenants (a field added or removed counts). */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}

/** Whether a step that reads `field` is touched by a change at `changed` (either may be the deeper path). */
export const readsChange = (field: TenantField | string, changed: string): boolean =>
  field === changed || changed.startsWith(`${field}.`) || field.startsWith(`${changed}.`);
