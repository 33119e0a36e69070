import fs from 'node:fs';
import path from 'node:path';
import { isSecretRef, newStartId, refRefusal, SECRET_FIELDS, type SecretField, type SecretRefOrigin } from './secret-store';
import type { SecretRefPolicy } from './config';

/**
 * An amendment of a running tenant (a JSON merge patch) and its secret fields: who may give which
 * reference is as for a start (./secret-store.ts), and inline secrets go to the store first.
 */

/** The secret fields an amendment (a JSON merge patch of the tenant) sets, with the value it gives each. */
export function secretChanges(changes: Record<string, unknown>): Array<[SecretField, unknown]> {
  const at = (path: string[]): unknown =>
    path.reduce<unknown>((o, k) => (o && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), changes);
  return SECRET_FIELDS.map((f) => [f, at(f.split('.'))] as [SecretField, unknown]).filter(([, v]) => v !== undefined && v !== null);
}

/** The secret fields of an amendment this caller may not give (as for a start), one `{ field, message }` each, named `changes.<field>`. */
export function secretChangeErrors(
  tenantId: string,
  changes: Record<string, unknown>,
  o: { origin: SecretRefOrigin; policy: SecretRefPolicy },
): Array<{ field: string; message: string }> {
  return secretChanges(changes).flatMap(([field, value]) => {
    // Not a string: the tenant schema in the workflow says what is wrong with it.
    const message = typeof value === 'string' ? refRefusal(value, tenantId, o) : undefined;
    return message ? [{ field: `changes.${field}`, message }] : [];
  });
}

/**
 * An amendment with each inline secret moved to a new store file (`store:TENANT/FIELD.ID`, like a
 * start's), so the Update carries references only. `discard()` removes the files when the
 * amendment is refused; accepted, the files of the secrets it replaced go at the tenant's next start.
 */
export function storeInlineSecretChanges(
  tenantId: string,
  changes: Record<string, unknown>,
  store: string,
): { changes: Record<string, unknown>; discard(): void } {
  const id = newStartId();
  const dir = path.join(store, tenantId);
  const written: string[] = [];
  const out = structuredClone(changes);
  const discard = () => written.forEach((f) => fs.rmSync(f, { force: true }));
  try {
    for (const [field, value] of secretChanges(changes)) {
      if (typeof value !== 'string' || isSecretRef(value)) continue;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = `${field}.${id}`;
      fs.writeFileSync(path.join(dir, name), value, { mode: 0o600, flag: 'wx' });
      written.push(path.join(dir, name));
      const keys = field.split('.');
      const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, out);
      parent[keys.at(-1)!] = `store:${tenantId}/${name}`;
    }
  } catch (err) {
    discard();
    throw err;
  }
  return { changes: out, discard };
}
